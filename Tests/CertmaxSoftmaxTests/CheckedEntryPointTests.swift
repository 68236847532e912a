import CertmaxIO
import CertmaxNumerics
import Testing
import TestSupport
@testable import CertmaxSoftmax

/// The public (checked) softmax entry points throw an `InputError` naming the function for
/// every class of invalid argument (they trapped at a precondition before), and on valid
/// arguments return exactly what their `unchecked...` counterparts return.
@Suite struct CheckedEntryPointTests {
    /// Invalid boxes: (lower, upper, temperature, what the message must contain).
    static let badBoxes: [([Double], [Double], Double, String)] = [
        ([], [], 1, "at least one"),
        ([0, 1], [1], 1, "entries"),
        ([.nan, 0], [1, 1], 1, "lower[0]"),
        ([0, 0], [1, .infinity], 1, "upper[1]"),
        ([0, -.infinity], [1, 1], 1, "lower[1]"),
        ([2, 0], [1, 1], 1, "greater than"),
        ([0, 0], [1, 1], 0, "temperature"),
        ([0, 0], [1, 1], -0.0, "temperature"),
        ([0, 0], [1, 1], -1, "temperature"),
        ([0, 0], [1, 1], .infinity, "temperature"),
        ([0, 0], [1, 1], .nan, "temperature"),
    ]

    /// Every checked box function, as a throwing closure named for the message.
    static let boxFunctions: [(String, ([Double], [Double], Double) throws -> Void)] = [
        ("SoftmaxBounds.perCoordinate", { l, u, t in _ = try SoftmaxBounds.perCoordinate(lower: l, upper: u, temperature: t) }),
        ("SoftmaxBounds.logPerCoordinate", { l, u, t in _ = try SoftmaxBounds.logPerCoordinate(lower: l, upper: u, temperature: t) }),
        ("VertexSoftmax.objective", { l, u, t in _ = try VertexSoftmax.objective(c: l.map { _ in 1 }, lower: l, upper: u, temperature: t) }),
        ("IntervalObjective.objective", { l, u, t in _ = try IntervalObjective.objective(c: l.map { _ in 1 }, lower: l, upper: u, temperature: t) }),
        ("PreciseSoftmax.perCoordinate", { l, u, t in _ = try PreciseSoftmax.perCoordinate(lower: l, upper: u, temperature: t, precision: 64) }),
        ("PreciseSoftmax.logPerCoordinate", { l, u, t in _ = try PreciseSoftmax.logPerCoordinate(lower: l, upper: u, temperature: t, precision: 64) }),
        ("PreciseSoftmax.objective", { l, u, t in _ = try PreciseSoftmax.objective(c: l.map { _ in 1 }, lower: l, upper: u, temperature: t, precision: 64) }),
        ("SoftmaxVariants.perCoordinate", { l, u, t in _ = try SoftmaxVariants.perCoordinate(.sigsoftmax, lower: l, upper: u, temperature: t) }),
        ("SoftmaxVariants.objective", { l, u, t in _ = try SoftmaxVariants.objective(.sigsoftmax, c: l.map { _ in 1 }, lower: l, upper: u, temperature: t) }),
        ("RelaxedObjective.objective", { l, u, t in _ = try RelaxedObjective.objective(c: l.map { _ in 1 }, lower: l, upper: u, temperature: t, method: .er) }),
        ("BatchedSoftmax.objectives", { l, u, t in
            _ = try BatchedSoftmax.objectives(try ObjectivePlan(coefficients: [l.map { _ in 1 }.isEmpty ? [1] : l.map { _ in 1 }]),
                                              lower: l, upper: u, rows: 1, temperature: t) }),
        ("BatchedSoftmax.perCoordinate", { l, u, t in
            var a: [Double] = [], b: [Double] = []
            try BatchedSoftmax.perCoordinate(lower: l, upper: u, rows: 1, count: Swift.max(l.count, 1), temperature: t, lowerOut: &a, upperOut: &b) }),
    ]

    @Test func everyBadBoxThrowsForEveryFunction() {
        for (name, f) in Self.boxFunctions {
            for (l, u, t, needle) in Self.badBoxes {
                do {
                    try f(l, u, t)
                    Issue.record("\(name)(lower: \(l), upper: \(u), T: \(t)) did not throw")
                } catch let e as InputError {
                    #expect(e.exitCode == .badInput && e.source.hasPrefix(name.split(separator: ".")[0]) && !e.description.contains("\n"),
                            "\(name): \(e)")
                    // Batched functions name rows/shapes rather than lower[i]; the rest name the field.
                    if !name.hasPrefix("Batched") {
                        #expect(e.description.contains(needle), "\(name)(\(l), \(u), T \(t)): \(e) lacks \(needle)")
                    }
                } catch {
                    Issue.record("\(name): unexpected error \(error)")
                }
            }
        }
    }

    @Test func badCoefficientsAndPrecisionThrow() {
        let l = [0.0, 1], u = [1.0, 2]
        for c in [[1.0], [.nan, 0], [0, .infinity], [0x1p1001, 0]] {
            #expect(throws: InputError.self, "c = \(c)") { try VertexSoftmax.objective(c: c, lower: l, upper: u) }
            #expect(throws: InputError.self, "c = \(c)") { try PreciseSoftmax.objective(c: c, lower: l, upper: u, precision: 80) }
            #expect(throws: InputError.self, "c = \(c)") { try IntervalObjective.objective(c: c, lower: l, upper: u) }
            #expect(throws: InputError.self, "c = \(c)") { try SoftmaxVariants.objective(.softmax, c: c, lower: l, upper: u) }
            #expect(throws: InputError.self, "c = \(c)") { try RelaxedObjective.objective(c: c, lower: l, upper: u, method: .shi) }
            #expect(throws: InputError.self, "c = \(c)") { try ObjectivePlan(coefficients: [[1, 1], c]) }
        }
        #expect(throws: InputError.self) { try ObjectivePlan(coefficients: []) }
        #expect(throws: InputError.self) { try ObjectivePlan(coefficients: [[]]) }
        for p in [Int.min, -1, 0, 52, 100_001, Int.max] {
            #expect(throws: InputError.self, "precision \(p)") { try PreciseSoftmax.perCoordinate(lower: l, upper: u, precision: p) }
            #expect(throws: InputError.self, "precision \(p)") { try PreciseSoftmax.logPerCoordinate(lower: l, upper: u, precision: p) }
            #expect(throws: InputError.self, "precision \(p)") { try PreciseSoftmax.objective(c: [1, 0], lower: l, upper: u, precision: p) }
        }
        #expect(throws: InputError.self) { try RelaxedObjective.objective(c: [1, 0], lower: l, upper: u, method: .vertex) }
        var a: [Double] = [], b: [Double] = []
        #expect(throws: InputError.self) {
            try BatchedSoftmax.perCoordinate(lower: [0, 0, 0], upper: [1, 1, 1], rows: 2, count: 2, lowerOut: &a, upperOut: &b)
        }
        #expect(throws: InputError.self) {
            try BatchedSoftmax.perCoordinate(lower: [0, 0], upper: [1, 1], rows: Int.max, count: 2, lowerOut: &a, upperOut: &b)
        }
    }

    /// Valid arguments (seeded random boxes, subnormal and huge temperatures): the checked
    /// form returns exactly the unchecked one's result.
    @Test func checkedEqualsUncheckedOnValidInput() throws {
        var rng = SeededGenerator(seed: 0x5eed_c4ec)
        for i in 0..<60 {
            let k = Int.random(in: 1...9, using: &rng)
            let l = (0..<k).map { _ in Double.random(in: -5...5, using: &rng) }
            let u = l.map { $0 + Double.random(in: 0...2, using: &rng) }
            let c = (0..<k).map { _ in Double.random(in: -1...1, using: &rng) }
            let t = [1.0, 0.3, 5e-324, 1e300][i % 4]
            let what = "case \(i): l=\(l) u=\(u) c=\(c) T=\(t)"
            #expect(try SoftmaxBounds.perCoordinate(lower: l, upper: u, temperature: t)
                    == SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, temperature: t), "\(what)")
            #expect(try SoftmaxBounds.logPerCoordinate(lower: l, upper: u, temperature: t)
                    == SoftmaxBounds.uncheckedLogPerCoordinate(lower: l, upper: u, temperature: t), "\(what)")
            let v = try VertexSoftmax.objective(c: c, lower: l, upper: u, temperature: t)
            let w = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u, temperature: t)
            #expect(v.minimum == w.minimum && v.maximum == w.maximum, "\(what)")
            #expect(!v.minimum.lower.isNaN && !v.maximum.upper.isNaN && v.minimum.lower <= v.maximum.upper, "\(what)")
        }
    }
}
