import Foundation

/// Reads a whole input file, or standard input for the path `-`.
///
/// Throws `InputError(.unreadable)` naming the path when the file cannot be read.
public func readInputFile(_ path: String) throws(InputError) -> (data: Data, source: String) {
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
