import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import Foundation

/// Decides whether any input of a box drives a graph's output into a `LinearDisjunction`
/// (the VNN-COMP question), with sound bounds for `proved` and a re-checked concrete
/// point for `violated`.
///
/// Strategy: a short gradient attack (cheap counterexamples first), then the box engine
/// and back-substituted objective bounds for every constraint (a disjunct is excluded
/// when one of its constraints is proved false on the whole box), then the rest of the
/// time budget on the attack.
///
/// Soundness contract: `.proved` only when every disjunct has a constraint whose sound
/// lower bound of c . y exceeds b (>= b for a strict one) over the whole box, using
/// `BoxEngine` boxes and `LinearObjectiveBound`; `.violated(x, y)` only when x lies in
/// the box and the outward-rounded forward pass at x proves the output in the unsafe set
/// (`LinearDisjunction.certainlyReached`).
public enum GraphPropertyVerifier {
    public enum Outcome: Sendable, Equatable {
        case proved
        /// A counterexample: the input and the plain forward output at it.
        case violated(input: [Double], output: [Double])
        case undecided
    }

    public struct Options: Sendable {
        public var attack = GradientAttack.Options()
        /// Fraction of the time budget for the first attack.
        public var firstAttackShare = 0.05
        /// Fraction of the time budget for the attack after the bounds fail (the rest is
        /// left unused: no counterexample is known on the benchmarks this targets, and
        /// branch and bound, not a longer attack, is what decides the remaining ones).
        public var secondAttackShare = 0.15
        /// Whether to search for counterexamples at all.
        public var falsify = true
        public var box = BoxEngine.Options()
        public init() {}
    }

    /// What happened, for reports.
    public struct Report: Sendable {
        public var outcome: Outcome
        /// Per disjunct, the best sound lower bound of max over its constraints of
        /// (c . y - b): > 0 (>= 0 strict) excludes the disjunct.
        public var disjunctMargins: [Double]
        public var attackEvaluations: Int
        public var boundSeconds: Double
        /// For `.violated`: the outward-rounded enclosure of the output at the point (the
        /// one that proved it), so callers need not recompute it.
        public var counterexampleEnclosure: [Interval]? = nil
    }

    /// Runs the strategy until `deadline` (an absolute `ContinuousClock` instant).
    ///
    /// Bounds are computed over [lower, upper]; counterexamples are searched in
    /// [searchLower, searchUpper] (default: the same box), which must lie inside it (a
    /// property file's decimal bounds give an outer box of Doubles for proofs and an inner
    /// one whose every Double is a genuine input).
    /// Precondition: one graph input whose element count equals `lower.count`; the
    /// constraints' coefficient count equals the output's element count.
    public static func run(_ graph: Graph, lower: [Double], upper: [Double],
                           searchLower: [Double]? = nil, searchUpper: [Double]? = nil,
                           unsafe: LinearDisjunction,
                           deadline: ContinuousClock.Instant, options: Options = Options()) -> Report {
        let clock = ContinuousClock()
        let inputShape = graph.values[graph.inputs[0]].shape
        let lo = Tensor(shape: inputShape, data: lower), hi = Tensor(shape: inputShape, data: upper)
        let slo = Tensor(shape: inputShape, data: searchLower ?? lower), shi = Tensor(shape: inputShape, data: searchUpper ?? upper)
        var evaluations = 0
        let start = clock.now
        let total = start.duration(to: deadline)

        func attack(until: ContinuousClock.Instant, seed: UInt64) -> Outcome? {
            guard options.falsify else { return nil }
            var opts = options.attack
            opts.seed = seed
            opts.target = -1e-9
            // An empty search box (a degenerate decimal bound): nothing to search.
            for i in 0..<slo.count where !(slo.data[i] <= shi.data[i]) { return nil }
            let result = GradientAttack.minimize(graph, lower: slo, upper: shi, options: opts, objective: { y in
                let m = unsafe.margin(y.data)
                return (m.value, Tensor(shape: y.shape, data: m.gradient))
            }, shouldStop: { clock.now >= until })
            guard let r = result else { return nil }
            evaluations += r.evaluations
            guard r.value <= 0 else { return nil }
            return check(r.point)
        }

        var proofEnclosure: [Interval]? = nil
        /// Sound re-check of a candidate point.
        func check(_ x: Tensor<Double>) -> Outcome? {
            for i in 0..<x.count where !(slo.data[i] <= x.data[i] && x.data[i] <= shi.data[i]) { return nil }
            let enclosure = graph.interval([x.asIntervals])[0]
            guard unsafe.certainlyReached(by: enclosure.data) else { return nil }
            proofEnclosure = enclosure.data
            return .violated(input: x.data, output: graph.forward([x])[0].data)
        }

        if let v = attack(until: start + total * options.firstAttackShare, seed: options.attack.seed) {
            return Report(outcome: v, disjunctMargins: [], attackEvaluations: evaluations, boundSeconds: 0,
                          counterexampleEnclosure: proofEnclosure)
        }
        let boundStart = clock.now
        let margins = disjunctMargins(graph, lower: lo, upper: hi, unsafe: unsafe, options: options.box)
        let boundSeconds = Double((clock.now - boundStart) / .milliseconds(1)) / 1000
        let excluded = margins.allSatisfy { $0 > 0 }
        if excluded && !unsafe.disjuncts.isEmpty && unsafe.disjuncts.allSatisfy({ !$0.isEmpty }) {
            return Report(outcome: .proved, disjunctMargins: margins, attackEvaluations: evaluations, boundSeconds: boundSeconds)
        }
        let secondEnd = min(deadline, clock.now + total * options.secondAttackShare)
        if let v = attack(until: secondEnd, seed: options.attack.seed &+ 1) {
            return Report(outcome: v, disjunctMargins: margins, attackEvaluations: evaluations, boundSeconds: boundSeconds,
                          counterexampleEnclosure: proofEnclosure)
        }
        return Report(outcome: .undecided, disjunctMargins: margins, attackEvaluations: evaluations, boundSeconds: boundSeconds)
    }

    /// Per disjunct, max over its constraints of a sound lower bound of c . y - b over the
    /// box (rounded down), where a strict constraint's 0 is reported as the smallest
    /// positive Double: a disjunct is excluded exactly when its margin is > 0.
    ///
    /// Bounds: the symbolic engine's forms of the output (`SymbolicEngine.lowerBound`) when
    /// `symbolic`, and the back-substituted bound over the (symbolic, else box) boxes
    /// (`LinearObjectiveBound`); the larger of the sound bounds is kept.
    public static func disjunctMargins(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                       unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                                       symbolic: Bool = true) -> [Double] {
        let inputBox = Tensor(lower: lower, upper: upper)
        let out = graph.outputs[0]
        var result: SymbolicEngine.Result? = nil
        let boxes: [Tensor<Interval>]
        if symbolic {
            var o = SymbolicEngine.Options()
            o.vertexAttention = options.vertexAttention
            let r = SymbolicEngine.propagate(graph, inputBoxes: [inputBox], options: o)
            result = r
            boxes = r.boxes
        } else {
            boxes = BoxEngine.propagateAll(graph, inputBoxes: [inputBox], options: options)
        }
        let trace = ProcessInfo.processInfo.environment["CERTMAX_SYMBOLIC_TRACE"] != nil
        return unsafe.disjuncts.map { d in
            var best = -Double.infinity
            for con in d {
                var lb = LinearObjectiveBound.lowerBound(graph, boxes: boxes, value: out, c: con.c)
                if let result {
                    let s = SymbolicEngine.lowerBound(result, value: out, c: con.c)
                    if trace { FileHandle.standardError.write(Data("margin bound: back-substitution \(lb), symbolic \(s), needed > \(con.bound.upper)\n".utf8)) }
                    lb = max(lb, s)
                }
                let m = Double.subDown(lb, con.bound.upper)
                // A strict constraint is excluded at m >= 0; report it so that m = 0 counts.
                let adjusted = con.strict && m == 0 ? Double.leastNonzeroMagnitude : m
                best = max(best, adjusted)
            }
            return best
        }
    }
}
