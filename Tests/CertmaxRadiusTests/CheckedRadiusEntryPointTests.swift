import CertmaxIO
import Testing
@testable import CertmaxRadius

/// The public radius functions throw an `InputError` naming the function on invalid
/// arguments (they trapped at a precondition before).
@Suite struct CheckedRadiusEntryPointTests {
    static let bad: [([Double], [Double], Double, String)] = [
        ([], [], 1, "logits"),
        ([0, 1], [1], 1, "directions"),
        ([.nan, 1], [1, 0], 1, "logits[0]"),
        ([0, 1], [1, .infinity], 1, "directions[1]"),
        ([0, 1], [1, 0], 0, "temperature"),
        ([0, 1], [1, 0], .nan, "temperature"),
        ([0, 1], [1, 0], -.infinity, "temperature"),
    ]

    @Test func invalidSamplesThrow() {
        for (z, a, t, needle) in Self.bad {
            let calls: [(String, () throws -> Void)] = [
                ("exactTaylorRadius", { _ = try exactTaylorRadius(logits: z, directions: a, temperature: t) }),
                ("binaryTaylorRadius", { _ = try binaryTaylorRadius(logits: z, directions: a, temperature: t) }),
                ("taylorRadiusExceeds", { _ = try taylorRadiusExceeds(logits: z, directions: a, temperature: t, radius: 1) }),
            ]
            for (name, call) in calls {
                do {
                    try call()
                    Issue.record("\(name)(\(z), \(a), T \(t)) did not throw")
                } catch let e as InputError {
                    #expect(e.source == name && e.description.contains(needle), "\(name)(\(z), \(a), T \(t)): \(e)")
                } catch {
                    Issue.record("\(name): unexpected \(error)")
                }
            }
        }
        // Directions with one or three distinct values have no closed form.
        #expect(throws: InputError.self) { try binaryTaylorRadius(logits: [0, 1], directions: [1, 1]) }
        #expect(throws: InputError.self) { try binaryTaylorRadius(logits: [0, 1, 2], directions: [1, 0, 2]) }
        for opts in [ExactRadiusOptions(relativeWidth: 0), ExactRadiusOptions(relativeWidth: .nan),
                     ExactRadiusOptions(relativeWidth: 1), ExactRadiusOptions(maxArcEvaluations: 0)] {
            #expect(throws: InputError.self, "\(opts)") { try exactTaylorRadius(logits: [0, 1], directions: [1, 0], options: opts) }
        }
    }

    @Test func validSampleMatchesUnchecked() throws {
        let z = [0.3, -0.2, 0.9], a = [0.0, 1.0, 2.5]
        #expect(try exactTaylorRadius(logits: z, directions: a) == uncheckedExactTaylorRadius(logits: z, directions: a))
        #expect(try binaryTaylorRadius(logits: [0, 1], directions: [1, 0], temperature: 0.5)
                == uncheckedBinaryTaylorRadius(logits: [0, 1], directions: [1, 0], temperature: 0.5))
    }
}
