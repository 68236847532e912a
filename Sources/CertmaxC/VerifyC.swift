import CertmaxAttention
import CertmaxIO
import CertmaxVerifier
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Verification of an attention-layer spec: `certmax verify SPEC --format json`
/// (`VerificationSpec` + `Verifier.run`), returning the JSON text the CLI prints.
enum VerifyC {
    /// Parses the options as the CLI does, runs the verifier, hands out the JSON.
    static func run(_ function: String, load: () throws -> VerificationSpec, method: UnsafePointer<CChar>?,
                    attack: Int32, seed: UInt64, attackSeconds: Double,
                    verdictOut: UnsafeMutablePointer<Int32>, jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws {
        jsonOut.pointee = nil
        let name = method.map { String(cString: $0) } ?? BoundMethod.symbolic.rawValue
        guard let m = BoundMethod(rawValue: name) else {
            throw CallError.usage(function, "method must be one of \(BoundMethod.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(name)\"")
        }
        guard attackSeconds >= 0, attackSeconds.isFinite else {
            throw CallError.usage(function, "attack_seconds must be a finite number >= 0, got \(attackSeconds)")
        }
        let spec = try load()
        var options = VerifierOptions(method: m, falsify: attack != 0)
        options.falsifier.seed = seed
        options.falsifier.timeBudget = attackSeconds
        let report = m == .symbolic ? try SymbolicSpecVerifier.run(spec: spec, options: options)
                                    : try Verifier.run(spec: spec, options: options)
        guard let text = strdup(report.json.serialized(pretty: true)) else {
            throw CertmaxFailure("\(function): out of memory for the result")
        }
        jsonOut.pointee = text
        verdictOut.pointee = report.verdict.exitCode.rawValue
    }
}

/// `certmax_verify_file`: runs `certmax verify SPEC_PATH --format json` in process. On
/// success writes the verdict (0 verified, 10 violated, 11 unknown: the CLI's exit codes)
/// and a malloc'd NUL-terminated copy of the JSON the CLI prints to `*json_out` (free it
/// with `certmax_string_free`). `method` is "interval", "vertex", "zone" or "symbolic" (NULL: the CLI's default);
/// `attack` 0 is `--no-attack`; `seed` and `attack_seconds` as `--seed`, `--attack-seconds`
/// (CLI defaults 0x5EED and 20). Input errors return 65/66 with the CLI's message.
@c(certmax_verify_file)
public func certmax_verify_file(
    _ specPath: UnsafePointer<CChar>?, _ method: UnsafePointer<CChar>?, _ attack: Int32, _ seed: UInt64,
    _ attackSeconds: Double, _ verdictOut: UnsafeMutablePointer<Int32>?,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    let f = "certmax_verify_file"
    return cCall(f) {
        let path = try ArgumentChecks.pointer(specPath, "spec_path", f)
        let v = try ArgumentChecks.output(verdictOut, "verdict_out", f)
        let j = try ArgumentChecks.output(jsonOut, "json_out", f)
        try VerifyC.run(f, load: { try VerificationSpec(path: String(cString: path)) }, method: method, attack: attack,
                        seed: seed, attackSeconds: attackSeconds, verdictOut: v, jsonOut: j)
    }
}

/// `certmax_verify_json`: `certmax_verify_file` for a spec given as JSON text; relative
/// paths in it are resolved against `base_dir` (NULL: the current directory). Messages
/// name the spec as "<spec>".
@c(certmax_verify_json)
public func certmax_verify_json(
    _ specJSON: UnsafePointer<CChar>?, _ baseDir: UnsafePointer<CChar>?, _ method: UnsafePointer<CChar>?,
    _ attack: Int32, _ seed: UInt64, _ attackSeconds: Double, _ verdictOut: UnsafeMutablePointer<Int32>?,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    let f = "certmax_verify_json"
    return cCall(f) {
        let text = try ArgumentChecks.pointer(specJSON, "spec_json", f)
        let v = try ArgumentChecks.output(verdictOut, "verdict_out", f)
        let j = try ArgumentChecks.output(jsonOut, "json_out", f)
        let base = baseDir.map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
        try VerifyC.run(f, load: {
            let doc = try JSONDocument(data: Data(String(cString: text).utf8), source: "<spec>")
            return try VerificationSpec(document: doc, baseDirectory: base)
        }, method: method, attack: attack, seed: seed, attackSeconds: attackSeconds, verdictOut: v, jsonOut: j)
    }
}

/// `certmax_string_free`: frees a string returned by this library (NULL is ignored).
@c(certmax_string_free)
public func certmax_string_free(_ s: UnsafeMutablePointer<CChar>?) {
    free(s)
}
