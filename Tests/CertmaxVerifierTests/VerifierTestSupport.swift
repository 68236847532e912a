import CertmaxIO
import CertmaxNumerics
import CertmaxVerifier
import Foundation

/// A fresh temporary folder for one test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("certmax-verifier-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A property over 2 inputs in [0, 1] x [-1, 1] and 3 outputs; unsafe iff Y_0 >= Y_1
/// or (Y_2 >= Y_1 and Y_0 <= 0.1).
let smallProperty = """
    (declare-const X_0 Real)
    (declare-const X_1 Real)
    (declare-const Y_0 Real)
    (declare-const Y_1 Real)
    (declare-const Y_2 Real)
    (assert (>= X_0 0))
    (assert (<= X_0 1))
    (assert (>= X_1 -1))
    (assert (<= X_1 1))
    (assert (or (and (>= Y_0 Y_1)) (and (>= Y_2 Y_1) (<= Y_0 0.1))))
    """

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}

func points(_ values: [Double]) -> [Interval] { values.map { Interval($0) } }

/// Thread-safe log for verifier test doubles.
final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
