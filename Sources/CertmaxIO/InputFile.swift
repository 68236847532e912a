import Foundation

/// Reads a whole input file, or standard input for the path `-`, and decompresses it when
/// it is gzip content (it starts with the magic bytes `1f 8b`, whatever the file name), so
/// `model.onnx.gz` or `spec.vnnlib.gz` read like their uncompressed versions.
///
/// Throws `InputError(.unreadable)` naming the path when the file cannot be read, and
/// `InputError(.invalid)` for corrupt, truncated or oversized gzip content (see `gunzip`;
/// at most `maximumDecompressedInputSize` bytes).
public func readInputFile(_ path: String) throws(InputError) -> (data: Data, source: String) {
    let (data, source) = try readRawInputFile(path)
    if isGzip(data) { return (try gunzip(data, source: source), source) }
    return (data, source)
}

/// `readInputFile` without gzip detection: the bytes as stored.
func readRawInputFile(_ path: String) throws(InputError) -> (data: Data, source: String) {
    if path == "-" {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return (data, "<stdin>")
    }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        throw InputError(.unreadable, source: path, problem: "no such file")
    }
    if isDir.boolValue { throw InputError(.unreadable, source: path, problem: "is a directory, expected a file") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(.unreadable, source: path, problem: "cannot be read (permissions?)")
    }
    return (data, path)
}
