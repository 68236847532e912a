import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics

/// The bound computation that branch and bound runs on every subproblem: for an input box
/// and a set of unsafe disjuncts, a sound lower bound of each disjunct's margin, and
/// optionally a score per input dimension saying where a split would help most.
///
/// Any engine plugs in through `init(name:bound:)`; the engine's function has the shape
/// of `GraphPropertyVerifier.disjunctMargins`:
///
///     let linear = SubproblemBounder(name: "linear") { graph, lower, upper, unsafe in
///         BoundResult(margins: MyEngine.disjunctMargins(graph, lower: lower, upper: upper, unsafe: unsafe))
///     }
///     options.bounder = linear   // GraphPropertyVerifier.Options
///
/// Soundness contract (the engine's obligation; the search relies on it and nothing
/// else): `margins[d]` is <= min over every real input x in [lower, upper] of
/// max over the constraints of disjunct d of (c . y(x) - b) (for every coefficient and
/// bound inside their enclosures), with a strict constraint's 0 reported as a positive
/// number, so that `margins[d] > 0` proves that no input of the box reaches disjunct d.
/// `-infinity` (or NaN, treated as -infinity) is always allowed. `splitScores`, when
/// given, only steers the search (one non-negative finite number per input element,
/// larger = split first); it carries no soundness obligation.
///
/// The closure is called concurrently from several threads on different boxes: it must
/// not mutate shared state.
public struct SubproblemBounder: Sendable {
    public struct BoundResult: Sendable {
        /// Per disjunct of the `unsafe` argument (same order), a sound lower bound of its
        /// margin; > 0 excludes the disjunct on the box.
        public var margins: [Double]
        /// Optional per-input-element split scores (e.g. |coefficient of x_i in the
        /// worst disjunct's linear lower bound| times width_i). Nil: the search uses
        /// |d margin / d x_i| times width_i at the box centre.
        public var splitScores: [Double]?
        /// Sound boxes of every graph value over the bounded box (indexed like
        /// `graph.values`), handed to `boundWithin` for its sub-boxes; nil when the bounder
        /// keeps none.
        public var boxes: [Tensor<Interval>]?
        /// Optional: a branching on an intermediate value (e.g. an unstable Relu's input at
        /// 0) the bounder expects to help more than an input split; the search takes it
        /// when `boxes` are given and its score beats half the largest split score.
        /// Steering only, no soundness obligation.
        public var valueSplit: ValueSplit?
        public init(margins: [Double], splitScores: [Double]? = nil, boxes: [Tensor<Interval>]? = nil,
                    valueSplit: ValueSplit? = nil) {
            self.margins = margins
            self.splitScores = splitScores
            self.boxes = boxes
            self.valueSplit = valueSplit
        }
    }

    /// Bound function: (graph, box lower, box upper, unsafe disjuncts to bound).
    public typealias Bound = @Sendable (_ graph: Graph, _ lower: Tensor<Double>, _ upper: Tensor<Double>,
                                        _ unsafe: LinearDisjunction) -> BoundResult

    /// Bound function for a part of a box already bounded: `known` are the `boxes` that
    /// bound returned for the enclosing box (sound on the sub-box too), possibly with one
    /// element cut by a `ValueSplit`, which the engine intersects with its own (the
    /// parent's intermediate bounds, reused). Contract: the margins hold for every input of
    /// [lower, upper] at which every known box holds (the branch's domain); +infinity is
    /// allowed when that domain is empty.
    public typealias BoundWithin = @Sendable (_ graph: Graph, _ lower: Tensor<Double>, _ upper: Tensor<Double>,
                                              _ unsafe: LinearDisjunction, _ known: [Tensor<Interval>]) -> BoundResult

    /// For reports and progress lines.
    public var name: String
    public var bound: Bound
    /// Optional: `bound` for sub-boxes, given the enclosing box's value boxes.
    public var boundWithin: BoundWithin?

    public init(name: String, bound: @escaping Bound, boundWithin: BoundWithin? = nil) {
        self.name = name
        self.bound = bound
        self.boundWithin = boundWithin
    }

    /// The first wave's engine: `BoxEngine` boxes and `LinearObjectiveBound`
    /// back-substitution per constraint; no split scores.
    public static func box(_ options: BoxEngine.Options = BoxEngine.Options()) -> SubproblemBounder {
        SubproblemBounder(name: "box") { graph, lower, upper, unsafe in
            BoundResult(margins: GraphPropertyVerifier.uncheckedDisjunctMargins(graph, lower: lower, upper: upper,
                                                                       unsafe: unsafe, options: options, symbolic: false))
        }
    }

    /// The default: the symbolic engine (`SymbolicEngine`, affine forms with fresh symbols)
    /// and back-substitution over its boxes, the better per constraint; split scores from
    /// the worst disjunct's form (|g_i| r_i per input), and the unstable Relu with the most
    /// weight in it as a `ValueSplit`. Sub-boxes and branches reuse the enclosing box's
    /// value boxes (`SymbolicEngine.Options.knownBoxes`).
    /// `reluSlopes`: the Relu slope per node (e.g. from `SlopeSearch`; any choice is sound).
    public static func symbolic(_ options: BoxEngine.Options = BoxEngine.Options(),
                                reluSlopes: [Int: ReluSlope] = [:]) -> SubproblemBounder {
        SubproblemBounder(name: "symbolic", bound: { graph, lower, upper, unsafe in
            GraphPropertyVerifier.uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: true,
                                         reluSlopes: reluSlopes, keepBoxes: true)
        }, boundWithin: { graph, lower, upper, unsafe, known in
            GraphPropertyVerifier.uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: true,
                                         reluSlopes: reluSlopes, knownBoxes: known, keepBoxes: true)
        })
    }
}
