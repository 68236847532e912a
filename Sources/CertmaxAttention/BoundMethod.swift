/// How the verifier bounds the softmax and the value aggregation P V of each head.
///
/// All methods share the same sound affine-form propagation of the linear maps and of
/// the bilinear scores; they differ in what they do with the score bounds:
/// - `interval`: per-coordinate softmax bounds times value intervals, summed in interval
///   arithmetic (the baseline; ignores that the weights sum to one).
/// - `vertex`: Vertex-Softmax on the score box for the property's own objective (the
///   property's coefficients pulled back through the output projection and V).
/// - `zone`: as `vertex`, plus bounds on score differences s_j - s_k = q.(k_j - k_k)
///   computed from the shared query, used through a pivot box (softmax is shift
///   invariant, so the box of s - s_r is an equally valid score box), direct bounds
///   p_k >= 1 / sum_j e^{D_jk} (the exact zone minimum of p_k), and for the property's
///   own linear objectives the softmax module's zone LP (`ZoneLP.objective`); the best
///   of the sound bounds is kept.
///
/// - `symbolic` (the default of `certmax verify`): the symbolic linear-bound engine over the
///   model graph (CertmaxBounds `SymbolicEngine`: affine forms in the input that keep the
///   dependence across heads, keys and layers), intersected with `zone`. It runs above
///   this module (CertmaxVerifier `SymbolicSpecVerifier`); `AttentionBoundPropagation`
///   itself treats it as `zone`.
///
/// Each method intersects its result with the previous method's, so before LayerNorm
/// zone is never looser than vertex, and vertex never looser than interval.
public enum BoundMethod: String, CaseIterable, Sendable {
    case interval
    case vertex
    case zone
    case symbolic
}
