import CertmaxNumerics
import Foundation

/// Certified zero counting of an `ExponentialSum` in a disk from point evaluations only
/// (issue 16 item 5; the interval-arc counter is `CircleZeroCounter`).
///
/// Method. Angles 0 = t_0 < t_1 < ... < t_{N-1} < t_N = 2 pi split the circle |s| = R
/// into arcs A_j = { R e^{it} : t in [t_j, t_{j+1}] }. At each node the point
/// q_j = (RN(R cos^ t_j), RN(R sin^ t_j)) (cos^, sin^ from `SoundSinCos`, so
/// |q_j - R e^{i t_j}| <= delta = 1e-14 R: sqrt(2) eta R + sqrt(2) u R < 6.5e-15 R; q_0 = q_N
/// = (R, 0) exactly) is evaluated by `ExponentialSumPoints.evaluate`: g_j ~ e^{-M_j} G(q_j)
/// with |e^{-M_j} G(q_j) - g_j| <= errG_j, likewise G', and s2_j bounding
/// e^{-M_j} sum |b_k|^2 |e^{c_k + b_k q_j}|.
///
/// Arc test. Let L_j >= R (t_{j+1} - t_j) + 2 delta (rounded up; the last arc uses
/// RU(2 pi) as t_N). Every point of A_j, and both nodes q_j, q_{j+1}, lie within L_j of the
/// anchor q_a (a = j or j + 1). For |w - q_a| <= L_j, Taylor's theorem with
/// |G''(w)| <= e^{B |w - q_a|} sum |b_k|^2 |e^{c_k + b_k q_a}| gives
///     |G(w) - G(q_a)| <= D_a = (|g'_a| + errD_a) L_j + (L_j^2 / 2) e^{B L_j} s2_a
/// (all scaled by e^{-M_a}; B = max |b_k|), with e^{B L_j} s2_a replaced by the smaller
/// G2 = |g''_a| + errD2_a + L_j e^{B L_j} s3_a when it is (|G''(w)| <= |G''(q_a)| +
/// |w - q_a| max |G'''|, |G'''| <= e^{B L} s3_a likewise). If D_a < |g_a| - errG_a, the disk
/// {|w - G(q_a)| <= D_a} excludes 0, so G has no zero on A_j and every value on A_j, and
/// G(q_j), G(q_{j+1}), lies within angle asin(D_a / |G(q_a)|) < pi/2 of G(q_a).
///
/// Chord test (second order, used when both nodes share the scale M). With
/// f(t) = G(R e^{it}), f'' = -(R e^{it})^2 G'' - R e^{it} G', so on A_j
/// |f''| <= M2 = R^2 G2_a + R (|g'_a| + errD_a + G2_a L) (anchor a as above, G2_a the
/// smaller of the two bounds of |G''| on the disk),
/// and each of Re f, Im f differs from its linear interpolation between t_j and t_{j+1} by
/// at most (h^2 / 8) M2, h = t_{j+1} - t_j (rounded up). The endpoint values differ from
/// the computed g_j, g_{j+1} by at most ep = errG + delta (|g'| + errD + 2 delta s2) (the
/// node is within delta of the circle point). So G(A_j), and G(q_j), G(q_{j+1}), lie in the
/// convex set segment[g_j, g_{j+1}] + disk(rho), rho = sqrt(2) (h^2/8) M2 + max(ep_j, ep_{j+1}).
/// If the distance from 0 to the segment (computed, minus 1e-14 (|g_j| + |g_{j+1}|) for its
/// rounding) exceeds rho, that set excludes 0 and lies in an open half plane through 0;
/// all four points are then within an angle < pi of each other.
///
/// Winding. Along A_j the continuous change of arg G is
///     Arg(G(p_{j+1}) / G(q_{j+1})) + Delta_j - Arg(G(p_j) / G(q_j)),
/// p_j = R e^{i t_j}, Delta_j = Arg(G(q_{j+1}) / G(q_j)) (principal values: all four points
/// lie in one open half plane through 0 (disk test: within pi/2 of G(q_a)), so each
/// difference lies in (-pi, pi) and equals the principal value). The corrections telescope
/// around the circle, so the winding number times 2 pi is exactly sum_j Delta_j. The
/// computed Delta^_j is atan2(g_{j+1}) - atan2(g_j) wrapped into (-pi, pi]; with phase
/// errors e_j = (pi/2) errG_j / |g_j| + 1e-15 (|arg w - arg g| <= asin(|w - g| / |g|);
/// atan2 charged 1e-15 as in CircleZeroCounter) required <= 1/4 each, and 2e-15 for the
/// wrap, an arc is accepted only when |Delta^_j| <= 2.5: then Delta^_j - (its error) lies
/// in (-pi, pi) as Delta_j does, and both are congruent mod 2 pi, so
/// |Delta^_j - Delta_j| <= e_j + e_{j+1} + 2e-15.
/// With S = sum Delta^_j (floating-point sum error <= N u sum |Delta^_j| doubled + N 1e-15),
/// |S - 2 pi n| <= E (the sum of the errors), and n = round(S / 2 pi) is certified when
/// E + |S - 2 pi round(S / 2 pi)| < 3 < pi. By the argument principle n is the number of
/// zeros of G (with multiplicity) in the open disk |s| < R, and none lies on the circle.
///
/// Refinement: an arc that fails the disk test at both anchors and the chord test (or
/// whose |Delta^_j| exceeds 2.5) is bisected (one new node). Counts
/// fail (nil) when an arc shrinks below 1e-13 rad, a node's phase error exceeds 1/2, a
/// point is outside the evaluation's error rule (`PointValue.valid`), the budget runs out
/// or the monitor expired.
///
/// Complexity: one `ExponentialSumPoints.evaluate` (O(K)) per node.
struct NodeZeroCounter {
    let g: ExponentialSumPoints
    /// Node evaluations spent so far (each K point exponentials with error bounds).
    var evaluations = 0
    let maxEvaluations: Int
    let monitor: RadiusRunMonitor?
    /// The nodes of the last count (angle, point, value), for the zero search.
    var lastNodes: [(t: Double, x: Double, y: Double, v: PointValue)] = []

    init(_ g: ExponentialSumPoints, maxEvaluations: Int, monitor: RadiusRunMonitor? = nil) {
        self.g = g
        self.maxEvaluations = maxEvaluations
        self.monitor = monitor
    }

    static let twoPiUp = Double.mulUp(2, .pi).nextUp  // 2 * Double.pi < 2 pi < this

    /// The node q(t) = (RN(R cos^ t), RN(R sin^ t)) (see the type comment; t in [0, 2 pi]).
    static func node(_ r: Double, _ t: Double) -> (Double, Double) {
        if t == 0 { return (r, 0) }
        let (c, s) = SoundSinCos.cosSin(t)
        return (r * c, r * s)
    }

    mutating func evaluate(_ x: Double, _ y: Double) -> PointValue? {
        if evaluations >= maxEvaluations { return nil }
        if let monitor {
            if monitor.expired { return nil }
            monitor.arcEvaluated()
        }
        evaluations += 1
        let v = g.evaluate(x, y)
        return v.valid ? v : nil
    }

    /// The phase of a node value and its error bound (nil if the bound exceeds 1/2).
    static func phase(_ v: PointValue) -> (phi: Double, err: Double)? {
        let a = v.absG
        guard a > 0, a.isFinite, v.errG < a else { return nil }
        let err = Double.addUp(Double.mulUp(1.5707963267948968, Double.divUp(v.errG, a * (1 - 1e-15))), 1e-15)
        guard err <= 0.25 else { return nil }
        return (Foundation.atan2(v.gi, v.gr), err)
    }

    /// x wrapped into (-pi, pi] (for x in (-2 pi, 2 pi)).
    static func wrapped(_ x: Double) -> Double {
        if x > Double.pi { return x - 2 * Double.pi }
        if x < -Double.pi { return x + 2 * Double.pi }
        return x
    }

    /// Whether the disk test of an arc of length bound `len` passes at anchor value `v`.
    func arcPasses(_ v: PointValue, length len: Double) -> Bool {
        let bl = Double.mulUp(g.maxFrequency, len)
        guard bl < 700 else { return false }
        let growth = Double.expUp(bl)
        let g2 = secondDerivativeBound(v, length: len, growth: growth)
        let d = Double.addUp(Double.mulUp(v.absDUpper, len), Double.mulUp(Double.mulUp(0.5, Double.mulUp(len, len)), g2))
        return d * (1 + 1e-12) < v.absGLower
    }

    /// An upper bound of |e^{-M} G''(w)| for |w - q| <= len (q the point of `v`;
    /// growth >= e^{B len}): the smaller of e^{B len} s2 and |g''| + errD2 + len e^{B len} s3.
    func secondDerivativeBound(_ v: PointValue, length len: Double, growth: Double) -> Double {
        Swift.min(Double.mulUp(growth, v.s2), Double.addUp(v.absD2Upper, Double.mulUp(len, Double.mulUp(growth, v.s3))))
    }

    /// Whether the chord test of an arc passes (values `l`, `r` at its ends, the same
    /// scale; `h` >= its angular length, `len` >= its length + 2 delta, radius `rad`).
    func chordPasses(_ l: PointValue, _ r: PointValue, angle h: Double, length len: Double, radius rad: Double, delta: Double) -> Bool {
        guard l.scale == r.scale else { return false }
        let bl = Double.mulUp(g.maxFrequency, len)
        guard bl < 700 else { return false }
        let growth = Double.expUp(bl)
        func m2(_ v: PointValue) -> Double {
            let g2 = secondDerivativeBound(v, length: len, growth: growth)
            let g1 = Double.addUp(v.absDUpper, Double.mulUp(g2, len))
            return Double.addUp(Double.mulUp(Double.mulUp(rad, rad), g2), Double.mulUp(rad, g1))
        }
        let m2min = Swift.min(m2(l), m2(r))
        func ep(_ v: PointValue) -> Double {
            Double.addUp(v.errG, Double.mulUp(delta, Double.addUp(v.absDUpper, Double.mulUp(2 * delta, v.s2))))
        }
        // sqrt(2)/8 < 0.17678 (rounded up).
        let rho = Double.addUp(Double.mulUp(Double.mulUp(0.17678, Double.mulUp(h, h)), m2min), Swift.max(ep(l), ep(r)))
        // Distance from 0 to the segment [g_l, g_r].
        let vx = r.gr - l.gr, vy = r.gi - l.gi
        let vv = vx * vx + vy * vy
        var tau = vv > 0 ? -(l.gr * vx + l.gi * vy) / vv : 0
        tau = Swift.min(Swift.max(tau, 0), 1)
        let px = l.gr + tau * vx, py = l.gi + tau * vy
        let dist = (px * px + py * py).squareRoot() - 1e-14 * (l.absG + r.absG)
        return dist.isFinite && dist > rho * (1 + 1e-12)
    }

    /// The number of zeros of G in the open disk |s| < r with a certificate that none lies
    /// on the circle, or nil (see the type comment).
    mutating func count(radius r: Double, initialArcs: Int? = nil) -> Int? {
        lastNodes.removeAll(keepingCapacity: true)
        guard r > 0, r.isFinite else { return nil }
        let delta = Double.mulUp(r, 1e-14)
        let n0 = initialArcs ?? Int(Swift.min(Swift.max((2 * r * g.maxFrequency).rounded(.up), 8), 16384))
        let step = 2 * Double.pi / Double(n0)
        guard let v0 = evaluate(r, 0) else { return nil }
        lastNodes.append((0, r, 0, v0))
        // Pending right ends (angle, value or nil = not evaluated yet), nearest on top.
        var stack: [(t: Double, v: PointValue?)] = [(2 * Double.pi, v0)]
        stack.reserveCapacity(n0 + 64)
        for j in stride(from: n0 - 1, through: 1, by: -1) { stack.append((Double(j) * step, nil)) }
        var left = (t: 0.0, v: v0)
        guard var leftPhase = Self.phase(v0) else { return nil }
        var sum = 0.0, sumAbs = 0.0, err = 0.0, terms = 0
        while let top = stack.last {
            let isEnd = stack.count == 1
            let rv: PointValue
            if let v = top.v {
                rv = v
            } else {
                let (x, y) = Self.node(r, top.t)
                guard let v = evaluate(x, y) else { return nil }
                rv = v
                stack[stack.count - 1].v = v
                lastNodes.append((top.t, x, y, v))
            }
            let tHi = isEnd ? Self.twoPiUp : top.t
            let len = Double.addUp(Double.mulUp(r, Double.subUp(tHi, left.t)), 2 * delta)
            let h = Double.subUp(tHi, left.t)
            // A node whose phase is not known to 1/4 cannot be passed by any refinement.
            guard let b = Self.phase(rv) else { return nil }
            let d = Self.wrapped(b.phi - leftPhase.phi)
            if Swift.abs(d) <= 2.5,
               arcPasses(left.v, length: len) || arcPasses(rv, length: len)
                || chordPasses(left.v, rv, angle: h, length: len, radius: r, delta: delta) {
                sum += d
                sumAbs += Swift.abs(d)
                err = Double.addUp(err, Double.addUp(Double.addUp(leftPhase.err, b.err), 2e-15))
                terms += 1
                left = (top.t, rv)
                leftPhase = b
                stack.removeLast()
                continue
            }
            let mid = left.t + 0.5 * (top.t - left.t)
            if !(mid > left.t && mid < top.t) || (top.t - left.t) < 1e-13 { return nil }
            stack.append((mid, nil))
        }
        let turns = (sum / (2 * Double.pi)).rounded()
        let summation = Double(terms) * sumAbs * 2.3e-16 + Double(terms) * 1e-15
        let miss = Swift.abs(sum - turns * 2 * Double.pi)
        guard err + summation + miss < 3.0, turns >= 0 else { return nil }
        return Int(turns)
    }
}
