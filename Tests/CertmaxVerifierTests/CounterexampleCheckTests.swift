import CertmaxIO
import CertmaxNumerics
import CertmaxVerifier
import Testing

@Suite("Counterexample check")
struct CounterexampleCheckTests {
    let spec = try! VNNLibSpecification(text: smallProperty, source: "small.vnnlib")

    @Test func provedOnlyInsideTheBoxAndWithTheWholeEnclosure() {
        // Disjunct 0: Y_0 >= Y_1.
        #expect(CounterexampleCheck.check(spec, input: [0.5, 0], outputEnclosure: points([2, 1, 0])) == .proved(disjunct: 0))
        // Box corners are inside (closed box).
        #expect(CounterexampleCheck.check(spec, input: [1, -1], outputEnclosure: points([2, 1, 0])) == .proved(disjunct: 0))
        // Disjunct 1: Y_2 >= Y_1 and Y_0 <= 0.1.
        #expect(CounterexampleCheck.check(spec, input: [0, 1], outputEnclosure: points([0, 1, 1])) == .proved(disjunct: 1))
        // Outside the box by one ulp.
        #expect(CounterexampleCheck.check(spec, input: [Double(1).nextUp, 0], outputEnclosure: points([2, 1, 0])) == .outsideBox)
        #expect(CounterexampleCheck.check(spec, input: [0, (-1.0).nextDown], outputEnclosure: points([2, 1, 0])) == .outsideBox)
        // The point satisfies Y_0 >= Y_1 but the enclosure straddles it.
        let straddle = [Interval(uncheckedLower: 0.9, upper: 2), Interval(1), Interval(-5)]
        #expect(CounterexampleCheck.check(spec, input: [0.5, 0], outputEnclosure: straddle) == .notProved)
        // Y_0 = 0.1 (the Double) is above the real 0.1: disjunct 1 is not proved.
        #expect(CounterexampleCheck.check(spec, input: [0.5, 0], outputEnclosure: points([0.1, 1, 1])) == .notProved)
        #expect(CounterexampleCheck.check(spec, input: [0.5, 0], outputEnclosure: points([Double(0.1).nextDown, 1, 1])) == .proved(disjunct: 1))
        // Safe outputs.
        #expect(CounterexampleCheck.check(spec, input: [0.5, 0], outputEnclosure: points([0, 1, 0])) == .notProved)
    }

    @Test func malformedArgumentsNeverPass() {
        let ok = points([2, 1, 0])
        let cases: [([Double], [Interval])] = [
            ([0.5], ok), ([0.5, 0, 0], ok), ([Double.nan, 0], ok), ([0.5, .infinity], ok),
            ([0.5, 0], points([2, 1])), ([0.5, 0], [Interval(2), Interval(1), Interval.entire]),
            ([0.5, 0], [Interval(2), Interval(1), Interval.empty]),
            ([0.5, 0], [Interval(uncheckedLower: .nan, upper: 3), Interval(1), Interval(0)]),
        ]
        for (x, y) in cases {
            let outcome = CounterexampleCheck.check(spec, input: x, outputEnclosure: y)
            #expect(!outcome.isProved, "\(x) \(y)")
            if case .malformed = outcome {} else { Issue.record("expected malformed for \(x) \(y), got \(outcome)") }
        }
    }

    /// Per-disjunct boxes: a point in disjunct 1's box whose outputs satisfy only
    /// disjunct 0's constraints is not a counterexample.
    @Test func boxesAreCheckedPerDisjunct() throws {
        let s = try VNNLibSpecification(text: """
            (declare-const X_0 Real)
            (declare-const Y_0 Real)
            (assert (or (and (>= X_0 0) (<= X_0 1) (<= Y_0 -1))
                        (and (>= X_0 2) (<= X_0 3) (>= Y_0 5))))
            """, source: "two.vnnlib")
        #expect(CounterexampleCheck.check(s, input: [2.5], outputEnclosure: points([-3])) == .notProved)
        #expect(CounterexampleCheck.check(s, input: [2.5], outputEnclosure: points([6])) == .proved(disjunct: 1))
        #expect(CounterexampleCheck.check(s, input: [0.5], outputEnclosure: points([-3])) == .proved(disjunct: 0))
        #expect(CounterexampleCheck.check(s, input: [1.5], outputEnclosure: points([-3])) == .outsideBox)
    }
}
