import CertmaxGraph
import CertmaxNumerics

/// A branching on one element of an intermediate graph value: the domain is cut into the
/// inputs where the element is <= `point` and those where it is >= `point`, e.g. an
/// unstable Relu's input at 0 (each side makes that Relu exact: the identity or 0).
///
/// The two sides cover the domain (every input has the element on one side), so a
/// property proved on both is proved on the parent; each side is handed to the bounder as
/// the parent's value boxes with that element's interval cut at `point`
/// (`SymbolicEngine.Options.knownBoxes`, whose contract makes the bounds hold on the
/// side). A side that the engine finds empty (`SymbolicEngine.Result.emptyDomain`) is
/// proved outright.
public struct ValueSplit: Sendable, Equatable {
    /// The value (index into `graph.values`).
    public var value: Int
    /// The element (row-major index into the value).
    public var element: Int
    /// Where the element's interval is cut; strictly inside it.
    public var point: Double
    /// How much of the bound's slack the split is expected to remove (larger = better);
    /// steering only, no guarantee.
    public var score: Double

    public init(value: Int, element: Int, point: Double, score: Double) {
        self.value = value; self.element = element; self.point = point; self.score = score
    }

    /// The two sides' known boxes from the parent's value boxes: `boxes` with the element's
    /// interval [l, u] replaced by [l, point] and by [point, u]. Nil when `boxes` does not
    /// have the value or element, or `point` is not strictly inside [l, u].
    public func sides(of boxes: [Tensor<Interval>]) -> (below: [Tensor<Interval>], above: [Tensor<Interval>])? {
        guard boxes.indices.contains(value), boxes[value].data.indices.contains(element) else { return nil }
        let x = boxes[value].data[element]
        guard x.lower < point, point < x.upper else { return nil }
        var below = boxes, above = boxes
        below[value].data[element] = Interval(uncheckedLower: x.lower, upper: point)
        above[value].data[element] = Interval(uncheckedLower: point, upper: x.upper)
        return (below, above)
    }

    /// The unstable Relu whose relaxation carries the most weight in an objective's bound:
    /// over the Relu rows that got fresh symbols (`reluSymbols`), the one with the largest
    /// weight |g_s| r_s (`SymbolicEngine.uncheckedObjectiveWeights`) whose input is a
    /// node's output (not a graph input or constant) and whose interval in `boxes` strictly
    /// contains 0. Nil when there is none.
    public static func bestRelu(_ graph: Graph, boxes: [Tensor<Interval>], reluSymbols: [Int: [(row: Int, symbol: Int)]],
                                weights: [Double]) -> ValueSplit? {
        var best: ValueSplit? = nil
        for k in reluSymbols.keys.sorted() {
            let rows = reluSymbols[k]!
            // A Relu of a graph input is left to input splits (the engine takes the input
            // box as given, so a cut there would change nothing).
            guard graph.nodes.indices.contains(k), let v = graph.nodes[k].inputs.first, boxes.indices.contains(v),
                  graph.values[v].producer != nil else { continue }
            for (row, symbol) in rows where weights.indices.contains(symbol) && boxes[v].data.indices.contains(row) {
                let w = weights[symbol]
                let x = boxes[v].data[row]
                guard w.isFinite, w > (best?.score ?? 0), x.lower < 0, 0 < x.upper else { continue }
                best = ValueSplit(value: v, element: row, point: 0, score: w)
            }
        }
        return best
    }
}
