import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import CertmaxRadius
import CertmaxSoftmax
import Dispatch
import Foundation

/// The soundness campaign (issue 15, benchmarks/SOUNDNESS.md): random problems, each bound
/// the library prints checked against an enclosure of the exact value.
///
/// Problem kinds (round robin, seeded; each chunk of boxes has its own SplitMix64 stream,
/// so a run is reproducible whatever the thread count):
/// - `softmax`: per-coordinate bounds over a random box (K 2...64, scores up to ~1e3,
///   widths 1e-9...5, temperature log-uniform in [1e-3, 1e3] or exactly 1);
/// - `log-softmax`: the log bounds over the same kind of box;
/// - `objective`: Vertex-Softmax enclosures of min/max c . softmax(s/T) and their witnesses;
/// - `radius`: the certified radius bounds (rho_a, refined, exact enclosure) of random
///   two-direction samples, whose exact radius has a closed form;
/// - `attention`: the box engine's output bounds (with Vertex-Softmax for softmax(QK^T)V)
///   of a random one-head attention graph X -> softmax(X Wq (X Wk)^T / sqrt(dh)) X Wv over
///   an L-inf region around a random input, checked against the graph's outward-rounded
///   forward pass at sample points (1/16 as many points as a box: each costs a graph pass).
///
/// Checks: at `pointsPerBox` sample points of each box (box vertices and interior points)
/// the value is enclosed by an outward-rounded Double forward pass (`Interval`
/// arithmetic, sound exp), and every bound of the problem is compared with it; at the
/// optimal vertices (softmax: one coordinate's min and max vertex; objective: the
/// witnesses) and for every radius the value is enclosed in MPFR at `mpfrPrecision` bits.
/// A violation is a bound certainly on the wrong side: its excess (bound minus the upper
/// end of the value's enclosure for a lower bound; the value's lower end minus the bound
/// for an upper bound) is > 0. The widest excess is the largest excess seen (<= 0 when
/// sound; its closeness to 0 shows how tight the bounds are at the sampled points).
public enum SoundnessCampaign {
    public static let mpfrPrecision = 200

    /// Totals of a run.
    public struct Tally: Sendable {
        /// Sample points at which every bound of the problem was checked.
        public var points = 0
        /// Of those, points whose value was enclosed in MPFR (the others: Double intervals).
        public var mpfrPoints = 0
        /// Individual bound comparisons.
        public var boundChecks = 0
        public var violations = 0
        /// The largest excess over all comparisons (> 0 only for a violation).
        public var widestExcess = -Double.infinity
        /// Problems generated, by kind.
        public var problems: [String: Int] = [:]
        /// The first violations (kind, input, bound, value), to reproduce them.
        public var examples: [String] = []

        public init() {}

        public mutating func merge(_ o: Tally) {
            points += o.points; mpfrPoints += o.mpfrPoints; boundChecks += o.boundChecks
            violations += o.violations; widestExcess = Swift.max(widestExcess, o.widestExcess)
            for (k, v) in o.problems { problems[k, default: 0] += v }
            examples += o.examples.prefix(Swift.max(0, 5 - examples.count))
        }

        /// Records one comparison: `excess > 0` is a violation.
        mutating func check(_ excess: Double, _ what: @autoclosure () -> String) {
            boundChecks += 1
            if excess.isNaN {
                violations += 1
                if examples.count < 5 { examples.append("NaN excess: " + what()) }
                return
            }
            widestExcess = Swift.max(widestExcess, excess)
            if excess > 0 {
                violations += 1
                if examples.count < 5 { examples.append("excess \(excess): " + what()) }
            }
        }
    }

    /// Runs `chunks` chunks of `boxesPerChunk` problems each on all cores (chunk i uses the
    /// stream seeded by `seed` and i). `progress` is called after each chunk with the
    /// running tally (from the worker thread, serialised).
    public static func run(seed: UInt64, firstChunk: Int = 0, chunks: Int, boxesPerChunk: Int = 256, pointsPerBox: Int = 64,
                           progress: ((Tally, Int) -> Void)? = nil) -> Tally {
        let lock = NSLock()
        var total = Tally()
        var done = 0
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            let t = chunk(seed: seed, index: firstChunk + i, boxes: boxesPerChunk, pointsPerBox: pointsPerBox)
            lock.lock()
            total.merge(t)
            done += 1
            progress?(total, done)
            lock.unlock()
        }
        return total
    }

    /// One chunk: `boxes` problems from the stream (seed, index).
    public static func chunk(seed: UInt64, index: Int, boxes: Int, pointsPerBox: Int) -> Tally {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) &+ 0x5EED)
        var tally = Tally()
        for b in 0..<boxes {
            switch (index &+ b) % 5 {
            case 0: checkSoftmax(&rng, &tally, points: pointsPerBox, log: false)
            case 1: checkSoftmax(&rng, &tally, points: pointsPerBox, log: true)
            case 2: checkObjective(&rng, &tally, points: pointsPerBox)
            case 3: checkRadius(&rng, &tally)
            default: checkAttention(&rng, &tally, points: Swift.max(1, pointsPerBox / 16))
            }
        }
        return tally
    }

    // MARK: - Problems

    /// A random box and temperature.
    static func box(_ rng: inout SplitMix64) -> (lower: [Double], upper: [Double], t: Double) {
        let k = rng.uniform(0, 1) < 0.1 ? Int(rng.next() % 48) + 17 : Int(rng.next() % 15) + 2
        let scale = [1.0, 4.0, 30.0, 1000.0][Int(rng.next() % 4)]
        let widthScale = [1e-9, 1e-3, 0.3, 1.0, 5.0][Int(rng.next() % 5)]
        let lower = (0..<k).map { _ in rng.uniform(-scale, scale) }
        let upper = lower.map { $0 + (rng.uniform(0, 1) < 0.1 ? 0 : widthScale * rng.uniform(0, 1)) }
        let t = rng.uniform(0, 1) < 0.4 ? 1.0 : Foundation.exp(rng.uniform(-6.9, 6.9))
        return (lower, upper, t)
    }

    /// Sample points: vertices (each coordinate at an end) and interior points.
    static func point(_ rng: inout SplitMix64, _ l: [Double], _ u: [Double], vertex: Bool) -> [Double] {
        l.indices.map { i in
            if vertex { return rng.next() & 1 == 0 ? l[i] : u[i] }
            let x = l[i] + (u[i] - l[i]) * rng.uniform(0, 1)
            return Swift.min(Swift.max(x, l[i]), u[i])
        }
    }

    /// Outward-rounded enclosures of softmax(s/T)_j at a point, in Double intervals.
    static func softmaxAt(_ s: [Double], _ t: Double) -> [Interval] {
        let m = s.max()!
        let ti = Interval(t)
        let e = s.map { ((Interval($0) - Interval(m)) / ti).exp() }
        var sum = Interval.zero
        for x in e { sum += x }
        return e.map { $0 / sum }
    }

    static func describe(_ l: [Double], _ u: [Double], _ t: Double) -> String { "lower=\(l) upper=\(u) T=\(t)" }

    static func checkSoftmax(_ rng: inout SplitMix64, _ tally: inout Tally, points: Int, log: Bool) {
        let (l, u, t) = box(&rng)
        tally.problems[log ? "log-softmax" : "softmax", default: 0] += 1
        let b = log ? SoftmaxBounds.uncheckedLogPerCoordinate(lower: l, upper: u, temperature: t)
                    : SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, temperature: t)
        for n in 0..<points {
            let s = point(&rng, l, u, vertex: n % 2 == 0)
            var p = softmaxAt(s, t)
            if log { p = p.map { $0.log() } }
            tally.points += 1
            for j in s.indices {
                tally.check(b[j].lower - p[j].upper, "\(log ? "log-" : "")softmax lower[\(j)] \(b[j].lower) vs \(p[j]) at s=\(s); \(describe(l, u, t))")
                tally.check(p[j].lower - b[j].upper, "\(log ? "log-" : "")softmax upper[\(j)] \(b[j].upper) vs \(p[j]) at s=\(s); \(describe(l, u, t))")
            }
        }
        // MPFR at coordinate j's optimal vertices (min: s_j low, the rest high; max: mirrored).
        let j = Int(rng.next() % UInt64(l.count))
        let c = l.indices.map { $0 == j ? 1.0 : 0.0 }
        for minimum in [true, false] {
            let s = l.indices.map { ($0 == j) == minimum ? l[$0] : u[$0] }
            var v = HighPrecisionSoftmax.objective(c: c, at: s, temperature: t, precision: mpfrPrecision)
            if log { v = v.log() ?? v }
            tally.points += 1; tally.mpfrPoints += 1
            if minimum {
                tally.check(b[j].lower - v.upper.double(.up), "\(log ? "log-" : "")softmax lower[\(j)] \(b[j].lower) vs MPFR \(v) at its minimizer; \(describe(l, u, t))")
            } else {
                tally.check(v.lower.double(.down) - b[j].upper, "\(log ? "log-" : "")softmax upper[\(j)] \(b[j].upper) vs MPFR \(v) at its maximizer; \(describe(l, u, t))")
            }
        }
    }

    static func checkObjective(_ rng: inout SplitMix64, _ tally: inout Tally, points: Int) {
        let (l, u, t) = box(&rng)
        let c = l.map { _ in rng.uniform(-1, 1) }
        tally.problems["objective", default: 0] += 1
        let e = VertexSoftmax.uncheckedObjective(c: c, lower: l, upper: u, temperature: t)
        let what = { "c=\(c) \(describe(l, u, t)): min \(e.minimum) max \(e.maximum)" }
        for n in 0..<points {
            let s = point(&rng, l, u, vertex: n % 2 == 0)
            let p = softmaxAt(s, t)
            var f = Interval.zero
            for j in c.indices { f += Interval(c[j]) * p[j] }
            tally.points += 1
            tally.check(e.minimum.lower - f.upper, "objective min.lower vs \(f) at s=\(s); \(what())")
            tally.check(f.lower - e.maximum.upper, "objective max.upper vs \(f) at s=\(s); \(what())")
        }
        // The witnesses: F there lies in [min.lower, min.upper] (resp. max) — min.upper is an
        // attained value claimed by the enclosure.
        for (w, enc) in [(e.minimizer, e.minimum), (e.maximizer, e.maximum)] {
            guard let w else { continue }
            let v = HighPrecisionSoftmax.objective(c: c, at: w, temperature: t, precision: mpfrPrecision)
            tally.points += 1; tally.mpfrPoints += 1
            tally.check(enc.lower - v.upper.double(.up), "objective enclosure \(enc) lower vs MPFR \(v) at witness \(w); \(what())")
            tally.check(v.lower.double(.down) - enc.upper, "objective enclosure \(enc) upper vs MPFR \(v) at witness \(w); \(what())")
        }
    }

    /// Two-direction samples: rho* = sqrt((T log(A/B))^2 + (pi T)^2) / (alpha - beta) with
    /// T log A = T LSE(z/T) over {a = alpha} (likewise B), enclosed in MPFR.
    static func checkRadius(_ rng: inout SplitMix64, _ tally: inout Tally) {
        let k = Int(rng.next() % 15) + 2
        let scale = [1.0, 10.0, 300.0][Int(rng.next() % 3)]
        let z = (0..<k).map { _ in rng.uniform(-scale, scale) }
        let alpha = rng.uniform(-2, 2), beta = alpha - Foundation.exp(rng.uniform(-4, 2))
        var a = (0..<k).map { _ in rng.next() & 1 == 0 ? alpha : beta }
        a[0] = alpha; a[1] = beta
        let t = rng.uniform(0, 1) < 0.4 ? 1.0 : Foundation.exp(rng.uniform(-6.9, 6.9))
        tally.problems["radius", default: 0] += 1
        let r = uncheckedExactTaylorRadius(logits: z, directions: a, temperature: t)
        let lb = z.withUnsafeBufferPointer { zp in
            a.withUnsafeBufferPointer { ap in uncheckedTaylorRadiusLowerBounds(logits: zp, directions: ap, temperature: t) }
        }
        let p = mpfrPrecision
        let ti = BigInterval(t, precision: p)
        func tLSE(_ zs: [Double]) -> BigInterval {
            let m = BigInterval(zs.max()!, precision: p)
            var s = BigInterval(0, precision: p)
            for x in zs { s = s + ((BigInterval(x, precision: p) - m) / ti)!.exp() }
            return s.log()! * ti + m
        }
        let d = tLSE(zip(z, a).filter { $0.1 == alpha }.map(\.0)) - tLSE(zip(z, a).filter { $0.1 == beta }.map(\.0))
        let pi = BigInterval(lower: BigFloat.pi(precision: p, rounding: .down), upper: BigFloat.pi(precision: p, rounding: .up))
        let gap = BigInterval(alpha, precision: p) - BigInterval(beta, precision: p)
        let pt = pi * ti
        var dd = d * d
        if dd.lower < 0 { dd = BigInterval(lower: BigFloat(0, precision: p), upper: dd.upper, precision: p) }
        let exact = ((dd + pt * pt).squareRoot()! / gap)!
        let lo = exact.lower.double(.down), hi = exact.upper.double(.up)
        let what = "z=\(z) a=\(a) T=\(t): MPFR [\(lo), \(hi)]"
        tally.points += 1; tally.mpfrPoints += 1
        tally.check(lb.rhoA - hi, "rho_a \(lb.rhoA); \(what)")
        tally.check(lb.refined - hi, "refined \(lb.refined); \(what)")
        tally.check(r.lower - hi, "exact lower \(r.lower); \(what)")
        if let up = r.upper { tally.check(lo - up, "exact upper \(up); \(what)") }
    }

    /// A one-head attention graph with random weights, its box bounds over a region, and
    /// the outward-rounded forward pass at sample points of the region.
    static func checkAttention(_ rng: inout SplitMix64, _ tally: inout Tally, points: Int) {
        let tokens = Int(rng.next() % 3) + 2, d = Int(rng.next() % 3) + 2, dh = Int(rng.next() % 2) + 2
        let ws = [0.5, 1.0, 2.0][Int(rng.next() % 3)], radius = [1e-3, 0.05, 0.3][Int(rng.next() % 3)]
        tally.problems["attention", default: 0] += 1
        func weights(_ name: String, _ g: inout Graph) -> Int {
            g.addConstant(name: name, Tensor(uncheckedShape: [d, dh], data: (0..<(d * dh)).map { _ in rng.uniform(-ws, ws) }))
        }
        var g = Graph()
        let out: Int
        do {
            let x = try g.addInput(name: "X", shape: [tokens, d])
            let q = try g.addNode(name: "Q", op: MatMul(), inputs: [x, weights("Wq", &g)])
            let k = try g.addNode(name: "K", op: MatMul(), inputs: [x, weights("Wk", &g)])
            let v = try g.addNode(name: "V", op: MatMul(), inputs: [x, weights("Wv", &g)])
            let kt = try g.addNode(name: "Kt", op: Transpose(perm: [1, 0]), inputs: [k])
            let raw = try g.addNode(name: "S_raw", op: MatMul(), inputs: [q, kt])
            let scale = g.addConstant(name: "scale", Tensor(uncheckedShape: [], data: [1 / Double(dh).squareRoot()]))
            let sc = try g.addNode(name: "S", op: Mul(), inputs: [raw, scale])
            let p = try g.addNode(name: "P", op: Softmax(axis: -1, flattened: false), inputs: [sc])
            out = try g.addNode(name: "O", op: MatMul(), inputs: [p, v])
            g.outputs = [out]
        } catch {
            tally.check(.nan, "attention graph construction failed: \(error)")
            return
        }
        let centre = (0..<(tokens * d)).map { _ in rng.uniform(-1, 1) }
        let box = Tensor(uncheckedShape: [tokens, d], data: centre.map {
            Interval(uncheckedLower: Double.subDown($0, radius), upper: Double.addUp($0, radius))
        })
        let bounds = BoxEngine.uncheckedPropagate(g, inputBoxes: [box])[0]
        let what = "attention T=\(tokens) d=\(d) dh=\(dh) weights +-\(ws) centre \(centre) radius \(radius)"
        for n in 0..<points {
            let x = box.map { iv -> Interval in
                let v = n % 2 == 0 ? (rng.next() & 1 == 0 ? iv.lower : iv.upper)
                                   : Swift.min(Swift.max(iv.lower + (iv.upper - iv.lower) * rng.uniform(0, 1), iv.lower), iv.upper)
                return Interval(uncheckedLower: v, upper: v)
            }
            let y = g.uncheckedIntervalAll([x])[out]
            tally.points += 1
            for i in 0..<y.data.count {
                tally.check(bounds.data[i].lower - y.data[i].upper, "\(what): lower[\(i)] \(bounds.data[i]) vs \(y.data[i]) at \(x.data.map(\.lower))")
                tally.check(y.data[i].lower - bounds.data[i].upper, "\(what): upper[\(i)] \(bounds.data[i]) vs \(y.data[i]) at \(x.data.map(\.lower))")
            }
        }
    }
}
