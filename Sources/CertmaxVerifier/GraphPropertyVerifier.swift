import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxNumerics
import Foundation

/// Decides whether any input of a box drives a graph's output into a `LinearDisjunction`
/// (the VNN-COMP question), with sound bounds for `proved` and a re-checked concrete
/// point for `violated`.
///
/// Strategy: a short gradient attack (cheap counterexamples first), then the bounder
/// (default: the box engine and back-substituted objective bounds for every constraint; a
/// disjunct is excluded when one of its constraints is proved false on the whole box);
/// a box it proves returns at once (the fast path). Otherwise branch and bound over input
/// splits (`BranchAndBound`, with attacks on the worst sub-boxes interleaved) until the
/// deadline; with `branchAndBound` off, a second attack instead.
///
/// Soundness contract: `.proved` only when every disjunct is excluded by the bounder's
/// sound margins (`SubproblemBounder`'s contract) on the whole box or on every leaf of
/// the split tree; `.violated(x, y)` only when x lies in the search box and the
/// outward-rounded forward pass at x proves the output in the unsafe set
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
        /// The bound computation for the whole box and every branch-and-bound node; nil:
        /// `SubproblemBounder.symbolic(box)` (the symbolic engine, with split scores).
        public var bounder: SubproblemBounder? = nil
        /// Split the input box when the bounds on the whole box fail (else only the second
        /// attack runs, and the rest of the time is left unused).
        public var branchAndBound = true
        /// Threads, memory cap, attack share and progress line of the split search.
        public var search = BranchAndBound.Options()
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
        /// The branch-and-bound search's statistics, when it ran.
        public var search: BranchAndBound.Statistics? = nil
    }

    /// Runs the strategy until `deadline` (an absolute `ContinuousClock` instant).
    ///
    /// Bounds are computed over [lower, upper]; counterexamples are searched in
    /// [searchLower, searchUpper] (default: the same box), which must lie inside it (a
    /// property file's decimal bounds give an outer box of Doubles for proofs and an inner
    /// one whose every Double is a genuine input).
    /// Arguments: one graph input whose element count equals `lower.count`; the
    /// constraints' coefficient count equals the output's element count.
    ///
    /// Checked: throws `InputError` (source "GraphPropertyVerifier.run") on other
    /// arguments (`checkProperty`: input and output counts, box sizes, NaN, lower > upper,
    /// coefficient counts, NaN coefficients); `uncheckedRun` skips the checks.
    public static func run(_ graph: Graph, lower: [Double], upper: [Double],
                           searchLower: [Double]? = nil, searchUpper: [Double]? = nil,
                           unsafe: LinearDisjunction,
                           deadline: ContinuousClock.Instant, options: Options = Options()) throws(InputError) -> Report {
        let f = "GraphPropertyVerifier.run"
        try checkProperty(graph, lower: lower, upper: upper, unsafe: unsafe, f)
        if let searchLower, let searchUpper {
            try checkProperty(graph, lower: searchLower, upper: searchUpper, unsafe: unsafe, f)
        } else if (searchLower == nil) != (searchUpper == nil) {
            throw InputError(source: f, location: "searchLower", problem: "searchLower and searchUpper must be given together")
        }
        return uncheckedRun(graph, lower: lower, upper: upper, searchLower: searchLower, searchUpper: searchUpper,
                            unsafe: unsafe, deadline: deadline, options: options)
    }

    /// The argument checks of `run`, `BranchAndBound.search` and `bounds`: a graph with one
    /// input and at least one output, a box of the input's element count with no NaN and
    /// lower <= upper, and constraints whose coefficients match the first output's element
    /// count, with no NaN or empty coefficient or bound. `InputError` naming `function`.
    public static func checkProperty(_ graph: Graph, lower: [Double], upper: [Double], unsafe: LinearDisjunction,
                                     _ function: String) throws(InputError) {
        func fail(_ location: String, _ problem: String) -> InputError { InputError(source: function, location: location, problem: problem) }
        if graph.inputs.count != 1 { throw fail("graph", "needs exactly one input, has \(graph.inputs.count)") }
        guard let out = graph.outputs.first, graph.values.indices.contains(out) else { throw fail("graph", "has no output") }
        let n = graph.values[graph.inputs[0]].shape.reduce(1, *)
        if lower.count != n { throw fail("lower", "has \(lower.count) entries, the input has \(n)") }
        if upper.count != n { throw fail("upper", "has \(upper.count) entries, the input has \(n)") }
        for i in 0..<n {
            if lower[i].isNaN || upper[i].isNaN { throw fail("[\(i)]", "NaN is not allowed (lower \(lower[i]), upper \(upper[i]))") }
            if lower[i] > upper[i] { throw fail("lower[\(i)]", "\(lower[i]) is greater than upper[\(i)] = \(upper[i])") }
        }
        let m = graph.values[out].shape.reduce(1, *)
        func bad(_ x: Interval) -> Bool { x.lower.isNaN || x.upper.isNaN || !(x.lower <= x.upper) }
        for (d, disjunct) in unsafe.disjuncts.enumerated() {
            for (k, con) in disjunct.enumerated() {
                if con.c.count != m { throw fail("disjuncts[\(d)][\(k)].c", "has \(con.c.count) coefficients, the output has \(m)") }
                if let i = con.c.firstIndex(where: bad) { throw fail("disjuncts[\(d)][\(k)].c[\(i)]", "NaN or empty interval \(con.c[i])") }
                if bad(con.bound) { throw fail("disjuncts[\(d)][\(k)].bound", "NaN or empty interval \(con.bound)") }
            }
        }
    }

    /// Unchecked `run`: for arguments validated already (traps on mismatched sizes).
    public static func uncheckedRun(_ graph: Graph, lower: [Double], upper: [Double],
                                    searchLower: [Double]? = nil, searchUpper: [Double]? = nil,
                                    unsafe: LinearDisjunction,
                                    deadline: ContinuousClock.Instant, options: Options = Options()) -> Report {
        let clock = ContinuousClock()
        let inputShape = graph.values[graph.inputs[0]].shape
        let lo = Tensor(uncheckedShape: inputShape, data: lower), hi = Tensor(uncheckedShape: inputShape, data: upper)
        let slo = Tensor(uncheckedShape: inputShape, data: searchLower ?? lower), shi = Tensor(uncheckedShape: inputShape, data: searchUpper ?? upper)
        var evaluations = 0
        let start = clock.now
        let total = start.duration(to: deadline)

        let bounder = options.bounder ?? SubproblemBounder.symbolic(options.box)

        /// Searches [lo, hi] (clipped to the search box) until `until`; a re-checked point.
        @Sendable func attack(_ lo: Tensor<Double>, _ hi: Tensor<Double>, seed: UInt64,
                              until: ContinuousClock.Instant) -> (BranchAndBound.Counterexample?, Int) {
            var a = lo, b = hi
            for i in 0..<a.count {
                a.data[i] = max(lo.data[i], slo.data[i]); b.data[i] = min(hi.data[i], shi.data[i])
                // An empty search box (a degenerate decimal bound, or a sub-box outside it).
                guard a.data[i] <= b.data[i] else { return (nil, 0) }
            }
            var opts = options.attack
            opts.seed = seed
            opts.target = -1e-9
            let result = GradientAttack.uncheckedMinimize(graph, lower: a, upper: b, options: opts, objective: { y in
                let m = unsafe.margin(y.data)
                return (m.value, Tensor(uncheckedShape: y.shape, data: m.gradient))
            }, shouldStop: { ContinuousClock.now >= until })
            guard let r = result else { return (nil, 0) }
            guard r.value <= 0 else { return (nil, r.evaluations) }
            return (check(r.point), r.evaluations)
        }

        /// Sound re-check of a candidate point.
        @Sendable func check(_ x: Tensor<Double>) -> BranchAndBound.Counterexample? {
            for i in 0..<x.count where !(slo.data[i] <= x.data[i] && x.data[i] <= shi.data[i]) { return nil }
            let enclosure = graph.uncheckedInterval([x.asIntervals])[0]
            guard unsafe.certainlyReached(by: enclosure.data) else { return nil }
            return BranchAndBound.Counterexample(input: x.data, output: graph.uncheckedForward([x])[0].data, enclosure: enclosure.data)
        }

        func violated(_ c: BranchAndBound.Counterexample) -> Outcome { .violated(input: c.input, output: c.output) }

        if options.falsify {
            let (c, e) = attack(slo, shi, seed: options.attack.seed, until: start + total * options.firstAttackShare)
            evaluations += e
            if let c {
                return Report(outcome: violated(c), disjunctMargins: [], attackEvaluations: evaluations, boundSeconds: 0,
                              counterexampleEnclosure: c.enclosure)
            }
        }
        let boundStart = clock.now
        let margins = bounder.bound(graph, lo, hi, unsafe).margins
        let boundSeconds = Double((clock.now - boundStart) / .milliseconds(1)) / 1000
        let wellFormed = !unsafe.disjuncts.isEmpty && unsafe.disjuncts.allSatisfy({ !$0.isEmpty }) && margins.count == unsafe.disjuncts.count
        if wellFormed && margins.allSatisfy({ $0 > 0 }) {
            return Report(outcome: .proved, disjunctMargins: margins, attackEvaluations: evaluations, boundSeconds: boundSeconds)
        }
        if options.branchAndBound && wellFormed {
            var searchOptions = options.search
            searchOptions.seed = options.attack.seed &+ 1
            var falsifier: BranchAndBound.Falsifier? = nil
            if options.falsify {
                falsifier = { (lo: Tensor<Double>, hi: Tensor<Double>, seed: UInt64, until: ContinuousClock.Instant) in
                    let r = attack(lo, hi, seed: seed, until: until)
                    return (counterexample: r.0, evaluations: r.1)
                }
            }
            let result = BranchAndBound.uncheckedSearch(graph, lower: lower, upper: upper, unsafe: unsafe, rootMargins: margins,
                                               rootSeconds: boundSeconds, bounder: bounder, falsifier: falsifier, deadline: deadline, options: searchOptions)
            evaluations += result.statistics.attackEvaluations
            var report = Report(outcome: .undecided, disjunctMargins: margins, attackEvaluations: evaluations,
                                boundSeconds: boundSeconds, search: result.statistics)
            switch result.outcome {
            case .proved: report.outcome = .proved
            case .violated(let c): report.outcome = violated(c); report.counterexampleEnclosure = c.enclosure
            case .undecided: break
            }
            return report
        }
        if options.falsify {
            let secondEnd = min(deadline, clock.now + total * options.secondAttackShare)
            let (c, e) = attack(slo, shi, seed: options.attack.seed &+ 1, until: secondEnd)
            evaluations += e
            if let c {
                return Report(outcome: violated(c), disjunctMargins: margins, attackEvaluations: evaluations,
                              boundSeconds: boundSeconds, counterexampleEnclosure: c.enclosure)
            }
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
    ///
    /// Checked: throws `InputError` (source "GraphPropertyVerifier.disjunctMargins") on the
    /// arguments `run` rejects, or lower and upper of shapes other than the input's;
    /// `uncheckedDisjunctMargins` skips the checks.
    public static func disjunctMargins(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                       unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                                       symbolic: Bool = true) throws(InputError) -> [Double] {
        try checkBoxTensors(graph, lower, upper, unsafe, "GraphPropertyVerifier.disjunctMargins")
        return uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: symbolic).margins
    }

    /// Unchecked `disjunctMargins`.
    public static func uncheckedDisjunctMargins(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                                unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                                                symbolic: Bool = true) -> [Double] {
        uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: symbolic).margins
    }

    static func checkBoxTensors(_ graph: Graph, _ lower: Tensor<Double>, _ upper: Tensor<Double>,
                                _ unsafe: LinearDisjunction, _ function: String) throws(InputError) {
        try checkProperty(graph, lower: lower.data, upper: upper.data, unsafe: unsafe, function)
        let shape = graph.values[graph.inputs[0]].shape
        if lower.shape != shape || upper.shape != shape {
            throw InputError(source: function, location: "lower", problem: "shapes \(lower.shape) and \(upper.shape), the input has \(shape)")
        }
    }

    /// `disjunctMargins` with split scores (symbolic only): per input element, the weight
    /// |g_i| r_i of that input in the form of the worst disjunct's best constraint.
    ///
    /// Checked as `disjunctMargins` (source "GraphPropertyVerifier.bounds");
    /// `uncheckedBounds` skips the checks (the bounders' per-node call).
    public static func bounds(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                              unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                              symbolic: Bool = true) throws(InputError) -> SubproblemBounder.BoundResult {
        try checkBoxTensors(graph, lower, upper, unsafe, "GraphPropertyVerifier.bounds")
        return uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: symbolic)
    }

    /// Unchecked `bounds`: for arguments validated already.
    public static func uncheckedBounds(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                       unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                                       symbolic: Bool = true) -> SubproblemBounder.BoundResult {
        let inputBox = Tensor(uncheckedLower: lower, upper: upper)
        let out = graph.outputs[0]
        var result: SymbolicEngine.Result? = nil
        let boxes: [Tensor<Interval>]
        if symbolic {
            var o = SymbolicEngine.Options()
            o.vertexAttention = options.vertexAttention
            let r = SymbolicEngine.uncheckedPropagate(graph, inputBoxes: [inputBox], options: o)
            result = r
            boxes = r.boxes
        } else {
            boxes = BoxEngine.uncheckedPropagateAll(graph, inputBoxes: [inputBox], options: options)
        }
        let trace = ProcessInfo.processInfo.environment["CERTMAX_SYMBOLIC_TRACE"] != nil
        var worst = Double.infinity
        var worstScores: [Double]? = nil
        let margins = unsafe.disjuncts.map { d in
            var best = -Double.infinity
            var bestScores: [Double]? = nil
            for con in d {
                var lb = LinearObjectiveBound.uncheckedLowerBound(graph, boxes: boxes, value: out, c: con.c)
                var scores: [Double]? = nil
                if let result {
                    let s = SymbolicEngine.uncheckedObjective(result, value: out, c: con.c)
                    if trace { FileHandle.standardError.write(Data("margin bound: back-substitution \(lb), symbolic \(s.lower), needed > \(con.bound.upper)\n".utf8)) }
                    lb = max(lb, s.lower)
                    scores = s.inputScores
                }
                let m = Double.subDown(lb, con.bound.upper)
                // A strict constraint is excluded at m >= 0; report it so that m = 0 counts.
                let adjusted = con.strict && m == 0 ? Double.leastNonzeroMagnitude : m
                if adjusted > best || bestScores == nil { bestScores = scores }
                best = max(best, adjusted)
            }
            if best < worst || worstScores == nil { worst = best; worstScores = bestScores }
            return best
        }
        let scores = worstScores.flatMap { s in s.allSatisfy { $0.isFinite && $0 >= 0 } && s.contains { $0 > 0 } ? s : nil }
        return SubproblemBounder.BoundResult(margins: margins, splitScores: scores)
    }
}
