import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxNumerics
import Foundation

/// Optimised Relu slopes for the symbolic bounds of a property: alpha-CROWN's idea (choose
/// each relaxation's slope for the objective at hand instead of the least-area one) as a
/// search in two phases, each setting a full symbolic propagation.
///
/// 1. **Signs** (per unexcluded disjunct and constraint): from the default propagation,
///    the sign of the objective's coefficient on each unstable neuron's fresh symbol says
///    whether the objective needs a lower bound of that neuron (coefficient > 0: CROWN's
///    adaptive slope, 0 or 1, whose lower plane is tightest) or an upper one (< 0: the
///    least-area slope, whose upper plane is the chord).
/// 2. **Coordinate search** over the Relu nodes in graph order: each candidate rule
///    (`candidates`, one rule for all neurons of the node) replaces the node's rule in the
///    current setting.
/// Every disjunct keeps its best margin over all settings; the current setting moves to a
/// setting that lowers the total shortfall sum_d min(margin_d, 0). The search stops when
/// every disjunct is excluded, after the last candidate, or at the deadline (checked
/// before each propagation, so it overruns by at most one bound computation).
///
/// Soundness: every setting's margins are sound (any Relu slope in [0, 1] is, see
/// `UnaryRelaxation`), and each margin bounds a quantity that does not depend on the
/// relaxation, so the maximum over settings is sound too. The signs only steer.
public enum SlopeSearch {
    public struct Result: Sendable {
        /// Per disjunct, the best margin over every setting tried (the start's included).
        public var margins: [Double]
        /// The setting with the smallest total shortfall (empty: the default was best).
        public var slopes: [Int: ReluSlope]
        /// Bound computations run.
        public var propagations: Int
    }

    /// The rules tried at each node, after the default (`minimalArea`).
    public static let candidates: [ReluSlope] = [.adaptive, .shifted(-1), .shifted(1), .shifted(-0.5), .shifted(0.5)]

    static func shortfall(_ m: [Double]) -> Double {
        m.reduce(0) { $0 + (($1 > 0) ? 0 : ($1.isNaN ? -.infinity : $1)) }
    }

    /// Searches from the default setting, whose margins are `rootMargins` (one per disjunct
    /// of `unsafe`, e.g. `GraphPropertyVerifier.disjunctMargins`).
    ///
    /// Checked as `GraphPropertyVerifier.bounds` (source "SlopeSearch.search"), and
    /// `rootMargins` must have one entry per disjunct; `uncheckedSearch` skips the checks
    /// (the verifier's call, on a validated box).
    public static func search(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>, unsafe: LinearDisjunction,
                              rootMargins: [Double], options: BoxEngine.Options = BoxEngine.Options(),
                              deadline: ContinuousClock.Instant) throws(InputError) -> Result {
        try GraphPropertyVerifier.checkBoxTensors(graph, lower, upper, unsafe, "SlopeSearch.search")
        guard rootMargins.count == unsafe.disjuncts.count else {
            throw InputError(source: "SlopeSearch.search", location: "rootMargins",
                             problem: "has \(rootMargins.count) entries for \(unsafe.disjuncts.count) disjuncts")
        }
        return uncheckedSearch(graph, lower: lower, upper: upper, unsafe: unsafe, rootMargins: rootMargins, options: options,
                               deadline: deadline)
    }

    /// Unchecked `search`: for arguments validated already.
    public static func uncheckedSearch(_ graph: Graph, lower: Tensor<Double>, upper: Tensor<Double>, unsafe: LinearDisjunction,
                                       rootMargins: [Double], options: BoxEngine.Options = BoxEngine.Options(),
                                       deadline: ContinuousClock.Instant) -> Result {
        var best = rootMargins.map { $0.isNaN ? -.infinity : $0 }
        var current: [Int: ReluSlope] = [:]
        var currentScore = shortfall(best)
        var propagations = 0
        let relus = graph.nodes.indices.filter { graph.nodes[$0].op is Relu }
        guard !relus.isEmpty, let out = graph.outputs.first else { return Result(margins: best, slopes: [:], propagations: 0) }
        // CERTMAX_SLOPE_TRACE=1: one line per propagation on stderr.
        let trace = ProcessInfo.processInfo.environment["CERTMAX_SLOPE_TRACE"] != nil
        func done() -> Bool { best.allSatisfy { $0 > 0 } || ContinuousClock.now >= deadline }
        var o = SymbolicEngine.Options()
        o.vertexAttention = options.vertexAttention
        let inputBox = [Tensor(uncheckedLower: lower, upper: upper)]
        let base = SymbolicEngine.uncheckedPropagate(graph, inputBoxes: inputBox, options: o)
        propagations += 1
        // Every setting keeps the default's intermediate boxes (sound for the same box):
        // a slope chosen for one objective must not loosen the boxes later relaxations use.
        o.knownBoxes = base.boxes
        func attempt(_ trial: [Int: ReluSlope], _ what: String) {
            o.reluSlopes = trial
            let p = SymbolicEngine.uncheckedPropagate(graph, inputBoxes: inputBox, options: o)
            let r = GraphPropertyVerifier.uncheckedBounds(graph, boxes: p.boxes, symbolic: p, unsafe: unsafe)
            propagations += 1
            guard r.margins.count == best.count else { return }
            for d in best.indices where r.margins[d] > best[d] { best[d] = r.margins[d] }
            let score = shortfall(r.margins)
            if trace {
                let line = "slope search: \(what): shortfall \(score) (current \(currentScore)), margins \(r.margins.map { String(format: "%.4g", $0) }.joined(separator: " "))\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            if score > currentScore { currentScore = score; current = trial }
        }
        // Phase 1: signs of each unexcluded constraint's objective on the neurons' symbols.
        if !done() {
            for (d, disjunct) in unsafe.disjuncts.enumerated() where !(best[d] > 0) {
                for (k, con) in disjunct.enumerated() {
                    if done() { break }
                    guard let g = SymbolicEngine.objectiveCoefficients(base, value: out, c: con.c) else { continue }
                    var trial: [Int: ReluSlope] = [:]
                    for (node, rows) in base.reluSymbols {
                        var rules = [ReluSlope.PerNeuron](repeating: .minimalArea, count: graph.values[graph.nodes[node].output].shape.reduce(1, *))
                        for (row, symbol) in rows where row < rules.count && symbol < g.count && g[symbol] > 0 { rules[row] = .adaptive }
                        trial[node] = .perNeuron(rules)
                    }
                    attempt(trial, "signs of disjunct \(d) constraint \(k)")
                }
            }
        }
        // Phase 2: one rule per node, coordinate search from the best setting so far.
        search: for node in relus {
            for candidate in candidates {
                if done() { break search }
                var trial = current
                trial[node] = candidate
                attempt(trial, "node \(node) \(candidate)")
            }
        }
        return Result(margins: best, slopes: current, propagations: propagations)
    }
}
