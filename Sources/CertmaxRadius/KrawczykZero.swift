import CertmaxNumerics
import Foundation

/// Krawczyk existence test for a zero of an `ExponentialSum` in a square around a guess.
///
/// Given a centre c (a floating-point approximation of a zero), a half-width r and
/// Y ≈ 1/G'(c), with B = c + [-r, r] + i[-r, r]:
///     K(B) = c - Y G(c) + (1 - Y G'(B)) (B - c),
/// all in rectangular complex interval arithmetic. If K(B) ⊆ B then G has a zero in K(B).
///
/// Proof: g(s) = s - Y G(s) is continuous. For s in B, G(s) = G(c) + (s - c) M(s) with
/// M(s) = ∫_0^1 G'(c + u(s - c)) du in the convex rectangle G'(B) (B is convex), so
/// g(s) = c - Y G(c) + (s - c)(1 - Y M(s)) ∈ K(B). Hence g maps B into K(B) ⊆ B and by
/// Brouwer's theorem has a fixed point s* ∈ K(B), i.e. Y G(s*) = 0, and Y != 0.
/// The rectangles contain G(c) and G'(B) for the true (interval) coefficients, so the
/// conclusion holds for the true G.
///
/// Returns K(B) when the test succeeds, nil otherwise.
func krawczykZeroBox(_ g: ExponentialSum, centerRe x: Double, centerIm y: Double, halfWidth r: Double) -> ComplexInterval? {
    guard x.isFinite, y.isFinite, r > 0, r.isFinite else { return nil }
    let c = ComplexInterval(x, y)
    let b = ComplexInterval(re: Interval(uncheckedLower: Double.subDown(x, r), upper: Double.addUp(x, r)),
                            im: Interval(uncheckedLower: Double.subDown(y, r), upper: Double.addUp(y, r)))
    // One scale M for both evaluations: the test is then run on e^{-M} G (same zeros).
    let m = g.scale(for: b)
    let atC = g.evaluate(c, derivative: true, scale: m)
    let (dr, di) = atC.derivative.center
    let den = dr * dr + di * di
    guard den.isFinite, den > 0 else { return nil }
    let yr = dr / den, yi = -di / den
    guard yr.isFinite, yi.isFinite, yr != 0 || yi != 0 else { return nil }
    let yc = ComplexInterval(yr, yi)
    let slope = g.evaluate(b, derivative: true, scale: m).derivative
    let k = c - yc * atC.value + (ComplexInterval(1, 0) - yc * slope) * (b - c)
    guard b.re.contains(k.re), b.im.contains(k.im), !k.re.isEmpty, !k.im.isEmpty else { return nil }
    return k
}

/// Plain floating-point Newton iteration for a zero of G from (x, y); nil if it does not
/// converge. No guarantee: the result is only a guess for `krawczykZeroBox`.
func newtonZeroGuess(_ g: ExponentialSum, _ x0: Double, _ y0: Double, maxIterations: Int = 60) -> (Double, Double)? {
    var x = x0, y = y0
    var lastStep = Double.infinity
    for _ in 0..<maxIterations {
        let v = g.pointValue(x, y)
        let den = v.dr * v.dr + v.di * v.di
        guard den > 0, den.isFinite else { return nil }
        // step = G / G'
        let sr = (v.fr * v.dr + v.fi * v.di) / den
        let si = (v.fi * v.dr - v.fr * v.di) / den
        x -= sr; y -= si
        guard x.isFinite, y.isFinite else { return nil }
        let scale = Swift.max(1e-300, (x * x + y * y).squareRoot())
        lastStep = (sr * sr + si * si).squareRoot() / scale
        if lastStep <= 1e-15 { return (x, y) }
    }
    return lastStep <= 1e-11 ? (x, y) : nil
}
