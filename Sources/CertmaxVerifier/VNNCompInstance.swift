import CertmaxIO
import Foundation

/// One row of a VNN-COMP `instances.csv`: `onnx,vnnlib,timeout`.
public struct VNNCompInstance: Sendable, Equatable {
    /// The paths as written in the CSV (relative to its folder); they name the instance
    /// in a batch's output rows.
    public var onnx: String
    public var vnnlib: String
    /// Seconds, from the CSV.
    public var timeout: Double
    /// The files to read: resolved against the CSV's folder, with `.gz` appended when
    /// only the compressed file exists.
    public var onnxPath: String
    public var vnnlibPath: String
    /// The line of the row in the CSV.
    public var line: Int

    /// Reads an instances file.
    ///
    /// Edge Cases (one-line `InputError` naming the file and line): a row without three
    /// fields, a timeout that is not a positive finite number, a file that exists
    /// neither as named nor with `.gz` appended (`.unreadable`), an empty list. Blank
    /// lines are skipped; a header row `onnx,vnnlib,timeout` is skipped.
    /// Postconditions: rows in file order; `onnxPath` and `vnnlibPath` exist.
    public static func load(csvPath: String) throws(InputError) -> [VNNCompInstance] {
        let (data, source) = try readInputFile(csvPath)
        let folder = URL(fileURLWithPath: csvPath).deletingLastPathComponent()
        let (rows, open) = CSVRows.parse(String(decoding: data, as: UTF8.self))
        if let open { throw InputError(source: source, location: "line \(open)", problem: "unterminated quoted field") }
        var out: [VNNCompInstance] = []
        for row in rows {
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if out.isEmpty, f.count == 3, f[0].lowercased() == "onnx", f[1].lowercased() == "vnnlib" { continue }
            guard f.count == 3, !f[0].isEmpty, !f[1].isEmpty else {
                throw InputError(source: source, location: "line \(row.line)", problem: "expected onnx,vnnlib,timeout (\(f.count) fields)")
            }
            guard let t = Double(f[2]), t.isFinite, t > 0 else {
                throw InputError(source: source, location: "line \(row.line)", problem: "timeout \"\(f[2].prefix(30))\" is not a positive number of seconds")
            }
            let onnxPath = try resolve(f[0], in: folder, source: source, line: row.line)
            let vnnlibPath = try resolve(f[1], in: folder, source: source, line: row.line)
            out.append(VNNCompInstance(onnx: f[0], vnnlib: f[1], timeout: t, onnxPath: onnxPath, vnnlibPath: vnnlibPath, line: row.line))
        }
        guard !out.isEmpty else { throw InputError(source: source, problem: "no instances") }
        return out
    }

    /// The path relative to `folder` (absolute paths as they are), or its `.gz` twin.
    static func resolve(_ path: String, in folder: URL, source: String, line: Int) throws(InputError) -> String {
        let full = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
        if FileManager.default.fileExists(atPath: full) { return full }
        if FileManager.default.fileExists(atPath: full + ".gz") { return full + ".gz" }
        throw InputError(.unreadable, source: source, location: "line \(line)", problem: "\(path) not found (nor \(path).gz)")
    }
}
