/// The ways `certmax objective` (and `ObjectiveBounds.enclosure`) bound `c · softmax(s/T)`
/// over a box.
///
/// - `vertex`: exact (Vertex-Softmax, sorted threshold candidates). Tightest from the box alone.
/// - `zone`, `lp`: exact for the zone of score differences (`diff_upper`), GLPK-based
///   (`ZoneLP`); `lp` with affine scores (`"A"`, `"b"`, `"x_lower"`, `"x_upper"` in the
///   input) is the joint LP over the input box (`JointLP`).
/// - `ibp`: per-coordinate bounds concretized against c (interval bound propagation).
/// - `er`, `lse`: Wei et al. 2023 linear relaxations (exponential-reciprocal lower bound /
///   log-sum-exp lower bound, each with its concave upper partner), concretized against c.
/// - `shi`: the Shi et al. 2020 style composed per-operation linear bounds (baseline;
///   `RelaxationKind.shi`), concretized against c. Usually much looser than `er`/`lse` and
///   `ibp` (it loses the coupling of e_j and the sum); never tighter than `vertex`.
///
/// Budgets: `er`, `lse` and `shi` build a K x K relaxation; for K > 2048
/// (`RelaxedObjective.maximumDimension`) they return the `ibp` bound instead.
///
/// Adding a method is one case here plus one `case` in `ObjectiveBounds.enclosure`.
public enum ObjectiveMethod: String, CaseIterable, Sendable {
    case vertex, zone, lp, ibp, er, lse, shi

    /// Whether the method returns attained values and witnesses (an enclosure of the exact
    /// optimum over its feasible set).
    public var isExact: Bool {
        switch self {
        case .vertex, .zone, .lp: return true
        case .ibp, .er, .lse, .shi: return false
        }
    }

    /// Whether this build implements the method (`zone` and `lp` come with the LP engine).
    public var isAvailable: Bool {
        switch self {
        case .vertex, .ibp, .er, .lse, .shi, .zone, .lp: return true
        }
    }
}
