import CertmaxIO
import CertmaxNumerics
import Foundation

/// Certified lower bounds of the Taylor radius of the cross-entropy loss along a step
/// (DESIGN.md section 4): rho_a = pi T / Delta_a and the dominance-refined bound.
///
/// Notation. Logits z in R^K, directional derivatives a in R^K, temperature T > 0. Along
/// tau the loss is -z_y(tau)/T + log F(tau), F(tau) = sum_k exp((z_k + tau a_k) / T). F is
/// entire; the Taylor radius at 0 is the distance from 0 to the nearest complex zero of F
/// (+inf if F has none). With s = tau / T, F(tau) = G(s) = sum_k exp(z_k / T + s a_k), so
/// radius_T = T * radius(G); everything below is proved for G and scaled by T.
///
/// Theorem 1 (strip). Let Delta = max a - min a > 0. G has no zero with |Im s| < pi / Delta.
/// Proof: write s = x + iy. G(s) = e^{s min a} sum_k c_k e^{i y (a_k - min a)} with
/// c_k = exp(z_k/T + x (a_k - min a)) > 0. If |y| Delta < pi, every angle y (a_k - min a)
/// lies in the closed interval between 0 and y Delta, of length < pi; rotating by
/// -y Delta / 2 puts all angles in [-theta, theta] with theta < pi / 2, so every rotated
/// term has real part >= c_k cos(theta) > 0 and the sum is nonzero. If Delta = 0, G is
/// e^{s a_1} sum_k e^{z_k/T}, which never vanishes.
///
/// Theorem 2 (dominance). Let k be any class, p = softmax(z/T)_k, L = log(p / (1 - p)) =
/// z_k/T - log sum_{j != k} e^{z_j/T}, and D = max_j |a_j - a_k|. Every zero s = x + iy of G
/// has |x| D >= L. Proof: G(s) = 0 gives e^{z_k/T + x a_k} = |e^{z_k/T + s a_k}|
/// = |sum_{j != k} e^{z_j/T + s a_j}| <= sum_{j != k} e^{z_j/T + x a_j}
/// <= e^{x a_k} e^{|x| D} sum_{j != k} e^{z_j/T}; divide by e^{x a_k} sum_{j != k} e^{z_j/T}
/// and take logs: L <= |x| D. No hypothesis p > 1/2 is needed: for p <= 1/2, L <= 0 and
/// the statement is the trivial |x| >= 0; it only has content when p > 1/2 (then k is
/// necessarily the argmax, which is the class we use). With u0 = max(0, L / D) and
/// Theorem 1, every zero has |s|^2 = x^2 + y^2 >= u0^2 + (pi / Delta)^2.
/// Tightness: for K = 2, the zeros are s = (-(z_1 - z_2)/T + i pi (2m + 1)) / (a_1 - a_2)
/// and with k the larger logit L = |z_1 - z_2| / T, D = |a_1 - a_2| = Delta, so the bound
/// sqrt(L^2 + pi^2) / Delta is the exact radius.
///
/// Rounding: every quantity that enters as a lower bound (pi, L, u0, the final square
/// root) is rounded down and every one that enters as an upper bound (Delta, D, the sum of
/// exponentials) is rounded up, with the directed primitives of CertmaxNumerics.
///
/// The two certified lower bounds of one sample's Taylor radius (proofs above).
public struct RadiusLowerBounds: Equatable, Sendable {
    /// `rho_a = pi T / (max a - min a)` rounded down; `+inf` when all a are equal.
    public var rhoA: Double
    /// The dominance-refined bound `T sqrt(u0^2 + (pi / Delta_a)^2)` rounded down, and
    /// never below `rhoA`; `+inf` when all a are equal.
    public var refined: Double

    public init(rhoA: Double, refined: Double) {
        self.rhoA = rhoA
        self.refined = refined
    }
}

/// Upper bound of `max a - min a` from the exact extremes.
@inlinable @inline(__always)
func _deltaUp(max: Double, min: Double) -> Double { Double.subUp(max, min) }

/// `pi T / delta` rounded down (`+inf` for delta == 0).
@inlinable @inline(__always)
func _rhoA(deltaUp: Double, temperature: Double) -> Double {
    if deltaUp == 0 { return .infinity }
    let piT = temperature == 1 ? Double.pi : Double.mulDown(.pi, temperature)
    return Double.divDown(piT, deltaUp)
}

/// `rho_a` of one sample: a certified lower bound of its Taylor radius.
///
/// Soundness: returns `r <= pi T / (max a - min a)`, which is <= the exact radius by
/// Theorem 1 (file comment); `+inf` exactly when all entries of `a` are equal (then the
/// radius is +inf). Exact up to the final rounding (Double.pi is pi rounded down; the
/// difference is rounded up; the quotient is rounded down).
///
/// Arguments: `a` non-empty with finite entries; `temperature` finite and > 0.
/// Complexity: O(K).
///
/// Checked: throws `InputError` (source "taylorRadiusRhoA") on other arguments;
/// `uncheckedTaylorRadiusRhoA` skips the check.
public func taylorRadiusRhoA(directions a: UnsafeBufferPointer<Double>, temperature: Double = 1) throws(InputError) -> Double {
    try _checkRadiusBuffers(logits: nil, directions: a, temperature: temperature, "taylorRadiusRhoA")
    return uncheckedTaylorRadiusRhoA(directions: a, temperature: temperature)
}

/// Unchecked `taylorRadiusRhoA`: for arguments validated already (an empty `a` gives a
/// meaningless value, NaN a NaN).
public func uncheckedTaylorRadiusRhoA(directions a: UnsafeBufferPointer<Double>, temperature: Double = 1) -> Double {
    let (mx, mn) = simdMaxMin(a)
    return _rhoA(deltaUp: _deltaUp(max: mx, min: mn), temperature: temperature)
}

/// `rho_a` and the dominance-refined lower bound of one sample.
///
/// Soundness: both returned values are <= the exact Taylor radius (Theorems 1 and 2 in
/// the file comment), after all rounding. `refined >= rhoA` always (the larger of two
/// valid lower bounds is returned). For K = 2 `refined` is the exact radius up to
/// rounding (a few ulps below it).
///
/// Edge Cases: all `a` equal gives `(+inf, +inf)`. When every other class underflows
/// (e^{(z_j - z_k)/T} below the smallest subnormal), the sum is bounded by the smallest
/// positive Double (a valid upper bound), so `refined` stays finite and sound.
///
/// Arguments: `z` and `a` have the same non-zero length and finite entries;
/// `temperature` is finite and > 0. Complexity: O(K), one exp per class.
///
/// Checked: throws `InputError` (source "taylorRadiusLowerBounds") on other arguments;
/// `uncheckedTaylorRadiusLowerBounds` skips the check (the batch kernels' per-row call).
public func taylorRadiusLowerBounds(
    logits z: UnsafeBufferPointer<Double>, directions a: UnsafeBufferPointer<Double>, temperature: Double = 1
) throws(InputError) -> RadiusLowerBounds {
    try _checkRadiusBuffers(logits: z, directions: a, temperature: temperature, "taylorRadiusLowerBounds")
    return uncheckedTaylorRadiusLowerBounds(logits: z, directions: a, temperature: temperature)
}

/// `ArgumentCheck.radiusSample` on buffers (no copy); `z` nil checks `a` alone.
func _checkRadiusBuffers(logits z: UnsafeBufferPointer<Double>?, directions a: UnsafeBufferPointer<Double>,
                         temperature: Double, _ function: String) throws(InputError) {
    try ArgumentCheck.temperature(temperature, function)
    if let z {
        if z.isEmpty { throw InputError(source: function, location: "logits", problem: "needs at least one entry") }
        if z.count != a.count {
            throw InputError(source: function, location: "directions", problem: "has \(a.count) entries but logits has \(z.count)")
        }
        if let i = z.firstIndex(where: { !$0.isFinite }) {
            throw InputError(source: function, location: "logits[\(i)]", problem: "not a finite number: \(z[i])")
        }
    } else if a.isEmpty {
        throw InputError(source: function, location: "directions", problem: "needs at least one entry")
    }
    if let i = a.firstIndex(where: { !$0.isFinite }) {
        throw InputError(source: function, location: "directions[\(i)]", problem: "not a finite number: \(a[i])")
    }
}

/// Unchecked `taylorRadiusLowerBounds`: for arguments validated already (traps on a
/// length mismatch or empty buffers).
public func uncheckedTaylorRadiusLowerBounds(
    logits z: UnsafeBufferPointer<Double>, directions a: UnsafeBufferPointer<Double>, temperature: Double = 1
) -> RadiusLowerBounds {
    precondition(z.count == a.count && z.count > 0, "logits and directions must have the same non-zero length")
    let (amax, amin) = simdMaxMin(a)
    let delta = _deltaUp(max: amax, min: amin)
    let rhoA = _rhoA(deltaUp: delta, temperature: temperature)
    if delta == 0 { return RadiusLowerBounds(rhoA: .infinity, refined: .infinity) }
    // Dominant class: the first argmax of z.
    let (zmax, _) = simdMaxMin(z)
    var k = 0
    while z[k] != zmax { k += 1 }
    // L = (z_k - m2)/T - log s with m2 = max_{j != k} z_j and
    // s = sum_{j != k} e^{(z_j - m2)/T} in [1, K - 1] (no underflow of the dominant term).
    var m2 = -Double.infinity
    for j in 0..<z.count where j != k { m2 = Swift.max(m2, z[j]) }
    let s = _sumExpUp(z, skipping: k, shift: m2, temperature: temperature)
    let gap = temperature == 1 ? Double.subDown(zmax, m2) : Double.divDown(Double.subDown(zmax, m2), temperature)
    let lDown = Double.subDown(gap, Double.logUp(s))
    let ak = a[k]
    let dUp = Swift.max(Double.subUp(amax, ak), Double.subUp(ak, amin))
    let u0 = lDown > 0 ? Double.divDown(lDown, dUp) : 0
    let strip = Double.divDown(.pi, delta)  // pi / Delta, rounded down (s-units)
    // Squares are >= 0: a directed product that underflows may come back as -tiny, which
    // is a valid but useless lower bound; max with 0 keeps sqrtDown's argument >= 0.
    let sq = Swift.max(0, Double.addDown(Swift.max(0, Double.mulDown(u0, u0)), Swift.max(0, Double.mulDown(strip, strip))))
    let rs = Double.sqrtDown(sq)
    let refinedT = temperature == 1 ? rs : Double.mulDown(rs, temperature)
    // The larger of two valid lower bounds (rho_a if the refined value is not a number).
    return RadiusLowerBounds(rhoA: rhoA, refined: refinedT >= rhoA ? refinedT : rhoA)
}

/// An upper bound of s = sum_{j != k} e^{x_j}, x_j = (z_j - m2)/T <= 0, m2 = max_{j != k} z_j.
///
/// Fast path: plain round-to-nearest arithmetic and libm exp, then one a-priori error
/// factor (u = 2^-53, n = K - 1 terms, x̂_j the computed exponents, E = max_j |x̂_j|,
/// ê_j the computed exponentials, ŝ their computed sum):
/// 1. x̂_j = (z_j - m2)(1 + d1)[(1 + d2)/T], |d| <= u, so |x_j - x̂_j| <= 2.01 u |x̂_j| and
///    e^{x_j} <= e^{x̂_j} e^{2.01 u E}.
/// 2. libm exp is within 2 ulps: e^{x̂_j} <= (ê_j + 2^-1073) / (1 - 2^-51) (relative 2^-51
///    for normal results, absolute 2 * 2^-1074 for subnormal ones).
/// 3. Recursive summation of nonnegative terms: sum ê_j <= ŝ / (1 - gamma_{n-1}),
///    gamma_m = m u / (1 - m u).
/// Hence s <= (ŝ + n 2^-1072) (1 + 1.01 (n + 6) u) (1 + 2.03 u E), valid when n u <= 1e-6
/// and E <= 2^40 (then 1/((1 - gamma_{n-1})(1 - 4u)) <= 1 + 1.01 (n + 6) u and
/// e^{2.01 u E} <= 1 + 2.03 u E); the three products and sums are rounded upward. Outside
/// that range (or on overflow) the slow path rounds every term upward (expUp/addUp).
/// The term at the second-largest logit is e^0 = 1, so ŝ >= 1: nothing underflows that
/// matters and log ŝ' >= 0.
@inlinable
func _sumExpUp(_ z: UnsafeBufferPointer<Double>, skipping k: Int, shift m2: Double, temperature t: Double) -> Double {
    let n = z.count - 1
    if n <= 0 { return 0 }
    var sum = 0.0
    var emax = 0.0
    if t == 1 {
        for j in 0..<z.count where j != k {
            let x = z[j] - m2
            emax = Swift.max(emax, -x)
            sum += Foundation.exp(x)
        }
    } else {
        for j in 0..<z.count where j != k {
            let x = (z[j] - m2) / t
            emax = Swift.max(emax, -x)
            sum += Foundation.exp(x)
        }
    }
    let u = 0x1p-53
    if !(emax <= 0x1p40) || !sum.isFinite || Double(n) * u > 1e-6 {
        // Slow path: per-term directed rounding.
        var s = 0.0
        for j in 0..<z.count where j != k {
            let x = t == 1 ? Double.subUp(z[j], m2) : Double.divUp(Double.subUp(z[j], m2), t)
            s = Double.addUp(s, Double.expUp(x))
        }
        return s
    }
    let withSub = Double.addUp(sum, Double.mulUp(Double(n), 0x1p-1072))
    let sumFactor = Double.addUp(1, Double.mulUp(Double(n + 6), 1.01 * u))
    let expFactor = Double.addUp(1, Double.mulUp(emax, 2.03 * u))
    return Double.mulUp(Double.mulUp(withSub, sumFactor), expFactor)
}
