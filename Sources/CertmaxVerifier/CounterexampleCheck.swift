import CertmaxIO
import CertmaxNumerics

/// The sound check a counterexample must pass before `sat` is written.
///
/// Given the property, a concrete input `x` and a *sound enclosure* of the network's
/// exact outputs at `x` (intervals from an outward-rounded forward pass, computed by the
/// caller), the point is a proved counterexample iff for some disjunct
/// - `x` lies in the disjunct's input box (checked against the inner box, see
///   `VNNLibInputBox`), and
/// - every output constraint of the disjunct holds for *every* value in the enclosure
///   (`VNNLibConstraint.certainlyHolds`, outward rounded, exact coefficients enclosed).
///
/// Edge Cases: wrong lengths, NaN or infinite inputs, empty, NaN or unbounded enclosure
/// intervals are `malformed`; an enclosure that straddles a constraint is `notProved`
/// even if the point itself satisfies it.
/// Postconditions: `.proved` is returned only when the point truly violates the
/// property, provided the enclosure really encloses the outputs.
public enum CounterexampleCheck {
    public enum Outcome: Sendable, Equatable {
        /// `x` lies in disjunct `disjunct`'s box and the enclosure satisfies all its
        /// constraints.
        case proved(disjunct: Int)
        /// `x` lies in no disjunct's box.
        case outsideBox
        /// `x` lies in some box but no disjunct's constraints are proved by the enclosure.
        case notProved
        /// The arguments do not fit the property (the message says how).
        case malformed(String)

        public var isProved: Bool { if case .proved = self { return true } else { return false } }
    }

    public static func check(_ spec: VNNLibSpecification, input x: [Double], outputEnclosure y: [Interval]) -> Outcome {
        guard x.count == spec.inputCount else { return .malformed("\(x.count) inputs, the property has \(spec.inputCount)") }
        guard y.count == spec.outputCount else { return .malformed("\(y.count) output intervals, the property has \(spec.outputCount)") }
        guard x.allSatisfy(\.isFinite) else { return .malformed("an input is not finite") }
        guard y.allSatisfy({ $0.lower <= $0.upper && $0.isBounded }) else {
            return .malformed("an output interval is empty, NaN or unbounded")
        }
        var inSomeBox = false
        for (n, d) in spec.disjuncts.enumerated() where d.input.contains(x) {
            inSomeBox = true
            if d.constraints.allSatisfy({ $0.certainlyHolds(over: y) }) { return .proved(disjunct: n) }
        }
        return inSomeBox ? .notProved : .outsideBox
    }
}
