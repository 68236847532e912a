import CertmaxIO
import Testing
import TestSupport
@testable import CertmaxVerifier
import CertmaxGraph
import CertmaxNumerics

/// Issue 15 item 2: `GraphPropertyVerifier.run`, `disjunctMargins`, `bounds` and
/// `BranchAndBound.search` throw an `InputError` on a graph without one input, a box of
/// another size, NaN, lower > upper, or constraints that do not match the output (index
/// traps, a precondition and `Tensor(lower:upper:)`'s trap before).
@Suite struct CheckedVerifierEntryPointTests {
    static func reluGraph() -> Graph {
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [1, 2])
        g.outputs = [try! g.addNode(name: "relu", op: Relu(), inputs: [x])]
        return g
    }

    @Test func badPropertiesThrow() {
        let g = Self.reluGraph()
        let ok = LinearDisjunction(disjuncts: [[.init(c: [1, 0], bound: -0.5)]])
        let wrongC = LinearDisjunction(disjuncts: [[.init(c: [1], bound: -0.5)]])
        let nanC = LinearDisjunction(disjuncts: [[.init(c: [Interval(uncheckedLower: .nan, upper: 1), Interval(0)], bound: Interval(0))]])
        let deadline = ContinuousClock.now + .seconds(5)
        let bad: [(Graph, [Double], [Double], LinearDisjunction)] = [
            (Graph(), [], [], ok),                           // no input
            (g, [0], [1], ok),                               // box of another size
            (g, [0, .nan], [1, 1], ok),                      // NaN
            (g, [0, 2], [1, 1], ok),                         // lower > upper
            (g, [0, 0], [1, 1], wrongC),                     // coefficients of another count
            (g, [0, 0], [1, 1], nanC),                       // NaN coefficient
        ]
        for (graph, l, u, unsafe) in bad {
            #expect(throws: InputError.self, "\(l) \(u)") {
                try GraphPropertyVerifier.run(graph, lower: l, upper: u, unsafe: unsafe, deadline: deadline)
            }
            #expect(throws: InputError.self, "\(l) \(u)") {
                try BranchAndBound.search(graph, lower: l, upper: u, unsafe: unsafe, bounder: .box(), deadline: deadline)
            }
            let shape = [1, l.count]
            #expect(throws: InputError.self, "\(l) \(u)") {
                try GraphPropertyVerifier.disjunctMargins(graph, lower: Tensor(uncheckedShape: shape, data: l),
                                                          upper: Tensor(uncheckedShape: shape, data: u), unsafe: unsafe)
            }
        }
        #expect(throws: InputError.self) {
            try GraphPropertyVerifier.run(g, lower: [0, 0], upper: [1, 1], searchLower: [0, 0], unsafe: ok, deadline: deadline)
        }
        #expect(throws: InputError.self) {
            try BranchAndBound.search(g, lower: [0, 0], upper: [1, 1], unsafe: ok, rootMargins: [1, 2], bounder: .box(), deadline: deadline)
        }
        #expect(throws: InputError.self) {  // shape [2] instead of [1, 2]
            try GraphPropertyVerifier.bounds(g, lower: Tensor(uncheckedShape: [2], data: [0, 0]),
                                             upper: Tensor(uncheckedShape: [2], data: [1, 1]), unsafe: ok)
        }
    }

    @Test func validPropertyMatchesUnchecked() throws {
        let g = Self.reluGraph()
        // relu(x)_0 <= -0.5 is unreachable: proved by both forms.
        let unsafe = LinearDisjunction(disjuncts: [[.init(c: [1, 0], bound: -0.5)]])
        let deadline = ContinuousClock.now + .seconds(5)
        let checked = try GraphPropertyVerifier.run(g, lower: [-1, -1], upper: [1, 1], unsafe: unsafe, deadline: deadline)
        let plain = GraphPropertyVerifier.uncheckedRun(g, lower: [-1, -1], upper: [1, 1], unsafe: unsafe, deadline: deadline)
        #expect(checked.outcome == .proved && plain.outcome == .proved)
        #expect(checked.disjunctMargins == plain.disjunctMargins)
    }
}
