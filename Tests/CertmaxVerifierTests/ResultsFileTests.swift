import CertmaxIO
import CertmaxVerifier
import Foundation
import Testing
import TestSupport

@Suite("VNN-COMP results file")
struct ResultsFileTests {
    @Test func exactText() {
        #expect(VNNCompResultsFile(result: .unsat).text == "unsat\n")
        #expect(VNNCompResultsFile(result: .timeout).text == "timeout\n")
        let f = VNNCompResultsFile(result: .sat, input: [0.25, -1.5], output: [0.1, 3])
        #expect(f.text == "sat\n((X_0 0.25)\n (X_1 -1.5)\n (Y_0 0.10000000000000001)\n (Y_1 3))\n")
    }

    /// Seeded: random finite Doubles of every binade survive text -> parse bit for bit.
    @Test func roundTrip() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let x = (0..<Int.random(in: 1...20, using: &rng)).map { _ in rng.anyFiniteDouble() }
            let y = (0..<Int.random(in: 1...10, using: &rng)).map { _ in rng.anyFiniteDouble() }
            let f = VNNCompResultsFile(result: .sat, input: x, output: y)
            let back = try VNNCompResultsFile(text: f.text, source: "r.txt")
            #expect(back.input.map(\.bitPattern) == x.map(\.bitPattern) && back.output.map(\.bitPattern) == y.map(\.bitPattern), "seed 11")
        }
        for r in [VNNCompResult.unsat, .unknown, .timeout] {
            #expect(try VNNCompResultsFile(text: VNNCompResultsFile(result: r).text, source: "r") == VNNCompResultsFile(result: r))
        }
    }

    @Test func atomicWriteAndRejections() throws {
        let dir = try temporaryFolder()
        let path = dir.appendingPathComponent("out.txt").path
        try VNNCompResultsFile(result: .unknown).write(to: path)
        try VNNCompResultsFile(result: .unsat).write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "unsat\n")
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
        #expect(throws: CertmaxFailure.self) { try VNNCompResultsFile(result: .sat, input: [.nan], output: [0]).write(to: path) }
        #expect(throws: CertmaxFailure.self) { try VNNCompResultsFile(result: .error).write(to: path) }
        #expect(throws: CertmaxFailure.self) { try VNNCompResultsFile(result: .unsat).write(to: "/nonexistent-dir/x.txt") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "unsat\n")
        for bad in ["", "holds\n", "error\n", "unsat\n((X_0 1))", "sat\n((X_0 1)\n (X_2 3))", "sat\n((X_0 nan))", "sat\n(X_0 1"] {
            #expect(throws: InputError.self, "\(bad)") { try VNNCompResultsFile(text: bad, source: "r") }
        }
    }
}
