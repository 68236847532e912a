import Foundation

/// Reads a whole input file, or standard input for the path `-`, and decompresses it when
/// it is gzip content (it starts with the magic bytes `1f 8b`, whatever the file name), so
/// `model.onnx.gz` or `spec.vnnlib.gz` read like their uncompressed versions.
///
/// Throws `InputError(.unreadable)` naming the path when the file cannot be read
/// ("no such file", "is a directory", "permission denied"; devices and FIFOs such as
/// `/dev/null` are read like files, so an empty one is empty content), and
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
    // FileHandle, not FileManager.contents: the latter returns nil for character devices
    // and FIFOs (/dev/null, /dev/stdin, <(...)), which were then reported as a permission
    // problem (issue 15). An empty device now reads as empty content.
    guard let handle = FileHandle(forReadingAtPath: path) else {
        let why = FileManager.default.isReadableFile(atPath: path) ? "cannot be opened" : "permission denied"
        throw InputError(.unreadable, source: path, problem: why)
    }
    defer { try? handle.close() }
    do {
        return (try handle.readToEnd() ?? Data(), path)
    } catch {
        throw InputError(.unreadable, source: path, problem: "read error (\(error.localizedDescription))")
    }
}
