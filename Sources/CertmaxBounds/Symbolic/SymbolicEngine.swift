import CertmaxGraph
import CertmaxIO
import CertmaxNumerics
import COpenBLAS
import Foundation

/// Symbolic bound propagation over a `Graph`: every tensor gets affine forms in the input
/// symbols with interval remainders (`AffineForms`), and a box.
///
/// Nodes are visited in order. For each node:
/// 1. the box: the op's sound interval evaluation on its operands' boxes (with the box
///    engine's Vertex-Softmax rule for attention aggregation, `BoxEngine`);
/// 2. the forms: the op's linear relaxation (`SymbolicOp`, one file per op), or the box as
///    slope-0 forms for an op without one;
/// 3. the box is intersected with the forms' concretisation; rows whose concretisation is
///    more than `boxFallbackRatio` times wider than the box are replaced by the box.
/// Forms are released after their last consumer. The first graph input with a non-point
/// box carries the symbols; other inputs enter as boxes.
///
/// Soundness contract: for every input x in the input boxes, the exact real value of every
/// tensor lies in its returned box and in the returned forms' sets (each op relaxation
/// keeps the invariant of `AffineForms` given sound operands; intersections and
/// replacements by sound boxes keep it).
public enum SymbolicEngine {
    /// Threads used by the engine's own loops and by OpenBLAS.
    nonisolated(unsafe) static var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Sets the number of threads (>= 1) the engine and its BLAS use in this process.
    public static func setThreads(_ n: Int) {
        threads = max(1, n)
        openblas_set_num_threads(Int32(threads))
    }

    public struct Options: Sendable {
        /// Bound softmax-times-values products with Vertex-Softmax (see `BoxEngine`).
        public var vertexAttention = true
        /// A row whose concretisation is wider than this times its box is replaced by the box.
        public var boxFallbackRatio = 2.0
        /// Values whose forms are kept in the result (besides the graph outputs).
        public var keepForms: Set<Int> = []
        /// Fresh symbols for the remainders of the attention ops (products of two variables
        /// and softmax) and, with `freshSymbolsForActivations`, of the activations, in
        /// graph order up to this many in all (0 disables): their errors then cancel
        /// across heads, keys and neurons instead of adding up as intervals.
        public var maxFreshSymbols = 8192
        /// Also give the activations' (Relu, GELU, ...) remainders fresh symbols.
        public var freshSymbolsForActivations = true
        /// Also give the attention aggregation P V (a product whose left operand is a
        /// softmax) fresh symbols: one per output element, so they only cancel where later
        /// ops mix the outputs of one token (residual, normalisation, the next layer). On
        /// ViT they decide the bound (the logit widths drop from ~1e3 to ~10); on one
        /// MiniLM block they change nothing (DESIGN.md section 12).
        public var freshSymbolsForAggregation = true
        /// The Relu slope per node index (`graph.nodes`); nodes not listed use
        /// `ReluSlope.minimalArea`. Every choice is sound (see `UnaryRelaxation`).
        public var reluSlopes: [Int: ReluSlope] = [:]
        /// Boxes known to hold on the domain (e.g. an earlier propagation over the same or a
        /// larger box, or a branch's constraint such as "this Relu input is >= 0"), indexed
        /// like `graph.values`: every node's box is intersected with its known box before
        /// the relaxation reads it. The results then hold for every input of the input
        /// boxes at which every known box holds (the domain); a known box that fails at
        /// some such input makes the results unsound there. An empty intersection proves
        /// the domain empty (`Result.emptyDomain`).
        public var knownBoxes: [Tensor<Interval>]? = nil
        public init() {}
    }

    public struct Result: Sendable {
        /// The box of every value (indexed like `graph.values`).
        public var boxes: [Tensor<Interval>]
        /// Forms of the graph outputs and of `Options.keepForms` (value id -> forms).
        public var forms: [Int: AffineForms]
        public var space: SymbolicSpace
        /// Largest number of coefficient bytes held at once.
        public var peakCoefficientBytes: Int
        /// Per Relu node (index into `graph.nodes`), the rows whose remainder became a
        /// fresh symbol, and that symbol (`SlopeSearch` reads the objective's sign on it).
        public var reluSymbols: [Int: [(row: Int, symbol: Int)]] = [:]
        /// Per node (index into `graph.nodes`), the fresh symbols its remainders became
        /// (a range of `space`'s symbols), for reports of where a bound's slack comes from.
        public var freshSymbols: [Int: Range<Int>] = [:]
        /// True when a computed box and its known box (`Options.knownBoxes`) do not
        /// intersect: both hold on the domain, so no input satisfies every known box, and
        /// any claim about the domain's values is vacuously true (a branch that is
        /// infeasible). The boxes returned are then the computed ones.
        public var emptyDomain = false
    }

    /// Propagates the input boxes. Boxes with infinite ends: plain box propagation (no
    /// symbols).
    ///
    /// Checked: throws `InputError` (source "SymbolicEngine.propagate") unless there is one
    /// box per graph input, of its shape, with no NaN end and no empty interval (lower >
    /// upper) (`Graph.checkInputs`); `uncheckedPropagate` skips the check (the verifier's
    /// branch-and-bound loop, whose boxes are sub-boxes of a validated one).
    public static func propagate(_ graph: Graph, inputBoxes: [Tensor<Interval>], options: Options = Options()) throws(InputError) -> Result {
        try graph.checkInputs(inputBoxes, "SymbolicEngine.propagate")
        return uncheckedPropagate(graph, inputBoxes: inputBoxes, options: options)
    }

    /// Unchecked `propagate`: traps on a wrong input count; inverted or NaN boxes fall
    /// back to plain box propagation (no guarantee for such boxes).
    public static func uncheckedPropagate(_ graph: Graph, inputBoxes: [Tensor<Interval>], options: Options = Options()) -> Result {
        precondition(inputBoxes.count == graph.inputs.count, "SymbolicEngine: expected \(graph.inputs.count) inputs")
        var symbolic = -1
        for (i, b) in inputBoxes.enumerated() where symbolic < 0 {
            if b.data.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite && $0.lower <= $0.upper }) && !b.isPoint { symbolic = i }
        }
        var space = symbolic >= 0 ? SymbolicSpace(lower: inputBoxes[symbolic].data.map(\.lower), upper: inputBoxes[symbolic].data.map(\.upper))
                                  : SymbolicSpace(lower: [], upper: [])
        // Nodes whose remainders become fresh symbols (in graph order, within the budget).
        func eligible(_ n: Graph.Node) -> Bool {
            guard symbolic >= 0 else { return false }
            let variable = n.inputs.filter { graph.values[$0].constant == nil }.count
            let aggregation = n.op is MatMul && graph.values[n.inputs[0]].producer.map { graph.nodes[$0].op is Softmax } == true
            return (n.op is MatMul && variable == 2 && (!aggregation || options.freshSymbolsForAggregation)) || n.op is Softmax
                || (options.freshSymbolsForActivations && n.op is any ElementwiseUnaryOp)
        }
        var boxes = [Tensor<Interval>?](repeating: nil, count: graph.values.count)
        var forms = [AffineForms?](repeating: nil, count: graph.values.count)
        for (v, value) in graph.values.enumerated() { if let c = value.constant { boxes[v] = c.asIntervals } }
        for (i, id) in graph.inputs.enumerated() {
            boxes[id] = inputBoxes[i]
            forms[id] = i == symbolic ? AffineForms(input: space) : AffineForms(box: inputBoxes[i].data, symbols: space.symbols)
        }
        // Last consumer of every value.
        var lastUse = [Int](repeating: -1, count: graph.values.count)
        for (k, n) in graph.nodes.enumerated() { for v in n.inputs { lastUse[v] = k } }
        var keep = options.keepForms
        for o in graph.outputs { keep.insert(o) }
        let attention = options.vertexAttention ? BoxEngine.attentionNodes(graph) : [:]
        var held = 0, peak = 0
        var reluSymbols: [Int: [(row: Int, symbol: Int)]] = [:]
        var freshSymbols: [Int: Range<Int>] = [:]
        var emptyDomain = false
        let trace = ProcessInfo.processInfo.environment["CERTMAX_SYMBOLIC_TRACE"] != nil
        var clock = Date()
        for (k, node) in graph.nodes.enumerated() {
            let args = node.inputs.map { boxes[$0]! }
            var box = node.op.interval(args)
            if let s = attention[k], let scores = boxes[s], let refined = BoxEngine.vertexAggregation(scores: scores, values: args[1]) {
                box = Tensor(uncheckedShape: box.shape, data: zip(box.data, refined).map { p, r in
                    let i = p.intersection(r); return i.isEmpty ? p : i
                })
            }
            if let known = options.knownBoxes, node.output < known.count, known[node.output].count == box.count {
                box = Tensor(uncheckedShape: box.shape, data: zip(box.data, known[node.output].data).map { b, k in
                    let i = b.intersection(k)
                    if i.isEmpty { emptyDomain = true; return b }
                    return i
                })
            }
            let operands = node.inputs.map { v in
                SymbolicOperand(shape: graph.values[v].shape, box: boxes[v]!, constant: graph.values[v].constant,
                                forms: graph.values[v].constant == nil ? (forms[v] ?? AffineForms(box: boxes[v]!.data, symbols: space.symbols)) : nil)
            }
            var f: AffineForms
            if let slope = options.reluSlopes[k], node.op is Relu, operands[0].forms.map({ !$0.isZero }) == true {
                var relu = UnaryRelaxation.relu
                relu.reluSlope = slope
                f = relu.apply(operands[0].formsOrBox(space), box: operands[0].box.data, space).0
            } else if let op = node.op as? any SymbolicOp, operands.contains(where: { $0.forms.map { !$0.isZero } ?? false }),
               let r = op.symbolicForms(operands, outputShape: box.shape, outputBox: box, space: space), r.rows == box.count {
                f = r
            } else {
                f = AffineForms(box: box.data, symbols: space.symbols)
            }
            // Intersect, and fall back to the box where the forms are much wider.
            let masses = f.masses(space)
            let conc = f.concretize(space, masses: masses)
            var replace: [Int] = []
            var data = box.data
            for i in 0..<data.count {
                let b = data[i], c = conc[i]
                let inter = b.intersection(c)
                if !inter.isEmpty { data[i] = inter }
                let bw = b.width, cw = c.width
                if !f.isZero && (!cw.isFinite || (bw.isFinite && cw > options.boxFallbackRatio * bw)) { replace.append(i) }
            }
            box = Tensor(uncheckedShape: box.shape, data: data)
            f.replaceRows(replace, with: data)
            var introduced = false
            if eligible(node), space.symbols - space.inputSymbols + f.rows <= options.maxFreshSymbols {
                var record: [(row: Int, symbol: Int)]? = node.op is Relu ? [] : nil
                let first = space.symbols
                f = f.introducingSymbols(&space, recording: &record)
                if let record { reluSymbols[k] = record }
                if space.symbols > first { freshSymbols[k] = first..<space.symbols }
                introduced = true
            }
            // Radii of existing symbols never change, so masses stay valid until consumed.
            f.cachedMasses = replace.isEmpty && !introduced ? masses : nil
            if trace {
                let n = Double(max(data.count, 1))
                let bw = data.reduce(0) { $0 + $1.width } / n
                let rw = zip(f.low, f.high).reduce(0) { $0 + ($1.1 - $1.0) } / n
                let mw = masses.reduce(0, +) * 2 / n
                FileHandle.standardError.write(Data(String(format: "symbolic %3d %-20@ box %.4g  remainder %.4g  slope part %.4g  boxed rows %d/%d  %.3f s\n",
                                                           k, node.op.opType, bw, rw, mw, replace.count, data.count, Date().timeIntervalSince(clock)).utf8))
                clock = Date()
            }
            boxes[node.output] = box
            forms[node.output] = f
            held += f.coefficientBytes
            peak = max(peak, held)
            for v in node.inputs where lastUse[v] == k && !keep.contains(v) {
                held -= forms[v]?.coefficientBytes ?? 0
                forms[v] = nil
            }
        }
        var kept: [Int: AffineForms] = [:]
        for v in keep { if let f = forms[v] { kept[v] = f } }
        return Result(boxes: boxes.map { $0 ?? Tensor(uncheckedShape: [0], data: []) }, forms: kept, space: space,
                      peakCoefficientBytes: peak, reluSymbols: reluSymbols, freshSymbols: freshSymbols,
                      emptyDomain: emptyDomain)
    }

    /// A sound lower bound of c . y over the input box, y = the value `value` (its forms must
    /// be in `result.forms`, e.g. a graph output), for every coefficient vector inside the
    /// enclosures `c`.
    ///
    /// With cm = fl(mid c): c . y = cm . y + (c - cm) . y; the first term is one affine
    /// form g . delta + [sum cm_i low_i, sum cm_i high_i] (g = sum_i cm_i A_i in floating
    /// point, with the combination slack), minimised over the symbol box as
    /// -sum_j |g_j| r_j (rounded up); the second is bounded on y's box. The result is the
    /// larger of that and the plain concretisation of c over y's box.
    ///
    /// Checked: throws `InputError` (source "SymbolicEngine.lowerBound") on a `value`
    /// outside the result, `c` of another element count or with NaN / empty entries;
    /// `uncheckedLowerBound` skips the check.
    public static func lowerBound(_ result: Result, value: Int, c: [Interval]) throws(InputError) -> Double {
        try checkObjective(result, value: value, c: c, "SymbolicEngine.lowerBound")
        return uncheckedObjective(result, value: value, c: c).lower
    }

    /// Unchecked `lowerBound`.
    public static func uncheckedLowerBound(_ result: Result, value: Int, c: [Interval]) -> Double {
        uncheckedObjective(result, value: value, c: c).lower
    }

    static func checkObjective(_ result: Result, value: Int, c: [Interval], _ function: String) throws(InputError) {
        if !result.boxes.indices.contains(value) {
            throw InputError(source: function, location: "value", problem: "\(value) is not a value of the result (0..<\(result.boxes.count))")
        }
        if c.count != result.boxes[value].count {
            throw InputError(source: function, location: "c", problem: "has \(c.count) entries, the value has \(result.boxes[value].count)")
        }
        for (i, x) in c.enumerated() where x.lower.isNaN || x.upper.isNaN || !(x.lower <= x.upper) {
            throw InputError(source: function, location: "c[\(i)]", problem: "NaN or empty interval \(x)")
        }
    }

    /// The coefficients g of c . y over every symbol (`result.space.symbols`), g = sum_i
    /// mid(c_i) A_i in plain floating point: for steering (signs, split choices) only, with
    /// no guarantee. Nil when the value's forms were not kept or c is not finite.
    public static func objectiveCoefficients(_ result: Result, value: Int, c: [Interval]) -> [Double]? {
        guard let f = result.forms[value], c.count == f.rows else { return nil }
        var lc = LinearCombination(sources: [f])
        for i in 0..<c.count {
            guard let cr = centreRadius(c[i]) else { return nil }
            if cr.c != 0 { lc.add(source: 0, row: i, weight: cr.c) }
        }
        lc.endRow()
        let g = lc.build(result.space)
        var out = [Double](repeating: 0, count: result.space.symbols)
        switch g.slopes {
        case .zero: break
        case .unit(let u): if u[0] >= 0 { out[Int(u[0])] = 1 }
        case .dense(let a): for j in 0..<min(g.symbols, out.count) { out[j] = a[j] }
        }
        return out
    }

    /// `lowerBound` together with, per input element, |g_s| r_s for its symbol s: how much
    /// of the bound's slack that input carries (a split score for branch and bound; 0 for
    /// fixed inputs). The scores are plain floating point and carry no guarantee.
    ///
    /// Checked as `lowerBound` (source "SymbolicEngine.objective"); `uncheckedObjective`
    /// skips the check.
    public static func objective(_ result: Result, value: Int, c: [Interval]) throws(InputError) -> (lower: Double, inputScores: [Double]) {
        try checkObjective(result, value: value, c: c, "SymbolicEngine.objective")
        return uncheckedObjective(result, value: value, c: c)
    }

    /// Unchecked `objective`: for arguments validated already (traps on a count mismatch).
    public static func uncheckedObjective(_ result: Result, value: Int, c: [Interval]) -> (lower: Double, inputScores: [Double]) {
        let d = uncheckedObjectiveWeights(result, value: value, c: c)
        var scores = [Double](repeating: 0, count: result.space.symbolOf.count)
        if let w = d.weights {
            for (e, sym) in result.space.symbolOf.enumerated() where sym >= 0 && Int(sym) < w.count { scores[e] = w[Int(sym)] }
        }
        return (d.lower, scores)
    }

    /// `uncheckedLowerBound` together with, per symbol j of `result.space`, the weight
    /// |g_j| r_j it carries in the bound (g = the objective's coefficients; the bound is
    /// its constant part minus the sum of the weights): where the bound's slack comes
    /// from, per input element and per fresh symbol (a remainder of one node's
    /// relaxation, `Result.freshSymbols`, `Result.reluSymbols`). The weights are plain
    /// floating point and carry no guarantee (steering and reports only); nil when the
    /// value's forms were not kept or c is not finite.
    public static func uncheckedObjectiveWeights(_ result: Result, value: Int, c: [Interval]) -> (lower: Double, weights: [Double]?) {
        let box = result.boxes[value]
        precondition(c.count == box.count, "SymbolicEngine.lowerBound: c does not match the value")
        var direct = Interval.zero
        for i in 0..<c.count where !(c[i].lower == 0 && c[i].upper == 0) { direct = direct + box.data[i] * c[i] }
        let directLower = direct.lower.isNaN ? -Double.infinity : direct.lower
        guard let f = result.forms[value] else { return (directLower, nil) }
        let space = result.space
        var rem = Interval.zero
        var cm = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            guard let cr = centreRadius(c[i]) else { return (directLower, nil) }
            cm[i] = cr.c
            // (cm . forms' remainders enter through the combination below.)
            if cr.r != 0 { rem = rem + box.data[i] * Interval(uncheckedLower: -cr.r, upper: cr.r) }
        }
        var lc = LinearCombination(sources: [f])
        for i in 0..<c.count where cm[i] != 0 { lc.add(source: 0, row: i, weight: cm[i]) }
        lc.endRow()
        let g = lc.build(space)  // one row: cm . forms, remainders and slack in g.low / g.high
        let mass = g.masses(space)[0]
        let lo = Double.subDown(Double.addDown(rem.lower, g.low[0]), mass)
        var weights = [Double](repeating: 0, count: space.symbols)
        switch g.slopes {
        case .zero: break
        case .unit(let u): if u[0] >= 0, Int(u[0]) < weights.count { weights[Int(u[0])] = space.radius[Int(u[0])] }
        case .dense(let a): for j in 0..<min(g.symbols, weights.count) { weights[j] = abs(a[j]) * space.radius[j] }
        }
        return (lo.isNaN ? directLower : max(lo, directLower), weights)
    }
}
