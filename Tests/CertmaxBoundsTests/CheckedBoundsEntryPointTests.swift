import CertmaxIO
import CertmaxNumerics
import CertmaxGraph
import Testing
import TestSupport
@testable import CertmaxBounds

/// Issue 15 item 2: the bound engines' public entry points throw an `InputError` on input
/// boxes of the wrong count or shape, NaN ends, lower > upper, and objectives that do not
/// match the value (preconditions or index-out-of-range traps before).
@Suite struct CheckedBoundsEntryPointTests {
    @Test func enginesThrowOnBadBoxes() throws {
        let g = GraphFixtures.mlp(n: 3, hidden: 4, outputs: 2, relu: true, seed: 7)
        let good = Tensor(uncheckedShape: [1, 3], data: [Interval(uncheckedLower: -0.1, upper: 0.1), Interval(0.2), Interval(uncheckedLower: 0, upper: 1)])
        var inverted = good
        inverted.data[0] = Interval(uncheckedLower: 0.1, upper: -0.1)
        var nanBox = good
        nanBox.data[2] = Interval(uncheckedLower: 0, upper: .nan)
        let bad: [[Tensor<Interval>]] = [[], [good, good], [Tensor(uncheckedShape: [3], data: good.data)], [inverted], [nanBox]]
        for b in bad {
            #expect(throws: InputError.self, "\(b.map(\.shape))") { try SymbolicEngine.propagate(g, inputBoxes: b) }
            #expect(throws: InputError.self, "\(b.map(\.shape))") { try BoxEngine.propagateAll(g, inputBoxes: b) }
            #expect(throws: InputError.self, "\(b.map(\.shape))") { try BoxEngine.propagate(g, inputBoxes: b) }
        }
        do {
            _ = try SymbolicEngine.propagate(g, inputBoxes: [inverted])
        } catch {
            #expect(error.source == "SymbolicEngine.propagate" && error.description.contains("input 0[0]"), "\(error)")
        }
        // Valid boxes: checked == unchecked.
        #expect(try BoxEngine.propagate(g, inputBoxes: [good])[0].data == BoxEngine.uncheckedPropagate(g, inputBoxes: [good])[0].data)
        #expect(try SymbolicEngine.propagate(g, inputBoxes: [good]).boxes.last?.data
                == SymbolicEngine.uncheckedPropagate(g, inputBoxes: [good]).boxes.last?.data)
    }

    @Test func objectivesThrowOnMismatch() throws {
        let g = GraphFixtures.mlp(n: 3, hidden: 4, outputs: 2, relu: true, seed: 7)
        let box = Tensor(uncheckedShape: [1, 3], data: [Interval](repeating: Interval(uncheckedLower: -0.1, upper: 0.1), count: 3))
        let out = g.outputs[0]
        let r = try SymbolicEngine.propagate(g, inputBoxes: [box])
        #expect(throws: InputError.self) { try SymbolicEngine.lowerBound(r, value: out, c: [Interval(1)]) }
        #expect(throws: InputError.self) { try SymbolicEngine.objective(r, value: -1, c: [Interval(1), Interval(1)]) }
        #expect(throws: InputError.self) { try SymbolicEngine.lowerBound(r, value: out, c: [Interval(1), Interval(uncheckedLower: 2, upper: 1)]) }
        let boxes = try BoxEngine.propagateAll(g, inputBoxes: [box])
        #expect(throws: InputError.self) { try LinearObjectiveBound.lowerBound(g, boxes: boxes, value: out, c: [1.0]) }
        #expect(throws: InputError.self) { try LinearObjectiveBound.lowerBound(g, boxes: boxes, value: out, c: [1.0, .nan]) }
        #expect(throws: InputError.self) { try LinearObjectiveBound.lowerBound(g, boxes: Array(boxes.dropLast()), value: out, c: [1.0, 0]) }
        #expect(throws: InputError.self) { try LinearObjectiveBound.lowerBound(g, boxes: boxes, value: boxes.count, c: [1.0, 0]) }
        #expect(try LinearObjectiveBound.lowerBound(g, boxes: boxes, value: out, c: [1.0, -1])
                == LinearObjectiveBound.uncheckedLowerBound(g, boxes: boxes, value: out, c: [1.0, -1]))
        #expect(try SymbolicEngine.lowerBound(r, value: out, c: [Interval(1), Interval(-1)])
                == SymbolicEngine.uncheckedLowerBound(r, value: out, c: [Interval(1), Interval(-1)]))
    }

    /// `GradientAttack.minimize` trapped at a precondition (graph inputs), an index out of
    /// range (a box of another size) or in the gradient pass (a gradient of another size).
    @Test func gradientAttackThrows() {
        let g = GraphFixtures.mlp(n: 3, hidden: 4, outputs: 2, relu: true, seed: 7)
        let lo = Tensor(uncheckedShape: [1, 3], data: [-1.0, -1, -1]), hi = Tensor(uncheckedShape: [1, 3], data: [1.0, 1, 1])
        let good: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) = { y in (y.data[0], Tensor(uncheckedShape: y.shape, data: [1, 0])) }
        #expect(throws: InputError.self) { try GradientAttack.minimize(Graph(), lower: lo, upper: hi, objective: good) }
        #expect(throws: InputError.self) {
            try GradientAttack.minimize(g, lower: Tensor(uncheckedShape: [3], data: lo.data), upper: hi, objective: good)
        }
        #expect(throws: InputError.self) { try GradientAttack.minimize(g, lower: hi, upper: lo, objective: good) }
        #expect(throws: InputError.self) {
            try GradientAttack.minimize(g, lower: lo, upper: hi) { y in (y.data[0], Tensor(uncheckedShape: [1], data: [1])) }
        }
        #expect(throws: Never.self) {
            let r = try GradientAttack.minimize(g, lower: lo, upper: hi, objective: good)
            #expect(r != nil)
        }
    }
}

/// `AffineForms(rows:...)` validates its parts (issue 15 item 2); the engine's
/// `init(uncheckedRows:...)` keeps the fast path.
@Suite struct CheckedAffineFormsTests {
    @Test func inconsistentPartsThrow() throws {
        _ = try AffineForms(rows: 2, symbols: 3, slopes: .dense([1, 0, 0, 0, 1, 0]), low: [0, 0], high: [1, 1])
        _ = try AffineForms(rows: 2, symbols: 3, slopes: .unit([0, -1]), low: [0, 0], high: [0, 0])
        #expect(throws: InputError.self) { try AffineForms(rows: 2, symbols: 3, slopes: .zero, low: [0], high: [0, 0]) }
        #expect(throws: InputError.self) { try AffineForms(rows: 2, symbols: 3, slopes: .dense([1, 2, 3]), low: [0, 0], high: [0, 0]) }
        #expect(throws: InputError.self) { try AffineForms(rows: 2, symbols: 3, slopes: .unit([0]), low: [0, 0], high: [0, 0]) }
        #expect(throws: InputError.self) { try AffineForms(rows: 1, symbols: 3, slopes: .unit([3]), low: [0], high: [0]) }
        #expect(throws: InputError.self) { try AffineForms(rows: -1, symbols: 3, slopes: .zero, low: [], high: []) }
        #expect(throws: InputError.self) {
            try AffineForms(rows: Int.max / 2, symbols: 4, slopes: .dense([]), low: [], high: [])
        }
    }
}
