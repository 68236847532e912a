import CertmaxAttention
import CertmaxNumerics

extension PropertyFormula {
    /// Evaluates the formula over a box of the flattened output (row-major [T, d_out],
    /// the indices of `LinearTerm`). Sound: every linear form c.y is enclosed by
    /// outward-rounded interval arithmetic over the box, so `holds` only if the property
    /// holds for every output in the box, `fails` only if it fails for every one, and the
    /// margin encloses the exact margin at every output in the box. Attention atoms have
    /// no output-box meaning: they evaluate as undecided with an unbounded margin (graph
    /// specs reject them at load).
    public func evaluate(outputBox y: [Interval]) -> PropertyEvaluation {
        evaluate(outputBox: y, refine: nil)
    }

    /// As `evaluate(outputBox:)`, with each linear form's enclosure intersected with
    /// `refine(terms)` when given (a sound enclosure of sum c_i y_i over the region, e.g.
    /// from the symbolic engine's forms, which keep the correlation between outputs).
    public func evaluate(outputBox y: [Interval], refine: (([LinearTerm]) -> Interval)?) -> PropertyEvaluation {
        switch self {
        case .atom(let a):
            guard case .linear(let terms, let bound, let strict) = a else {
                return PropertyEvaluation(truth: .undecided, margin: Interval(uncheckedLower: -.infinity, upper: .infinity))
            }
            var value = Interval.zero
            for t in terms {
                guard t.index >= 0, t.index < y.count else {
                    return PropertyEvaluation(truth: .undecided, margin: Interval(uncheckedLower: -.infinity, upper: .infinity))
                }
                value = value + Interval(t.coefficient) * y[t.index]
            }
            if let refine {
                let r = refine(terms)
                let i = value.intersection(r)
                if !i.isEmpty && !i.lower.isNaN && !i.upper.isNaN { value = i }
            }
            var margin = Interval(bound) - value
            if margin.lower.isNaN || margin.upper.isNaN { margin = Interval(uncheckedLower: -.infinity, upper: .infinity) }
            let holds = strict ? margin.lower > 0 : margin.lower >= 0
            let fails = strict ? margin.upper <= 0 : margin.upper < 0
            return PropertyEvaluation(truth: holds ? .holds : (fails ? .fails : .undecided), margin: margin)
        case .all(let fs):
            let evals = fs.map { $0.evaluate(outputBox: y, refine: refine) }
            let truth: Truth = evals.contains { $0.truth == .fails } ? .fails
                : (evals.allSatisfy { $0.truth == .holds } ? .holds : .undecided)
            return PropertyEvaluation(truth: truth, margin: Interval(uncheckedLower: evals.map(\.margin.lower).min() ?? .infinity,
                                                                     upper: evals.map(\.margin.upper).min() ?? .infinity))
        case .any(let fs):
            let evals = fs.map { $0.evaluate(outputBox: y, refine: refine) }
            let truth: Truth = evals.contains { $0.truth == .holds } ? .holds
                : (evals.allSatisfy { $0.truth == .fails } ? .fails : .undecided)
            return PropertyEvaluation(truth: truth, margin: Interval(uncheckedLower: evals.map(\.margin.lower).max() ?? -.infinity,
                                                                     upper: evals.map(\.margin.upper).max() ?? -.infinity))
        }
    }
}
