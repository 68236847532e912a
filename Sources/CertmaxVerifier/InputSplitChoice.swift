import CertmaxGraph

/// Where branch and bound bisects an input box: the element with the largest split score,
/// among those that can still be split in Double.
///
/// Default scores ("smart input split"): |d m / d x_i| * width_i at the box centre, m the
/// plain margin (`LinearDisjunction.margin`) of the given disjuncts, by one forward and one
/// reverse-mode pass (`Graph.valueAndGradient`). The score estimates how much of the
/// margin's variation over the box comes from x_i, i.e. which split shrinks it most.
///
/// Nothing here affects soundness: any choice of dimension gives two boxes whose union is
/// the parent box.
enum InputSplitChoice {
    /// The midpoint of [lo, hi] if it lies strictly inside (the two halves are then both
    /// strictly smaller); nil for a width-0 or non-finite interval or adjacent Doubles.
    static func midpoint(_ lo: Double, _ hi: Double) -> Double? {
        guard lo.isFinite, hi.isFinite, lo < hi else { return nil }
        var m = lo + (hi - lo) / 2
        if !m.isFinite { m = lo / 2 + hi / 2 }
        return lo < m && m < hi ? m : nil
    }

    /// The element to bisect: the largest finite positive score among splittable elements;
    /// if no score is positive (or `scores` is nil), the widest splittable element; nil
    /// when no element can be split.
    static func dimension(lower: [Double], upper: [Double], scores: [Double]?) -> Int? {
        var best: Int? = nil, bestScore = 0.0
        if let scores, scores.count == lower.count {
            for i in 0..<lower.count where scores[i].isFinite && scores[i] > bestScore {
                guard midpoint(lower[i], upper[i]) != nil else { continue }
                best = i; bestScore = scores[i]
            }
            if best != nil { return best }
        }
        var widest = 0.0
        for i in 0..<lower.count {
            let w = upper[i] - lower[i]
            guard w > widest, midpoint(lower[i], upper[i]) != nil else { continue }
            best = i; widest = w
        }
        return best
    }

    /// |d m / d x_i| * width_i at the centre of the box, m the plain margin of `unsafe`
    /// (min over its disjuncts of max over constraints); zeros where the gradient or the
    /// width is not finite.
    static func gradientScores(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                               unsafe: LinearDisjunction) -> [Double] {
        var centre = lower
        for i in 0..<centre.count { centre.data[i] = InputSplitChoice.midpoint(lower.data[i], upper.data[i]) ?? lower.data[i] }
        let (_, _, grads) = graph.uncheckedValueAndGradient(at: [centre]) { y in
            let m = unsafe.margin(y.data)
            return (m.value, Tensor(uncheckedShape: y.shape, data: m.gradient))
        }
        let g = grads[0].data
        return (0..<g.count).map { i in
            let s = abs(g[i]) * (upper.data[i] - lower.data[i])
            return s.isFinite ? s : 0
        }
    }
}
