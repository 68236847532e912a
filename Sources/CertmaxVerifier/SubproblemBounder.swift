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
        public init(margins: [Double], splitScores: [Double]? = nil) {
            self.margins = margins
            self.splitScores = splitScores
        }
    }

    /// Bound function: (graph, box lower, box upper, unsafe disjuncts to bound).
    public typealias Bound = @Sendable (_ graph: Graph, _ lower: Tensor<Double>, _ upper: Tensor<Double>,
                                        _ unsafe: LinearDisjunction) -> BoundResult

    /// For reports and progress lines.
    public var name: String
    public var bound: Bound

    public init(name: String, bound: @escaping Bound) {
        self.name = name
        self.bound = bound
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
    /// the worst disjunct's form (|g_i| r_i per input).
    public static func symbolic(_ options: BoxEngine.Options = BoxEngine.Options()) -> SubproblemBounder {
        SubproblemBounder(name: "symbolic") { graph, lower, upper, unsafe in
            GraphPropertyVerifier.uncheckedBounds(graph, lower: lower, upper: upper, unsafe: unsafe, options: options, symbolic: true)
        }
    }
}
