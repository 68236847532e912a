import Foundation

/// The result of running the `certmax` executable.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Locates the `certmax` executable built next to the test bundle.
public func certmaxExecutableURL() -> URL {
    var candidates: [URL] = []
    let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
    candidates.append(argv0.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    for dir in candidates {
        let url = dir.appendingPathComponent("certmax")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    // Fall back to the package's own build folder.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/certmax")
}

/// The package root (for fixtures under specs/).
public var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Runs `certmax` with the given arguments and optional standard input.
public func runCertmax(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> CLIResult {
    let process = Process()
    process.executableURL = certmaxExecutableURL()
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes fully before waiting, so a large output cannot deadlock.
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// Writes `text` to a fresh temporary file and returns its path.
public func temporaryFile(_ text: String, suffix: String = ".json") throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("certmax-test-\(UUID().uuidString)\(suffix)")
    try Data(text.utf8).write(to: url)
    return url.path
}
