@testable import CertmaxVerifier
import Testing

/// Where branch and bound bisects: midpoints strictly inside, the best-scored splittable
/// element, the widest one when no score helps, none when nothing can be split.
@Suite("Input split choice")
struct InputSplitChoiceTests {
    @Test func midpointsLieStrictlyInside() {
        #expect(InputSplitChoice.midpoint(-1, 1) == 0)
        #expect(InputSplitChoice.midpoint(0, 0) == nil)
        #expect(InputSplitChoice.midpoint(1, 1.0.nextUp) == nil, "adjacent Doubles cannot be split")
        #expect(InputSplitChoice.midpoint(1, 1.0.nextUp.nextUp) == 1.0.nextUp)
        #expect(InputSplitChoice.midpoint(-.infinity, 0) == nil && InputSplitChoice.midpoint(0, .nan) == nil)
        let big = InputSplitChoice.midpoint(-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        #expect(big == 0, "no overflow: \(String(describing: big))")
    }

    @Test func dimensionPrefersScoresThenWidth() {
        let lo = [0.0, 0.0, 5.0, 0.0], hi = [1.0, 2.0, 5.0, 0.5]
        #expect(InputSplitChoice.dimension(lower: lo, upper: hi, scores: [0.1, 0.2, 9, 0.3]) == 3,
                "element 2 has width 0: its score does not count")
        #expect(InputSplitChoice.dimension(lower: lo, upper: hi, scores: [0, 0, 0, 0]) == 1, "no score helps: the widest")
        #expect(InputSplitChoice.dimension(lower: lo, upper: hi, scores: [.nan, .infinity, 0, -1]) == 1)
        #expect(InputSplitChoice.dimension(lower: lo, upper: hi, scores: nil) == 1)
        #expect(InputSplitChoice.dimension(lower: lo, upper: hi, scores: [1]) == 1, "a wrong-length score vector is ignored")
        #expect(InputSplitChoice.dimension(lower: [1, 2], upper: [Double(1).nextUp, 2], scores: [1, 1]) == nil)
    }
}
