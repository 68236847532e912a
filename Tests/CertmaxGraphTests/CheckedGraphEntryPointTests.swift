import CertmaxIO
import CertmaxNumerics
import Testing
@testable import CertmaxGraph

/// Issue 15 item 2: the public tensor constructors and graph evaluators throw an
/// `InputError` on invalid arguments (each trapped at a precondition, an index out of range
/// or a negative array count before); the `unchecked...` forms keep the fast path.
@Suite struct CheckedGraphEntryPointTests {
    /// x [1, 3] -> Relu -> y.
    static func reluGraph() -> Graph {
        var g = Graph()
        let x = try! g.addInput(name: "x", shape: [1, 3])
        g.outputs = [try! g.addNode(name: "relu", op: Relu(), inputs: [x])]
        return g
    }

    @Test func tensorConstructorsThrow() {
        #expect(throws: InputError.self) { try Tensor<Double>(shape: [2, 2], data: [1, 2, 3]) }
        #expect(throws: InputError.self) { try Tensor<Double>(shape: [-1, -2], data: [1, 2]) }
        #expect(throws: InputError.self) { try Tensor<Double>(shape: [Int.max, 3], data: []) }
        #expect(throws: InputError.self) { try Tensor<Double>(shape: [-3], repeating: 0) }
        #expect(throws: InputError.self) { try Tensor<Double>(shape: [1 << 40, 1 << 40], repeating: 0) }
        let t = try? Tensor<Double>(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(t?.shape == [2, 3])
        #expect(throws: InputError.self) { try t?.reshaped([4, 2]) }
        #expect(throws: InputError.self) { try t?.reshaped([-2, -3]) }
        #expect((try? t?.reshaped([3, 2]))?.shape == [3, 2])
        let lo = Tensor(uncheckedShape: [2], data: [0.0, 1]), hi = Tensor(uncheckedShape: [2], data: [1.0, 0])
        #expect(throws: InputError.self) { try Tensor(lower: lo, upper: hi) }  // lower > upper at 1
        #expect(throws: InputError.self) { try Tensor(lower: lo, upper: Tensor(uncheckedShape: [1, 2], data: [1.0, 2])) }
        #expect(throws: InputError.self) { try Tensor(lower: lo, upper: Tensor(uncheckedShape: [2], data: [.nan, 2])) }
        do {
            _ = try Tensor<Double>(shape: [2, 2], data: [1, 2, 3])
        } catch {
            #expect(error.source == "Tensor" && error.description.contains("needs 4"), "\(error)")
        }
    }

    @Test func evaluatorsThrowOnBadInputs() throws {
        let g = Self.reluGraph()
        let good = Tensor(uncheckedShape: [1, 3], data: [-1.0, 0, 2])
        let badPoints: [[Tensor<Double>]] = [
            [], [good, good], [Tensor(uncheckedShape: [3], data: [1, 2, 3])],
            [Tensor(uncheckedShape: [1, 3], data: [1, .nan, 3])],
        ]
        for x in badPoints {
            #expect(throws: InputError.self, "\(x.map(\.shape))") { try g.forwardAll(x) }
            #expect(throws: InputError.self, "\(x.map(\.shape))") { try g.forward(x) }
            #expect(throws: InputError.self, "\(x.map(\.shape))") {
                try g.gradient(at: x, weights: Tensor(uncheckedShape: [1, 3], repeating: 1))
            }
        }
        // A tensor whose public fields were edited out of shape.
        var broken = good
        broken.data.removeLast()
        #expect(throws: InputError.self) { try g.forward([broken]) }
        // Bad output index and gradient weights of the wrong size.
        #expect(throws: InputError.self) { try g.gradient(at: [good], outputIndex: 1, weights: good) }
        #expect(throws: InputError.self) { try g.gradient(at: [good], weights: Tensor(uncheckedShape: [2], repeating: 1)) }

        let box = good.asIntervals
        var inverted = box
        inverted.data[1] = Interval(uncheckedLower: 1, upper: 0)
        var nanBox = box
        nanBox.data[2] = Interval(uncheckedLower: .nan, upper: 1)
        for b in [[], [box, box], [Tensor(uncheckedShape: [3, 1], data: box.data)], [inverted], [nanBox]] {
            #expect(throws: InputError.self, "\(b.map(\.shape))") { try g.intervalAll(b) }
            #expect(throws: InputError.self, "\(b.map(\.shape))") { try g.interval(b) }
        }
        do {
            _ = try g.intervalAll([inverted])
        } catch {
            #expect(error.source == "Graph.intervalAll" && error.description.contains("input 0[1]"), "\(error)")
        }
        // Valid inputs: checked == unchecked; infinite ends are valid.
        #expect(try g.forward([good])[0].data == g.uncheckedForward([good])[0].data)
        #expect(try g.interval([box])[0].data == g.uncheckedInterval([box])[0].data)
        let wide = Tensor(uncheckedShape: [1, 3], data: [Interval.entire, .entire, .entire])
        #expect(try g.interval([wide])[0].data[0].upper == .infinity)
    }
}
