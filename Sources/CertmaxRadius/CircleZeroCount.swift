import CertmaxNumerics
import Foundation

/// Certified zero counting of an `ExponentialSum` in a disk, by the argument principle.
///
/// Method: the circle |s| = R is split into arcs (uniformly at first, then adaptively).
/// For each arc, a rectangle W enclosing G over the whole closed arc is computed (the
/// intersection of the naive interval evaluation and the mean-value form over a rectangle
/// that encloses the arc). If W excludes 0, W lies in one of the four open half planes
/// Re > 0, Re < 0, Im > 0, Im < 0 (a rectangle avoiding 0 must avoid it in one
/// coordinate). Along the arc G then stays in that half plane, so after rotating the half
/// plane onto Re > 0 the continuous argument along the arc is the principal argument
/// (in (-pi/2, pi/2)), and the increment over the arc is phi(end) - phi(start) with no
/// branch ambiguity. Otherwise the arc is bisected.
///
/// The endpoint values are enclosed by thin rectangles P; phi is computed with `atan2` at
/// the centre c of P, and |arg w - arg c| <= asin(rho/|c|) <= (pi/2) rho/|c| for any w in P
/// (rho = width_re + width_im >= the diagonal >= |w - c|, required <= |c|/100); atan2 is charged
/// 1e-15 (glibc documents < 1 ulp). The sum S of the increments then satisfies
/// |S - 2 pi n| <= E, with E the sum of these bounds plus the floating-point summation
/// error ((N - 1) u sum |increments|, u = 2^-53, doubled). G is nonzero on the whole
/// circle (every W excludes 0), so by the argument principle the exact sum is 2 pi n with
/// n the number of zeros in the open disk |s| < R, and n = round(S / 2 pi) is certified
/// when E + |S - 2 pi round(S / 2 pi)| < pi.
///
/// Scaling: every evaluation is of e^{-M} G for a Double M near the largest real exponent
/// (`ExponentialSum.scale(for:)`), so nothing overflows; a positive factor changes no
/// argument and no half-plane membership, so the counting argument is unchanged (the
/// naive and mean-value enclosures of one arc share the same M, so they can be intersected).
///
/// Arc parameterization: angles are Doubles 0 = t_0 < t_1 < ... < t_{N-1} < 2 pi; the
/// last arc is enclosed with the angle interval [t_{N-1}, up(2 pi)] and its end value is
/// the value at angle 0 (the same point of the circle), so the arcs cover the circle
/// exactly.
struct CircleZeroCounter {
    let g: ExponentialSum
    /// Arc evaluations spent so far (each costs about 3K complex exponentials).
    var arcEvaluations = 0
    /// Global cap on `arcEvaluations`.
    let maxArcEvaluations: Int
    /// Progress and deadline of the whole run: counts fail (nil) once it has expired.
    let monitor: RadiusRunMonitor?

    init(_ g: ExponentialSum, maxArcEvaluations: Int, monitor: RadiusRunMonitor? = nil) {
        self.g = g
        self.maxArcEvaluations = maxArcEvaluations
        self.monitor = monitor
    }

    static let twoPiUp = Double.mulUp(2, .pi).nextUp  // 2 * Double.pi < 2 pi < this

    /// A rectangle enclosing { R e^{i t} : t in [lo, hi] }.
    func arcBox(_ r: Double, _ lo: Double, _ hi: Double) -> ComplexInterval {
        let (c, s) = Interval(uncheckedLower: lo, upper: hi)._cosSin()
        return ComplexInterval(re: c * r, im: s * r)
    }

    enum HalfPlane { case rePos, reNeg, imPos, imNeg }

    static func halfPlane(_ w: ComplexInterval) -> HalfPlane? {
        if w.re.isEmpty || w.im.isEmpty { return nil }
        if w.re.lower > 0 { return .rePos }
        if w.re.upper < 0 { return .reNeg }
        if w.im.lower > 0 { return .imPos }
        if w.im.upper < 0 { return .imNeg }
        return nil
    }

    /// The argument of the centre of `p` in the frame of `hp`, and a bound of the error
    /// against the argument of any point of `p` (nil if `p` is too wide for the bound).
    static func phase(_ p: ComplexInterval, _ hp: HalfPlane) -> (phi: Double, err: Double)? {
        guard p.re.isBounded, p.im.isBounded else { return nil }
        let (x, y) = p.center
        let (u, v): (Double, Double)
        switch hp {
        case .rePos: (u, v) = (x, y)
        case .reNeg: (u, v) = (-x, -y)
        case .imPos: (u, v) = (y, -x)
        case .imNeg: (u, v) = (-y, x)
        }
        // The centre lies in p, so any w in p is within the diagonal <= width_re + width_im.
        let rho = Double.addUp(p.re.width, p.im.width)
        let absC = Double.sqrtDown(Double.addDown(Double.mulDown(x, x), Double.mulDown(y, y)))
        guard absC > 0, rho.isFinite, rho <= absC * 0.01 else { return nil }
        let err = Double.addUp(Double.mulUp(1.5707963267948968, Double.divUp(rho, absC)), 1e-15)
        return (Foundation.atan2(v, u), err)
    }

    /// The number of zeros of G in the open disk |s| < r (and a certificate that none lies
    /// on the circle), or nil when the count could not be certified (a zero too close to
    /// the circle for the smallest allowed arcs, or the evaluation budget ran out).
    mutating func count(radius r: Double) -> Int? {
        guard r > 0, r.isFinite else { return nil }
        let startBox = arcBox(r, 0, 0)
        let p0 = g.evaluate(startBox, derivative: false, scale: g.scale(for: startBox)).value
        let n0 = Int(Swift.min(Swift.max((8 * r * g.maxFrequency).rounded(.up), 16), 16384))
        let step = 2 * Double.pi / Double(n0)
        var stack: [(Double, Double, Bool)] = []
        stack.reserveCapacity(n0 + 64)
        for j in stride(from: n0 - 1, through: 0, by: -1) {
            stack.append((Double(j) * step, j == n0 - 1 ? 2 * Double.pi : Double(j + 1) * step, j == n0 - 1))
        }
        var startVal = p0
        var sum = 0.0, sumAbs = 0.0, err = 0.0, terms = 0
        while let (lo, hi, last) = stack.popLast() {
            if arcEvaluations >= maxArcEvaluations { return nil }
            if let monitor {
                if monitor.expired { return nil }
                monitor.arcEvaluated()
            }
            arcEvaluations += 1
            let box = arcBox(r, lo, last ? Self.twoPiUp : hi)
            // One positive scale e^{-M} per arc (arguments and zero exclusion are unchanged).
            let m = g.scale(for: box)
            let naive = g.evaluate(box, derivative: false, scale: m).value
            var w = naive
            if Self.halfPlane(naive) == nil {
                let mv = g.meanValueEnclosure(box, scale: m)
                w = ComplexInterval(re: naive.re.intersection(mv.re), im: naive.im.intersection(mv.im))
            }
            if let hp = Self.halfPlane(w) {
                let endBox = arcBox(r, hi, hi)
                let endVal = last ? p0 : g.evaluate(endBox, derivative: false, scale: g.scale(for: endBox)).value
                if let a = Self.phase(startVal, hp), let b = Self.phase(endVal, hp) {
                    let d = b.phi - a.phi
                    sum += d
                    sumAbs += Swift.abs(d)
                    err = Double.addUp(err, Double.addUp(a.err, b.err))
                    terms += 1
                    startVal = endVal
                    continue
                }
            }
            let mid = lo + 0.5 * (hi - lo)
            if !(mid > lo && mid < hi) || (hi - lo) < 1e-13 { return nil }
            stack.append((mid, hi, last))
            stack.append((lo, mid, false))
        }
        let turns = (sum / (2 * Double.pi)).rounded()
        let summation = Double(terms) * sumAbs * 2.3e-16 + Double(terms) * 1e-15
        let miss = Swift.abs(sum - turns * 2 * Double.pi)
        guard err + summation + miss < 3.0, turns >= 0 else { return nil }  // 3 < pi
        return Int(turns)
    }
}
