import CertmaxIO
import CertmaxNumerics
import Testing
@testable import CertmaxSoftmax

/// Issue 15 item 2: `VertexSoftmax.PreparedBox`, its objective methods, `VertexSoftmax.objectives`
/// and `referenceObjective` throw an `InputError` on invalid arguments (each trapped at a
/// precondition before), and on valid ones return what their `unchecked...` forms return.
@Suite struct PreparedBoxCheckedTests {
    @Test func badBoxesThrow() {
        let bad: [([Double], [Double], Double)] = [
            ([], [], 1), ([0, 1], [1], 1), ([.nan, 0], [1, 1], 1), ([0, 0], [1, .infinity], 1),
            ([2, 0], [1, 1], 1), ([0, 0], [1, 1], 0), ([0, 0], [1, 1], .nan),
        ]
        for (l, u, t) in bad {
            #expect(throws: InputError.self, "\(l) \(u) \(t)") { try VertexSoftmax.PreparedBox(lower: l, upper: u, temperature: t) }
            #expect(throws: InputError.self, "\(l) \(u) \(t)") {
                try VertexSoftmax.objectives([l.map { _ in 1 }], lower: l, upper: u, temperature: t)
            }
            #expect(throws: InputError.self, "\(l) \(u) \(t)") {
                try VertexSoftmax.referenceObjective(c: l.map { _ in 1 }, lower: l, upper: u, temperature: t)
            }
        }
        do {
            _ = try VertexSoftmax.PreparedBox(lower: [2, 0], upper: [1, 1])
        } catch {
            #expect(error.source == "VertexSoftmax.PreparedBox" && error.description.contains("greater than"), "\(error)")
        }
    }

    @Test func badCoefficientsThrowFromEveryMethod() throws {
        let l = [-2.0, -1.5, -3, -0.2], u = [0.5, 1, -0.5, 0.7]
        let box = try VertexSoftmax.PreparedBox(lower: l, upper: u)
        for c in [[1.0, 2], [.nan, 0, 0, 0], [0, .infinity, 0, 0], [0x1p1001, 0, 0, 0], [1, 2, 3, 4, 5]] {
            #expect(throws: InputError.self, "\(c)") { try box.objective(c) }
            #expect(throws: InputError.self, "\(c)") { try box.bounds(c) }
            #expect(throws: InputError.self, "\(c)") { try c.withUnsafeBufferPointer { b throws(InputError) in try box.bounds(b) } }
            #expect(throws: InputError.self, "\(c)") { try c.withUnsafeBufferPointer { b throws(InputError) in try box.tightBounds(b) } }
            #expect(throws: InputError.self, "\(c)") { try box.objectives([[1, 1, 1, 1], c]) }
            #expect(throws: InputError.self, "\(c)") { try VertexSoftmax.objectives([c], lower: l, upper: u) }
            #expect(throws: InputError.self, "\(c)") { try VertexSoftmax.referenceObjective(c: c, lower: l, upper: u) }
        }
        do {
            _ = try box.objectives([[1, 1, 1, 1], [0, .nan, 0, 0]])
        } catch {
            #expect(error.description.contains("coefficients[1].c[1]"), "\(error)")
        }
    }

    @Test func checkedEqualsUnchecked() throws {
        let l = [-2.0, -1.5, -3, -0.2], u = [0.5, 1, -0.5, 0.7], c = [0.4, -1, 2, 0.1]
        let box = try VertexSoftmax.PreparedBox(lower: l, upper: u)
        let plain = VertexSoftmax.PreparedBox(uncheckedLower: l, upper: u)
        #expect(try box.bounds(c) == plain.uncheckedBounds(c))
        #expect(try box.objective(c).minimum == plain.uncheckedObjective(c).minimum)
        #expect(try box.objectives([c]).map(\.maximum) == plain.uncheckedObjectives([c]).map(\.maximum))
        #expect(try VertexSoftmax.referenceObjective(c: c, lower: l, upper: u).minimum
                == VertexSoftmax.uncheckedReferenceObjective(c: c, lower: l, upper: u).minimum)
    }
}
