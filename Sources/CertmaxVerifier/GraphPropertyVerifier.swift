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
/// and Relu splits (`BranchAndBound`, with attacks on the worst sub-boxes interleaved)
/// until the deadline; with `branchAndBound` off, a second attack instead.
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
        /// Fraction of the time budget for the Relu slope search (`SlopeSearch`) when the
        /// symbolic bounds on the whole box fail (default bounder only; 0: off).
        public var slopeSearchShare = 0.3
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

        var bounder = options.bounder ?? SubproblemBounder.symbolic(options.box)

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
        let root = bounder.bound(graph, lo, hi, unsafe)
        var margins = root.margins
        let boundSeconds = Double((clock.now - boundStart) / .milliseconds(1)) / 1000
        let wellFormed = !unsafe.disjuncts.isEmpty && unsafe.disjuncts.allSatisfy({ !$0.isEmpty }) && margins.count == unsafe.disjuncts.count
        if wellFormed && margins.allSatisfy({ $0 > 0 }) {
            return Report(outcome: .proved, disjunctMargins: margins, attackEvaluations: evaluations, boundSeconds: boundSeconds)
        }
        if wellFormed && options.bounder == nil && options.slopeSearchShare > 0 {
            // Optimised Relu slopes (symbolic bounder only): each disjunct keeps its best
            // margin over the settings tried, and the split search bounds with the setting
            // that helped most.
            let until = min(deadline, clock.now + total * options.slopeSearchShare)
            let s = SlopeSearch.uncheckedSearch(graph, lower: lo, upper: hi, unsafe: unsafe, rootMargins: margins, options: options.box,
                                                deadline: until)
            margins = s.margins
            if !s.slopes.isEmpty { bounder = SubproblemBounder.symbolic(options.box, reluSlopes: s.slopes) }
            if margins.allSatisfy({ $0 > 0 }) {
                return Report(outcome: .proved, disjunctMargins: margins, attackEvaluations: evaluations,
                              boundSeconds: Double((clock.now - boundStart) / .milliseconds(1)) / 1000)
            }
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
            // The root's value boxes hold on the whole box whatever slopes the search then
            // uses, so its children start from them.
            let rootBoxes = root.boxes?.count == graph.values.count ? root.boxes : nil
            let result = BranchAndBound.uncheckedSearch(graph, lower: lower, upper: upper, unsafe: unsafe, rootMargins: margins,
                                               rootSeconds: boundSeconds, rootBoxes: rootBoxes, rootValueSplit: root.valueSplit,
                                               bounder: bounder, falsifier: falsifier, deadline: deadline, options: searchOptions)
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
    /// `reluSlopes` (symbolic only): the Relu slope per node (`SymbolicEngine.Options`);
    /// `knownBoxes`: value boxes sound on this box (e.g. an enclosing box's), intersected
    /// in; `keepBoxes`: return the engine's value boxes in the result.
    ///
    /// Checked as `disjunctMargins` (source "GraphPropertyVerifier.bounds"), and
    /// `knownBoxes` must have one box per graph value, of its size; `uncheckedBounds` skips
    /// the checks (the bounders' per-node call).
    public static func bounds(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                              unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                              symbolic: Bool = true, reluSlopes: [Int: ReluSlope] = [:],
                              knownBoxes: [Tensor<Interval>]? = nil, keepBoxes: Bool = false) throws(InputError) -> SubproblemBounder.BoundResult {
        try checkBoxTensors(graph, lower, upper, unsafe, "GraphPropertyVerifier.bounds")
        if let knownBoxes {
            guard knownBoxes.count == graph.values.count,
                  zip(knownBoxes, graph.values).allSatisfy({ $0.count == $1.shape.reduce(1, *) }) else {
                throw InputError(source: "GraphPropertyVerifier.bounds", location: "knownBoxes",
                                 problem: "needs one box per graph value (\(graph.values.count)), each of the value's size")
            }
        }
        return uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: symbolic,
                               reluSlopes: reluSlopes, knownBoxes: knownBoxes, keepBoxes: keepBoxes)
    }

    /// Unchecked `bounds`: for arguments validated already.
    public static func uncheckedBounds(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>,
                                       unsafe: LinearDisjunction, options: BoxEngine.Options = BoxEngine.Options(),
                                       symbolic: Bool = true, reluSlopes: [Int: ReluSlope] = [:],
                                       knownBoxes: [Tensor<Interval>]? = nil, keepBoxes: Bool = false) -> SubproblemBounder.BoundResult {
        let inputBox = Tensor(uncheckedLower: lower, upper: upper)
        if symbolic {
            var o = SymbolicEngine.Options()
            o.vertexAttention = options.vertexAttention
            o.reluSlopes = reluSlopes
            o.knownBoxes = knownBoxes
            let r = SymbolicEngine.uncheckedPropagate(graph, inputBoxes: [inputBox], options: o)
            var result = uncheckedBounds(graph, boxes: r.boxes, symbolic: r, unsafe: unsafe)
            if keepBoxes { result.boxes = r.boxes }
            return result
        }
        return uncheckedBounds(graph, boxes: BoxEngine.uncheckedPropagateAll(graph, inputBoxes: [inputBox], options: options),
                               symbolic: nil, unsafe: unsafe)
    }

    /// `bounds` from boxes already propagated (`BoxEngine.propagateAll`, or the boxes of
    /// `symbolic`, whose forms of the first output must be kept): the margins of the
    /// disjuncts of `unsafe` over the first graph output. Sound whenever the boxes and forms
    /// are (the contracts of the two engines), on the domain they hold on; when `symbolic`
    /// found that domain empty (`SymbolicEngine.Result.emptyDomain`, a branch whose cuts
    /// contradict each other) every margin is +infinity. With `symbolic`, the result also
    /// offers the unstable Relu with the most weight in the worst disjunct's bound
    /// (`ValueSplit.bestRelu`). Unchecked: `boxes` must be the graph's (one per value) and
    /// every constraint's c the first output's size, or it traps.
    public static func uncheckedBounds(_ graph: Graph, boxes: [Tensor<Interval>], symbolic result: SymbolicEngine.Result?,
                                       unsafe: LinearDisjunction) -> SubproblemBounder.BoundResult {
        if let result, result.emptyDomain {
            return SubproblemBounder.BoundResult(margins: unsafe.disjuncts.map { _ in .infinity })
        }
        let out = graph.outputs[0]
        let trace = ProcessInfo.processInfo.environment["CERTMAX_SYMBOLIC_TRACE"] != nil
        var worst = Double.infinity
        var worstWeights: [Double]? = nil
        var haveWorst = false
        let margins = unsafe.disjuncts.map { d in
            var best = -Double.infinity
            var bestWeights: [Double]? = nil
            var haveBest = false
            for con in d {
                var lb = LinearObjectiveBound.uncheckedLowerBound(graph, boxes: boxes, value: out, c: con.c)
                var weights: [Double]? = nil
                if let result {
                    let s = SymbolicEngine.uncheckedObjectiveWeights(result, value: out, c: con.c)
                    if trace { FileHandle.standardError.write(Data("margin bound: back-substitution \(lb), symbolic \(s.lower), needed > \(con.bound.upper)\n".utf8)) }
                    lb = max(lb, s.lower)
                    weights = s.weights
                }
                let m = Double.subDown(lb, con.bound.upper)
                // A strict constraint is excluded at m >= 0; report it so that m = 0 counts.
                let adjusted = con.strict && m == 0 ? Double.leastNonzeroMagnitude : m
                if adjusted > best || !haveBest { bestWeights = weights; haveBest = true }
                best = max(best, adjusted)
            }
            if best < worst || !haveWorst { worst = best; worstWeights = bestWeights; haveWorst = true }
            return best
        }
        var scores: [Double]? = nil
        var split: ValueSplit? = nil
        if let result, let w = worstWeights {
            var s = [Double](repeating: 0, count: result.space.symbolOf.count)
            for (e, sym) in result.space.symbolOf.enumerated() where sym >= 0 && Int(sym) < w.count { s[e] = w[Int(sym)] }
            if s.allSatisfy({ $0.isFinite && $0 >= 0 }) && s.contains(where: { $0 > 0 }) { scores = s }
            split = ValueSplit.bestRelu(graph, boxes: boxes, reluSymbols: result.reluSymbols, weights: w)
            if trace { FileHandle.standardError.write(Data(slackReport(graph, result, weights: w).utf8)) }
        }
        return SubproblemBounder.BoundResult(margins: margins, splitScores: scores, valueSplit: split)
    }

    /// Trace: where the worst disjunct's slack comes from (the weights |g_j| r_j summed over
    /// the input symbols and over each node's fresh symbols, largest first).
    static func slackReport(_ graph: Graph, _ result: SymbolicEngine.Result, weights: [Double]) -> String {
        let inputs = weights.prefix(result.space.inputSymbols).reduce(0, +)
        var parts: [(Int, Double)] = []
        for (k, r) in result.freshSymbols {
            parts.append((k, r.clamped(to: 0..<weights.count).reduce(0.0) { $0 + weights[$1] }))
        }
        parts.sort { $0.1 > $1.1 }
        var line = String(format: "slack of the worst disjunct: inputs %.4g", inputs)
        for (k, w) in parts.prefix(8) { line += String(format: ", node %d %@ %.4g", k, graph.nodes[k].op.opType, w) }
        return line + "\n"
    }
}
