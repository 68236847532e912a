import CertmaxAttention
import CertmaxIO
import Foundation

/// A loaded verification spec (model weights, input region, property) behind an opaque
/// C handle, so a caller verifies it many times (other methods, seeds, budgets) without
/// reading the weights again. Created retained by `certmax_spec_load_*`, released by
/// `certmax_spec_free`; immutable, so one handle may be verified from several threads.
final class LoadedSpec: @unchecked Sendable {
    let spec: VerificationSpec
    init(_ spec: VerificationSpec) { self.spec = spec }

    /// Hands out a retained handle.
    func retainedHandle() -> UnsafeMutableRawPointer { Unmanaged.passRetained(self).toOpaque() }

    /// The object behind a handle (not consumed).
    static func from(_ handle: UnsafeMutableRawPointer) -> LoadedSpec {
        Unmanaged<LoadedSpec>.fromOpaque(handle).takeUnretainedValue()
    }
}

/// `certmax_spec_load_file`: loads a spec file (and the weights it names) into a new
/// handle in `*spec_out` (NULL on failure). Errors as `certmax_verify_file`.
@c(certmax_spec_load_file)
public func certmax_spec_load_file(_ specPath: UnsafePointer<CChar>?,
                                   _ specOut: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    let f = "certmax_spec_load_file"
    specOut?.pointee = nil
    return cCall(f) {
        let path = try ArgumentChecks.pointer(specPath, "spec_path", f)
        let out = try ArgumentChecks.output(specOut, "spec_out", f)
        out.pointee = LoadedSpec(try VerificationSpec(path: String(cString: path))).retainedHandle()
    }
}

/// `certmax_spec_load_json`: as `certmax_spec_load_file` for JSON text; relative paths
/// are resolved against `base_dir` (NULL: the current directory).
@c(certmax_spec_load_json)
public func certmax_spec_load_json(_ specJSON: UnsafePointer<CChar>?, _ baseDir: UnsafePointer<CChar>?,
                                   _ specOut: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    let f = "certmax_spec_load_json"
    specOut?.pointee = nil
    return cCall(f) {
        let text = try ArgumentChecks.pointer(specJSON, "spec_json", f)
        let out = try ArgumentChecks.output(specOut, "spec_out", f)
        let base = baseDir.map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
        let doc = try JSONDocument(data: Data(String(cString: text).utf8), source: "<spec>")
        out.pointee = LoadedSpec(try VerificationSpec(document: doc, baseDirectory: base)).retainedHandle()
    }
}

/// `certmax_spec_verify`: `certmax_verify_file` on a loaded spec (same options, verdict
/// and JSON; free the JSON with `certmax_string_free`).
@c(certmax_spec_verify)
public func certmax_spec_verify(
    _ spec: UnsafeMutableRawPointer?, _ method: UnsafePointer<CChar>?, _ attack: Int32, _ seed: UInt64,
    _ attackSeconds: Double, _ verdictOut: UnsafeMutablePointer<Int32>?,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    let f = "certmax_spec_verify"
    return cCall(f) {
        guard let spec else { throw CallError.invalid(f, "argument \"spec\" is NULL") }
        let v = try ArgumentChecks.output(verdictOut, "verdict_out", f)
        let j = try ArgumentChecks.output(jsonOut, "json_out", f)
        let loaded = LoadedSpec.from(spec)
        try VerifyC.run(f, load: { loaded.spec }, method: method, attack: attack, seed: seed,
                        attackSeconds: attackSeconds, verdictOut: v, jsonOut: j)
    }
}

/// `certmax_spec_free`: releases a handle from `certmax_spec_load_*` (NULL is ignored).
@c(certmax_spec_free)
public func certmax_spec_free(_ spec: UnsafeMutableRawPointer?) {
    if let spec { Unmanaged<LoadedSpec>.fromOpaque(spec).release() }
}
