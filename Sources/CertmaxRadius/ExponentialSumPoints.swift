import CertmaxNumerics
import Foundation

/// e^{-M} G, e^{-M} G' and the bounds that make them usable at one point s = x + iy
/// (`ExponentialSumPoints.evaluate`). All quantities are scaled by the same e^{-M}.
struct PointValue {
    /// Computed e^{-M} G(s) (floating point).
    var gr: Double, gi: Double
    /// Computed e^{-M} G'(s).
    var dr: Double, di: Double
    /// |e^{-M} G(s) - (gr + i gi)| <= errG (exact G with the exact coefficients).
    var errG: Double
    /// |e^{-M} G'(s) - (dr + i di)| <= errD.
    var errD: Double
    /// Computed e^{-M} G''(s) and |e^{-M} G''(s) - (d2r + i d2i)| <= errD2.
    var d2r: Double = 0, d2i: Double = 0, errD2: Double = 0
    /// e^{-M} sum_k |b_k|^3 |e^{c_k + b_k s}| <= s3 (bounds |G'''| near s likewise).
    var s3: Double = 0
    /// e^{-M} sum_k |b_k|^2 |e^{c_k + b_k s}| <= s2 (bounds |G''| at s, and near s with the
    /// factor e^{B |w - s|}).
    var s2: Double
    /// e^{-M} sum_k |e^{c_k + b_k s}| <= magnitude.
    var magnitude: Double
    /// The scale M of this evaluation (values of two points can be compared directly
    /// only when their scales are equal).
    var scale: Double = 0
    /// False when the error rule does not cover the point (a phase b_k y beyond
    /// `SoundSinCos.maxArgument`, or a non-finite value): nothing above may be used.
    var valid: Bool

    /// |computed G|.
    var absG: Double { (gr * gr + gi * gi).squareRoot() }
    /// A lower bound of |e^{-M} G(s)| (0 when the error swallows the value).
    var absGLower: Double { Swift.max(0, absG * (1 - 1e-12) - errG * (1 + 1e-12)) }
    /// An upper bound of |e^{-M} G'(s)|.
    var absDUpper: Double { ((dr * dr + di * di).squareRoot() + errD) * (1 + 1e-12) }
    /// An upper bound of |e^{-M} G''(s)|.
    var absD2Upper: Double { ((d2r * d2r + d2i * d2i).squareRoot() + errD2) * (1 + 1e-12) }
}

/// An `ExponentialSum` laid out for SIMD point evaluation with a rigorous a-priori error
/// bound (issue 16 item 5): G(s) = sum_k exp(c_k + b_k s) at one point s, vectorised over
/// the classes k eight at a time with `SoundExp.downUp` for the modulus and
/// `SoundSinCos.cosSin` for the phase.
///
/// Storage: for each class the Double midpoints cMid, bMid of the coefficient intervals
/// and radii cRad, bRad with |c_k - cMid_k| <= cRad_k, |b_k - bMid_k| <= bRad_k for the
/// exact coefficients c_k, b_k (those of `ExponentialSum`, which contain the true ones);
/// bAbs_k >= |b_k| (rounded up); B = maxFrequency >= max_k |b_k|.
///
/// Error rule (`evaluate`), u = 2^-53, eta = SoundSinCos.absoluteError, per class k:
/// - X = RN(RN(cMid - M) + RN(bMid x)) differs from the exact real part
///   xi = c_k - M + b_k x by at most dX = (cRad + bRad |x| + 2u(|a| + |p| + |X|)) (1 + 1e-9)
///   (three roundings, each at most u times its result; the sum of the bounds is itself
///   rounded, hence the factor); SoundExp.downUp(X) = [lo, hi] contains e^X, so
///   e^xi is in [lo', hi'] = [lo (1 - dX)(1 - 4u), hi (1 + 2 dX)(1 + 4u)] (e^-d >= 1 - d,
///   e^d <= 1 + 2d for 0 <= d <= 1; the 4u cover the two rounded products). dX must be
///   <= 1/2, else the point is invalid.
/// - mag = RN(0.5 (hi' + lo')) and |mag - e^xi| <= wid = (0.5 (hi' - lo') + 2u mag)(1 + 4u)
///   + 1e-300 (the last term covers subnormal roundings).
/// - Phi = RN(bMid y) differs from the exact phase phi = b_k y by at most
///   dPhi = (bRad |y| + u |Phi|)(1 + 1e-9); (c, s) = SoundSinCos(Phi) are each within eta
///   of cos Phi, sin Phi (|Phi| <= 2^20, else invalid), and |e^{i Phi} - e^{i phi}| <= dPhi.
/// - E^ = RN(mag c) + i RN(mag s) against E = e^xi e^{i phi}:
///   |E^ - E| <= 1.5u mag + wid (1 + 2 eta) + hi' (1.5 eta + dPhi) =: errE
///   (|c| + |s| <= 1.5, |c + i s| <= 1 + 2 eta); computed as
///   (hi' (1.5u + 1.5 eta + dPhi) + 1.01 wid)(1 + 1e-9).
/// - Derivative terms RN(bMid E^) against b_k E: <= B errE + hi' (bRad + 1.5u B);
///   second-derivative terms RN(bMid RN(bMid E^)) against b_k^2 E:
///   <= B^2 errE + hi' (bRad (2B + bRadMax) + 3.5u B^2) (|b^2 - bMid^2| <= bRad (2B + bRad)
///   with B >= |b|, |bMid|; two roundings of a term <= 1.5 B^2 hi'); so the kernel only
///   sums errE, hi' bRad and hi' over the classes.
/// - Sums over k in SIMD lanes and a horizontal reduction: n = ceil(K/8) + 8 additions
///   deep at most, so |fl(sum) - sum| <= gamma_n sum |terms| with gamma_n = n u (1 + 1e-9)
///   and sum |E^| <= 1.5 sum hi' (1 + u); the sums of non-negative bounds are multiplied by
///   slack = 1 + 2 gamma_n + 1e-12 >= 1/(1 - gamma_n) (they are computed in round-to-nearest).
///   errG = (sum errE + 1.5 gamma_n sum hi') slack, likewise errD with B sum hi' and errD2
///   with B^2 sum hi'; s2 = sum bAbs^2 hi' slack (1 + 3u), s3 = B s2 (1 + 1e-12) (>= sum
///   |b|^3 |E|); magnitude = sum hi' slack.
///
/// Edge Cases: terms that underflow contribute lo' = 0, mag and wid of ~ hi' (absolute
/// error, still sound); a scale M far from the largest exponent can overflow hi' to +inf:
/// then the value is invalid. Phases beyond 2^20 in magnitude: invalid (callers fall back
/// to the interval path).
///
/// Postconditions (valid points): |e^{-M} G(s) - g^| <= errG, |e^{-M} G'(s) - d^| <= errD,
/// e^{-M} sum |b_k|^2 |e^{c_k + b_k s}| <= s2, e^{-M} sum |e^{c_k + b_k s}| <= magnitude,
/// for the exact coefficients (so for the true G).
/// Complexity: O(K), about 2 passes over 5 arrays of K Doubles.
struct ExponentialSumPoints {
    let count: Int
    /// Arrays padded to a multiple of 8 (padding lanes are masked out).
    let cMid: [Double], cRad: [Double], bMid: [Double], bRad: [Double], bAbs: [Double]
    /// max_k |b_k| (upper bound, exact coefficients).
    let maxFrequency: Double
    /// max_k bRad_k.
    let bRadMax: Double

    init(_ g: ExponentialSum) {
        count = g.count
        let padded = (count + 7) / 8 * 8
        var cm = [Double](repeating: 0, count: padded), cr = cm, bm = cm, br = cm, ba = cm
        var bMax = 0.0
        for k in 0..<count {
            let c = g.offsets[k], b = g.frequencies[k]
            cm[k] = c.midpoint
            cr[k] = Swift.max(Double.subUp(c.upper, cm[k]), Double.subUp(cm[k], c.lower))
            bm[k] = b.midpoint
            br[k] = Swift.max(Double.subUp(b.upper, bm[k]), Double.subUp(bm[k], b.lower))
            ba[k] = Double.addUp(Swift.abs(bm[k]), br[k])
            bMax = Swift.max(bMax, ba[k])
        }
        // Padding lanes repeat class 0 (so they never change `scale`); `evaluate` gives
        // them weight 0.
        for k in count..<padded { cm[k] = cm[0]; bm[k] = bm[0] }
        cMid = cm; cRad = cr; bMid = bm; bRad = br; bAbs = ba
        maxFrequency = Swift.max(bMax, g.maxFrequency)
        bRadMax = br.max() ?? 0
    }

    /// A Double near max_k (cMid_k + bMid_k x): the scale M of `evaluate` (any finite value
    /// is sound; this one keeps the largest term near 1).
    func scale(at x: Double) -> Double {
        cMid.withUnsafeBufferPointer { cp in
            bMid.withUnsafeBufferPointer { bp in
                let chunks = cp.count / 8
                let xv = SIMD8<Double>(repeating: x)
                let c0 = UnsafeRawPointer(cp.baseAddress!), b0 = UnsafeRawPointer(bp.baseAddress!)
                var m = c0.loadUnaligned(as: SIMD8<Double>.self) + b0.loadUnaligned(as: SIMD8<Double>.self) * xv
                // max(a, b) ~ (a + b + |a - b|) / 2: any value is sound, this one is within
                // rounding of the maximum and vectorizes (padding lanes repeat class 0).
                for j in 1..<Swift.max(chunks, 1) {
                    let c = c0.loadUnaligned(fromByteOffset: j * 64, as: SIMD8<Double>.self)
                    let b = b0.loadUnaligned(fromByteOffset: j * 64, as: SIMD8<Double>.self)
                    let v = c + b * xv
                    m = (m + v + (m - v).magnitudeSIMD) * 0.5
                }
                var r = m[0]
                for l in 1..<8 { r = Swift.max(r, m[l]) }
                return r.isFinite ? r : 0
            }
        }
    }

    /// e^{-M} G, G' and their error bounds at s = x + iy (see the type's error rule), with
    /// M = `scale(at: x)` rounded down to a multiple of 16 (so neighbouring points usually
    /// share it; the largest term stays in [1, e^16)).
    func evaluate(_ x: Double, _ y: Double) -> PointValue {
        evaluate(x, y, scale: 16 * (scale(at: x) / 16).rounded(.down))
    }

    /// As `evaluate(_:_:)` with a given scale M.
    func evaluate(_ x: Double, _ y: Double, scale mScale: Double) -> PointValue {
        guard x.isFinite, y.isFinite, mScale.isFinite else {
            return PointValue(gr: .nan, gi: .nan, dr: .nan, di: .nan, errG: .infinity, errD: .infinity, s2: .infinity,
                              magnitude: .infinity, scale: mScale, valid: false)
        }
        let u = 0x1p-53
        let eta = SoundSinCos.absoluteError
        let chunks = cMid.count / 8
        var sr = SIMD8<Double>(), si = SIMD8<Double>(), dr = SIMD8<Double>(), di = SIMD8<Double>()
        var errG = SIMD8<Double>(), hbr = SIMD8<Double>(), s2 = SIMD8<Double>(), mag = SIMD8<Double>()
        var d2r = SIMD8<Double>(), d2i = SIMD8<Double>()
        var sumDX = SIMD8<Double>()
        let xv = SIMD8<Double>(repeating: x), yv = SIMD8<Double>(repeating: y)
        let ax = SIMD8<Double>(repeating: Swift.abs(x)), ay = SIMD8<Double>(repeating: Swift.abs(y))
        let mv = SIMD8<Double>(repeating: mScale)
        let two_u = SIMD8<Double>(repeating: 2 * u)
        let slack9 = SIMD8<Double>(repeating: 1 + 1e-9)
        let half = SIMD8<Double>(repeating: 0.5)
        let one = SIMD8<Double>(repeating: 1)
        let fourU = SIMD8<Double>(repeating: 4 * u)
        let coefE = SIMD8<Double>(repeating: 1.5 * u + 1.5 * eta)
        let lanesInLast = count % 8
        cMid.withUnsafeBufferPointer { cmP in cRad.withUnsafeBufferPointer { crP in
        bMid.withUnsafeBufferPointer { bmP in bRad.withUnsafeBufferPointer { brP in bAbs.withUnsafeBufferPointer { baP in
            let cm0 = UnsafeRawPointer(cmP.baseAddress!), cr0 = UnsafeRawPointer(crP.baseAddress!)
            let bm0 = UnsafeRawPointer(bmP.baseAddress!), br0 = UnsafeRawPointer(brP.baseAddress!)
            let ba0 = UnsafeRawPointer(baP.baseAddress!)
            for j in 0..<chunks {
                let o = j * 64
                let cm = cm0.loadUnaligned(fromByteOffset: o, as: SIMD8<Double>.self)
                let cr = cr0.loadUnaligned(fromByteOffset: o, as: SIMD8<Double>.self)
                let bm = bm0.loadUnaligned(fromByteOffset: o, as: SIMD8<Double>.self)
                let br = br0.loadUnaligned(fromByteOffset: o, as: SIMD8<Double>.self)
                let ba = ba0.loadUnaligned(fromByteOffset: o, as: SIMD8<Double>.self)
                // Real part and its error.
                let a = cm - mv
                let p = bm * xv
                let xr = a + p
                let dX = (cr + br * ax + two_u * (a.magnitudeSIMD + p.magnitudeSIMD + xr.magnitudeSIMD)) * slack9
                let (lo, hi) = SoundExp.downUp(xr)
                var hiP = hi * (one + dX + dX) * (one + fourU)
                var loP = lo * (one - dX) * (one - fourU)
                // Phase and its error.
                let phi = bm * yv
                let dPhi = (br * ay + SIMD8(repeating: u) * phi.magnitudeSIMD) * slack9
                var (c, s) = SoundSinCos.cosSin(phi)
                if j == chunks - 1 && lanesInLast != 0 {
                    // Padding lanes: no contribution (weights 0).
                    var keep = SIMD8<Double>(repeating: 1)
                    for l in lanesInLast..<8 { keep[l] = 0 }
                    hiP *= keep; loP *= keep; c *= keep; s *= keep
                }
                // Every dX <= 1/2 when their sum is; NaN lanes make the sums NaN, which
                // `valid` rejects.
                sumDX += dX
                let m = half * (hiP + loP)
                let wid = (half * (hiP - loP) + two_u * m) * (one + fourU) + SIMD8(repeating: 1e-300)
                let er = m * c, ei = m * s
                sr += er; si += ei
                let ber = bm * er, bei = bm * ei
                dr += ber; di += bei
                d2r += bm * ber; d2i += bm * bei
                let eE = (hiP * (coefE + dPhi) + SIMD8(repeating: 1.01) * wid) * slack9
                errG += eE
                hbr += hiP * br
                s2 += ba * ba * hiP
                mag += hiP
            }
        } } } } }
        let n = Double(chunks + 8)
        let gamma = n * u * (1 + 1e-9)
        let slack = 1 + 2 * gamma + 1e-12
        let magSum = mag.sum()
        let b = maxFrequency
        let sumE = errG.sum(), sumHBR = hbr.sum()
        let eG = (sumE + 1.5 * gamma * magSum) * slack
        // Per-term bounds with |b_k|, |bMid_k| <= B and |b_k - bMid_k| <= bRad_k:
        // sum_k (B errE_k + hi'_k (bRad_k + 1.5u B)) for G', and
        // sum_k (B^2 errE_k + hi'_k (bRad_k (2B + bRadMax) + 3.5u B^2)) for G''; plus the
        // summation errors 1.5 gamma B sum hi' and 1.5 gamma B^2 sum hi' (`dAbsBound`).
        let eD = (b * sumE + sumHBR + 1.5 * u * b * magSum + 1.5 * gamma * dAbsBound(magSum: magSum)) * slack
        let eD2 = (b * b * sumE + sumHBR * (2 * b + bRadMax) + 3.5 * u * b * b * magSum
                   + 1.5 * gamma * b * dAbsBound(magSum: magSum)) * slack
        var v = PointValue(gr: sr.sum(), gi: si.sum(), dr: dr.sum(), di: di.sum(), errG: eG,
                           errD: eD, s2: s2.sum() * slack * (1 + 3 * u), magnitude: magSum * slack, scale: mScale, valid: true)
        let finite = v.gr.isFinite && v.gi.isFinite && v.dr.isFinite && v.di.isFinite && v.errG.isFinite
            && v.errD.isFinite && v.s2.isFinite && v.magnitude.isFinite
        // sum |b|^3 |E| <= B sum |b|^2 |E|.
        v.d2r = d2r.sum(); v.d2i = d2i.sum(); v.errD2 = eD2; v.s3 = b * v.s2 * (1 + 1e-12)
        // |Phi| = |RN(bMid y)| <= B |y| (1 + u) for every class.
        let phaseOK = maxFrequency * Swift.abs(y) * (1 + 1e-15) <= SoundSinCos.maxArgument
        v.valid = sumDX.sum() <= 0.5 && phaseOK && finite && v.d2r.isFinite && v.d2i.isFinite && v.errD2.isFinite && v.s3.isFinite
        return v
    }

    /// An upper bound of sum_k |bMid_k| hi'_k from sum_k hi'_k: B times it (|bMid| <= B).
    @inline(__always)
    func dAbsBound(magSum: Double) -> Double { maxFrequency * magSum * (1 + 1e-12) }
}

extension SIMD8 where Scalar == Double {
    /// Lane-wise absolute value (exact).
    @inlinable @inline(__always)
    var magnitudeSIMD: SIMD8<Double> {
        unsafeBitCast(unsafeBitCast(self, to: SIMD8<UInt64>.self) & SIMD8<UInt64>(repeating: 0x7fff_ffff_ffff_ffff), to: SIMD8<Double>.self)
    }
}
