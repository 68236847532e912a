import CertmaxNumerics
import Foundation

/// The point-evaluation stage of the exact radius (issue 16 item 5), in s-units (s = tau/T).
///
/// Every zero count is `NodeZeroCounter`'s (certified by the error rule of
/// `ExponentialSumPoints`); a count 0 at r proves no zero in |s| <= r (lower := r, and its
/// nodes become the "inner" circle), a positive count a zero in |s| < r (upper := r, the
/// "outer" circle). Starting from the certified zero-free radius `lower` (the refined
/// bound), rounds of:
/// 1. Locate (only when a circle's nodes are new): Newton's method (floating point, no
///    guarantee) started from the nodes in the upper half plane with the smallest |G|
///    relative to sum |terms|, inner circle first (the nearest zero is the zero closest
///    to it), then outer; iterates leaving |s| in (lower/2, 2 upper) (3 lower while there
///    is no upper bound) are abandoned; the
///    first point converging to a zero with modulus in the bracket that was not tried
///    before is kept.
/// 2. Prove: for K <= 64 the rectangular interval Krawczyk test `krawczykZeroBox` around
///    the point polished by `newtonZeroGuess` (the test and box sizes of the interval-arc
///    algorithm, so both give the same upper ends); for K > 64 the disk Krawczyk test
///    `pointKrawczykZero` from one SIMD point evaluation (two interval evaluations cost as
///    much as ~60 point evaluations there). Either proves a zero s* in a set S:
///    upper := min(upper, sup |S|).
/// 3. Confirm it is the nearest: if S lies strictly in one half plane (Im > 0 or Im < 0),
///    count at R2 = sup|S| (1 + f), f = 1e-2 (or half the relative gap to a proved zero
///    just beyond, if smaller; then 10 and 100 times smaller; a count above 2 also gives
///    the next round new nodes to start from). G has real
///    coefficients, so conj(s*) is a zero too, distinct from s* (S avoids the real axis),
///    and both lie in |s| < R2. A count of exactly 2 means they are all the zeros in the
///    disk, so every zero has modulus >= inf |S|: lower := max(lower, inf |S|); done.
/// 4. Otherwise count at the next radius: 1.25 lower, then 1.5 times the last zero-free
///    radius while there is no upper bound; then the middle of [lower, upper].
/// At most 16 rounds, a quarter of the evaluation budget, and no count above 32 zeros
/// (dense zeros, e.g. huge logit gaps, where the Newton starts rarely reach the nearest
/// zero). If that does not conclude, the bounds found so far are returned
/// (`certified` false) and the caller continues with the interval-arc bisection from them.
///
/// Soundness: `lower` only moves on a certified count 0 or on step 3; `upper` on a
/// positive count or a Krawczyk proof; the Newton search only chooses where to look.
///
/// Returns the certified bounds (upper = +inf if none), the proved zero's approximate
/// location, the evaluations spent (node evaluations + Newton steps + 2 per interval
/// Krawczyk test), and whether the relative width target was met.
/// Debugging aid: with CERTMAX_RADIUS_TRACE set in the environment, the point-evaluation
/// stage prints its counts, Newton runs and proofs to stdout (read once per process).
let pointEvaluationTrace = ProcessInfo.processInfo.environment["CERTMAX_RADIUS_TRACE"] != nil

func pointEvaluationExactRadius(_ g: ExponentialSum, lower lo0: Double, target: Double, options: ExactRadiusOptions)
    -> (lower: Double, upper: Double, zero: (Double, Double)?, evaluations: Int, certified: Bool) {
    typealias Node = (t: Double, x: Double, y: Double, v: PointValue)
    let points = ExponentialSumPoints(g)
    // A quarter of the budget: the interval-arc algorithm continues with the rest.
    var counter = NodeZeroCounter(points, maxEvaluations: Swift.max(options.maxArcEvaluations / 4, 1), monitor: options.monitor)
    let trace = pointEvaluationTrace
    func note(_ m: @autoclosure () -> String) { if trace { print("[fast] \(m()) (evals \(counter.evaluations))") } }
    var lo = lo0, hi = Double.infinity
    var zero: (Double, Double)?
    var extra = 0
    var inner: [Node] = [], outer: [Node] = []
    var fresh = false  // nodes not yet used by `locate`
    var tried: [Double] = []  // moduli of zeros already proved (and not confirmed nearest)
    func done(_ ok: Bool) -> (lower: Double, upper: Double, zero: (Double, Double)?, evaluations: Int, certified: Bool) {
        (lo, hi, zero, counter.evaluations + extra, ok && hi.isFinite && (hi - lo) <= target * lo)
    }
    func outOfBudget() -> Bool { counter.evaluations >= counter.maxEvaluations || (options.monitor?.expired ?? false) }
    /// One count at r, recorded; the count.
    func count(_ r: Double) -> Int? {
        let n = counter.count(radius: r)
        note("count r=\(r) in [\(lo), \(hi)] -> \(String(describing: n))")
        if n == 0, r > lo { lo = r; inner = counter.lastNodes; fresh = true }
        if let n, n > 0, r < hi { hi = r; outer = counter.lastNodes; fresh = true }
        return n
    }

    /// 1. Newton from the best nodes of the inner, then the outer circle.
    func locate() -> (x: Double, y: Double, v: PointValue)? {
        func starts(_ nodes: [Node], _ count: Int) -> [Node] {
            let upper = nodes.filter { $0.y >= 0 && $0.v.magnitude > 0 }
            return Array(upper.sorted { $0.v.absG / $0.v.magnitude < $1.v.absG / $1.v.magnitude }.prefix(count))
        }
        // Without an upper bound, zeros beyond 3 lower are left to the next bracket count.
        let reach = hi.isFinite ? 2 * hi : 3 * lo
        for start in starts(inner, 3) + starts(outer, 2) {
            var x = start.x, y = start.y
            var converged = false
            var last: PointValue?
            for _ in 0..<30 {
                guard let v = counter.evaluate(x, y) else { break }
                last = v
                let den = v.dr * v.dr + v.di * v.di
                guard den > 0, den.isFinite else { break }
                let sr = (v.gr * v.dr + v.gi * v.di) / den
                let si = (v.gi * v.dr - v.gr * v.di) / den
                let m = (x * x + y * y).squareRoot()
                if (sr * sr + si * si).squareRoot() <= 1e-13 * m { converged = true; break }
                x -= sr; y -= si
                let m2 = (x * x + y * y).squareRoot()
                guard m2.isFinite, m2 > 0.5 * lo, m2 < reach else { break }
            }
            note("newton from (\(start.x), \(start.y)) converged \(converged) to (\(x), \(y))")
            let m = (x * x + y * y).squareRoot()
            guard converged, let v = last, m >= lo * (1 - 1e-6), m <= Swift.min(hi * (1 + 1e-6), reach) else { continue }
            if tried.contains(where: { Swift.abs($0 - m) <= 1e-9 * m }) { continue }
            if y >= 0 { return (x, y, v) }
            // The conjugate is a zero too (real coefficients); work in the upper half plane.
            guard let vc = counter.evaluate(x, -y) else { continue }
            return (x, -y, vc)
        }
        return nil
    }

    /// 2. A proved zero: (centre, inf |S|, sup |S|, S avoids the real axis).
    func prove(_ guess: (x: Double, y: Double, v: PointValue)) -> (center: (Double, Double), lower: Double, upper: Double, offAxis: Bool)? {
        if g.count <= 64 {
            guard let (x, y) = newtonZeroGuess(g, guess.x, guess.y) else { return nil }
            let m = (x * x + y * y).squareRoot()
            for rel in [1e-13, 1e-11, 1e-9] {
                // Two interval evaluations, counted like arcs (and reported to the monitor).
                extra += 2
                options.monitor?.arcEvaluated(); options.monitor?.arcEvaluated()
                if let k = krawczykZeroBox(g, centerRe: x, centerIm: y, halfWidth: rel * m + 1e-300) {
                    return (k.center, k.magnitudeLower, k.magnitudeUpper, k.im.lower > 0 || k.im.upper < 0)
                }
            }
            return nil
        }
        guard let d = pointKrawczykZero(counter, at: (guess.x, guess.y), value: guess.v) else { return nil }
        let m = Double.sqrtUp(Double.addUp(Double.mulUp(d.center.0, d.center.0), Double.mulUp(d.center.1, d.center.1)))
        let mLo = Double.sqrtDown(Double.addDown(Double.mulDown(d.center.0, d.center.0), Double.mulDown(d.center.1, d.center.1)))
        return (d.center, Swift.max(0, Double.subDown(mLo, d.radius)), Double.addUp(m, d.radius), Swift.abs(d.center.1) > d.radius)
    }

    var rounds = 0
    var failures = 0
    var next = lo * 1.25
    while !(hi.isFinite && (hi - lo) <= target * lo) {
        rounds += 1
        guard rounds <= 16, !outOfBudget() else { return done(false) }
        if fresh {
            fresh = false
            if let guess = locate(), let k = prove(guess) {
                note("proved zero \(k)")
                zero = k.center
                if k.upper < hi { hi = k.upper }
                tried.append(k.upper)
                if k.offAxis {
                    // 3. Confirm: 1e-2 outside, or midway to a proved zero just beyond; a
                    //    smaller gap only when the count could not be certified.
                    let beyond = tried.filter { $0 > k.upper * (1 + 1e-12) }.min()
                    let first = beyond.map { Swift.min(1e-2, 0.5 * ($0 / k.upper - 1)) } ?? 1e-2
                    for f in [first, first * 0.1, first * 0.01] {
                        let r2 = k.upper * (1 + f)
                        let n2 = count(r2)
                        if n2 == 2 {
                            lo = Swift.max(lo, k.lower)
                            return done(true)
                        }
                        if n2 == 0 { break }  // impossible with a proved zero inside
                        // Other zeros inside: new nodes for the next round; a smaller gap
                        // may still leave them out.
                        if let n2, n2 > 32 { return done(false) }  // dense zeros (see below)
                        if let n2, n2 > 2 { outer = counter.lastNodes; fresh = true }
                    }
                }
                continue
            }
        }
        // 4. Next radius.
        let r: Double
        if hi == .infinity {
            r = next
            next = Swift.max(lo, r) * 1.5
        } else {
            let frac = failures == 0 ? 0.5 : [0.5, 0.37, 0.63, 0.29, 0.71, 0.45, 0.55][failures % 7]
            r = lo + frac * (hi - lo)
            guard r > lo, r < hi else { break }
        }
        guard r.isFinite else { return done(false) }
        let n = count(r)
        // Dense zeros (huge logit gaps): Newton from the nodes rarely finds the nearest
        // one; leave the sample to the interval-arc bisection.
        if let n, n > 32 { return done(false) }
        if n == nil {
            failures += 1
            if hi == .infinity { next = r * (1 + 1e-3 * Double(failures)) }
            if failures > 6 { return done(false) }
        } else {
            failures = 0
        }
    }
    return done(true)
}
