import CertmaxNumerics
import Foundation

/// Krawczyk existence test on a disk from one point evaluation (issue 16 item 5; the
/// rectangular interval form is `krawczykZeroBox`).
///
/// Given a centre c, the value `v` = `ExponentialSumPoints.evaluate` at c (g ~ e^{-M} G(c),
/// d ~ e^{-M} G'(c) with error bounds errG, errD, and the bound G2(rho) of |e^{-M} G''| on
/// the disk |s - c| <= rho, `NodeZeroCounter.secondDerivativeBound`), Y = 1/d (any nonzero
/// complex number is allowed) and the disk B = {|s - c| <= rho}:
///     h(s) = s - Y e^{-M} G(s) = c - Y e^{-M} G(c) + (s - c)(1 - Y m(s)),
///     m(s) = int_0^1 e^{-M} G'(c + t (s - c)) dt,  |m(s) - e^{-M} G'(c)| <= (rho / 2) G2(rho),
/// so |h(s) - c'| <= R = |Y| errG + rho (|1 - Y d| + |Y| errD + |Y| (rho / 2) G2(rho)) with
/// c' = c - Y g. If |c' - c| + R <= rho, h maps the convex compact B into the disk
/// D = {|s - c'| <= R} ⊆ B, so by Brouwer's theorem h has a fixed point s* in D, where
/// Y G(s*) = 0, i.e. G(s*) = 0.
///
/// Error rule: c' is computed in floating point; |c'^ - c'| <= 4u (|c| + |Y g|) + 1e-300
/// (one complex product and a subtraction, u = 2^-53, Y and g themselves exact Doubles), so
/// D ⊆ {|s - c'^| <= R'} with R' = (R + 4u (|c| + |Y g|)) (1 + 1e-12) + 1e-300, and the
/// test is run with R' (and |c'^ - c| rounded up). |1 - Y d| is computed and charged
/// 1e-15 more for its rounding; every bound is rounded up with slack 1e-12.
///
/// Edge Cases: d = 0, an invalid evaluation or non-finite quantities: nil. rho is chosen
/// as 4 (|c'^ - c| + |Y| errG), then 16 and 256 times that, until the test passes.
///
/// Postconditions: when it returns (centre, radius), a zero of the true G lies in the
/// closed disk of that centre and radius; the modulus of that zero is in
/// [|centre| - radius, |centre| + radius].
func pointKrawczykZero(_ counter: NodeZeroCounter, at c: (Double, Double), value v: PointValue)
    -> (center: (Double, Double), radius: Double)? {
    let u = 0x1p-53
    guard v.valid else { return nil }
    let den = v.dr * v.dr + v.di * v.di
    guard den > 0, den.isFinite else { return nil }
    let yr = v.dr / den, yi = -v.di / den
    guard yr.isFinite, yi.isFinite, yr != 0 || yi != 0 else { return nil }
    let absY = (yr * yr + yi * yi).squareRoot() * (1 + 1e-12)
    // Y g and c' = c - Y g.
    let ygr = yr * v.gr - yi * v.gi, ygi = yr * v.gi + yi * v.gr
    let cr = c.0 - ygr, ci = c.1 - ygi
    let absC = (c.0 * c.0 + c.1 * c.1).squareRoot(), absYg = (ygr * ygr + ygi * ygi).squareRoot()
    let centreErr = Double.addUp(Double.mulUp(4 * u, Double.addUp(absC, absYg)), 1e-300) * (1 + 1e-12)
    // |1 - Y d| (computed) + rounding.
    let er = 1 - (yr * v.dr - yi * v.di), ei = -(yr * v.di + yi * v.dr)
    let oneMinusYD = Double.addUp((er * er + ei * ei).squareRoot() * (1 + 1e-12), 1e-15)
    let shift = Double.addUp((ygr * ygr + ygi * ygi).squareRoot() * (1 + 1e-12), centreErr)  // >= |c'^ - c|
    let base = Double.addUp(shift, Double.mulUp(absY, v.errG))
    guard base.isFinite else { return nil }
    for factor in [4.0, 16, 256] {
        let rho = Double.mulUp(base, factor)
        guard rho > 0, rho.isFinite else { return nil }
        let bl = Double.mulUp(counter.g.maxFrequency, rho)
        guard bl < 700 else { return nil }
        let g2 = counter.secondDerivativeBound(v, length: rho, growth: Double.expUp(bl))
        let inner = Double.addUp(Double.addUp(oneMinusYD, Double.mulUp(absY, v.errD)),
                                 Double.mulUp(absY, Double.mulUp(Double.mulUp(0.5, rho), g2)))
        let r = Double.addUp(Double.mulUp(absY, v.errG), Double.mulUp(rho, inner))
        let rPrime = Double.addUp(Double.addUp(r, centreErr) * (1 + 1e-12), 1e-300)
        guard rPrime.isFinite else { return nil }
        if Double.addUp(shift, rPrime) <= rho {
            return ((cr, ci), rPrime)
        }
    }
    return nil
}
