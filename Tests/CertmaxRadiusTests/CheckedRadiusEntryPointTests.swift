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
                ("ExponentialSum", { _ = try ExponentialSum(logits: z, directions: a, temperature: t) }),
                ("taylorRadiusLowerBounds", {
                    _ = try z.withUnsafeBufferPointer { zb throws(InputError) in
                        try a.withUnsafeBufferPointer { ab throws(InputError) in try taylorRadiusLowerBounds(logits: zb, directions: ab, temperature: t) }
                    }
                }),
                ("taylorRadiusLowerBoundsBatch", {
                    var r = [0.0], f = [0.0]
                    try z.withUnsafeBufferPointer { zb throws(InputError) in
                        try a.withUnsafeBufferPointer { ab throws(InputError) in
                            try r.withUnsafeMutableBufferPointer { rb throws(InputError) in
                                try f.withUnsafeMutableBufferPointer { fb throws(InputError) in
                                    try taylorRadiusLowerBoundsBatch(logits: zb, directions: ab, columns: Swift.max(z.count, 1), temperature: t,
                                                                     rhoA: rb, refined: fb)
                                }
                            }
                        }
                    }
                }),
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

    /// Issue 15 item 2: the buffer entry points and the batch kernels throw instead of
    /// trapping on shape mismatches (a precondition or a force-unwrapped base address before).
    @Test func bufferEntryPointsThrowOnShapes() {
        var out = [Double](repeating: 0, count: 2), ref = out
        let a: [Double] = [1, 0, 2, 3, 4]  // 5 entries: not 2 x 2, not 2 x 3
        for columns in [0, -1, 2, 3, Int.max] {
            #expect(throws: InputError.self, "columns \(columns)") {
                try a.withUnsafeBufferPointer { ab throws(InputError) in
                    try out.withUnsafeMutableBufferPointer { ob throws(InputError) in
                        try taylorRadiusRhoABatch(directions: ab, columns: columns, into: ob)
                    }
                }
            }
            #expect(throws: InputError.self, "columns \(columns)") {
                try a.withUnsafeBufferPointer { ab throws(InputError) in
                    try out.withUnsafeMutableBufferPointer { ob throws(InputError) in
                        try ref.withUnsafeMutableBufferPointer { fb throws(InputError) in
                            try taylorRadiusLowerBoundsBatch(logits: ab, directions: ab, columns: columns, rhoA: ob, refined: fb)
                        }
                    }
                }
            }
        }
        #expect(throws: InputError.self) { try [Double]().withUnsafeBufferPointer { b throws(InputError) in try taylorRadiusRhoA(directions: b) } }
        #expect(throws: InputError.self) { try [1.0, .nan].withUnsafeBufferPointer { b throws(InputError) in try taylorRadiusRhoA(directions: b) } }
        // Zero rows with empty (nil-based) buffers: nothing to do, no trap.
        var none: [Double] = []
        none.withUnsafeMutableBufferPointer { nb in
            #expect(throws: Never.self) {
                try taylorRadiusLowerBoundsBatch(logits: UnsafeBufferPointer(start: nil, count: 0), directions: UnsafeBufferPointer(start: nil, count: 0),
                                                 columns: 3, rhoA: nb, refined: nb)
            }
        }
        // The empty buffer's max and min are the identities (it trapped before).
        let (mx, mn) = [Double]().withUnsafeBufferPointer { simdMaxMin($0) }
        #expect(mx == -.infinity && mn == .infinity)
        // Checked and unchecked agree on valid input.
        let z: [Double] = [2, 0.5, -1], d: [Double] = [0.3, -0.2, 0.1]
        let checked = try? z.withUnsafeBufferPointer { zb throws(InputError) in
            try d.withUnsafeBufferPointer { db throws(InputError) in try taylorRadiusLowerBounds(logits: zb, directions: db) } }
        let plain = z.withUnsafeBufferPointer { zb in d.withUnsafeBufferPointer { uncheckedTaylorRadiusLowerBounds(logits: zb, directions: $0) } }
        #expect(checked?.refined == plain.refined && checked?.rhoA == plain.rhoA)
    }
}
