import CertmaxNumerics
import TestSupport
import Testing

/// Set operations and measures of Interval (exact operations: checked exactly), with
/// random cases checked against their definitions.
@Suite struct IntervalBasicsTests {
    static func iv(_ a: Double, _ b: Double) -> Interval { Interval(uncheckedLower: a, upper: b) }

    @Test func hullAndIntersection() {
        #expect(Self.iv(1, 2).hull(Self.iv(5, 7)) == Self.iv(1, 7))
        #expect(Self.iv(1, 2).hull(.empty) == Self.iv(1, 2))
        #expect(Interval.empty.hull(Self.iv(-3, -1)) == Self.iv(-3, -1))
        #expect(Interval.empty.hull(.empty).isEmpty)
        #expect(Self.iv(1, 5).intersection(Self.iv(3, 9)) == Self.iv(3, 5))
        #expect(Self.iv(1, 2).intersection(Self.iv(3, 4)).isEmpty)
        #expect(Self.iv(1, 3).intersection(Self.iv(3, 4)) == Self.iv(3, 3))
        #expect(Self.iv(1, 2).intersection(.empty).isEmpty)
        #expect(Interval.entire.intersection(Self.iv(-1, 1)) == Self.iv(-1, 1))
    }

    @Test func emptyEntireAndContainment() {
        #expect(Interval.empty.isEmpty && !Interval.entire.isEmpty && Interval.entire.isEntire)
        #expect(Interval.entire.contains(1e308) && !Interval.empty.contains(0))
        #expect(Self.iv(1, 4).contains(Self.iv(2, 3)) && !Self.iv(1, 4).contains(Self.iv(0, 3)))
        #expect(Self.iv(1, 4).contains(.empty))
        #expect(Interval.pi.contains(Interval(Double.pi)) && Interval.pi.upper > Double.pi)
        #expect((Interval.empty + Self.iv(1, 2)).isEmpty && (Interval.empty * Self.iv(1, 2)).isEmpty)
        #expect(Interval.empty.exp().isEmpty && Interval.empty.squareRoot().isEmpty && Interval.empty.pown(3).isEmpty)
        #expect(Interval.empty.width.isNaN && Interval.empty.midpoint.isNaN && Interval.empty.radius.isNaN)
    }

    @Test func midpointRadiusWidth() {
        #expect(Interval.entire.midpoint == 0)
        #expect(Self.iv(-.infinity, 3).midpoint == -.greatestFiniteMagnitude)
        #expect(Self.iv(3, .infinity).midpoint == .greatestFiniteMagnitude)
        #expect(Self.iv(-.greatestFiniteMagnitude, .greatestFiniteMagnitude).midpoint == 0)
        #expect(Self.iv(1, 3).width == 2 && Self.iv(1, .infinity).width == .infinity)
        var rng = SeededGenerator(seed: 0x3D)
        for _ in 0..<100_000 {
            var a = rng.anyFiniteDouble(), b = rng.next() % 2 == 0 ? rng.anyFiniteDouble() : a.nextUp.nextUp
            if a > b { swap(&a, &b) }
            let x = Self.iv(a, b)
            let m = x.midpoint, r = x.radius
            #expect(x.contains(m) && m.isFinite, "midpoint of \(x) = \(m), seed \(rng.seed)")
            // [m - r, m + r] must cover x (checked exactly with BigFloat).
            let lo = BigFloat(m, precision: 64).subtracting(BigFloat(r, precision: 64), precision: 2200)
            let hi = BigFloat(m, precision: 64).adding(BigFloat(r, precision: 64), precision: 2200)
            #expect(lo <= a && hi >= b, "radius of \(x) = \(r) around \(m) does not cover it, seed \(rng.seed)")
            let w = BigFloat(b, precision: 64).subtracting(BigFloat(a, precision: 64), precision: 2200)
            #expect(w <= x.width && w.double(.up) == x.width, "width of \(x) = \(x.width), seed \(rng.seed)")
            #expect(x.magnitude == Swift.max(a.magnitude, b.magnitude))
            #expect(x.mignitude == ((a <= 0 && b >= 0) ? 0 : Swift.min(a.magnitude, b.magnitude)))
        }
    }

    @Test func minimumMaximumAgainstBruteForce() {
        var rng = SeededGenerator(seed: 0x3E)
        for _ in 0..<20_000 {
            func random() -> Interval {
                let a = Double.random(in: -10...10, using: &rng), b = a + Double.random(in: 0...5, using: &rng)
                return Self.iv(a, b)
            }
            let x = random(), y = random()
            let lo = Interval.minimum(x, y), hi = Interval.maximum(x, y)
            // Every min/max of sampled members lies inside, and the ends are attained.
            for _ in 0..<4 {
                let s = Double.random(in: x.lower...x.upper, using: &rng), t = Double.random(in: y.lower...y.upper, using: &rng)
                #expect(lo.contains(Swift.min(s, t)) && hi.contains(Swift.max(s, t)))
            }
            #expect(lo.lower == Swift.min(x.lower, y.lower) && lo.upper == Swift.min(x.upper, y.upper))
            #expect(hi.lower == Swift.max(x.lower, y.lower) && hi.upper == Swift.max(x.upper, y.upper))
        }
    }
}
