import CertmaxNumerics
import Foundation
import TestSupport
import Testing

/// Bad endpoints are rejected by `Interval.init(_:_:)` with the matching IntervalError.
@Suite struct IntervalBadInputTests {
    @Test(arguments: [
        (Double.nan, 1.0, IntervalError.nanEndpoint(lower: .nan, upper: 1)),
        (1.0, Double.nan, IntervalError.nanEndpoint(lower: 1, upper: .nan)),
        (2.0, 1.0, IntervalError.inverted(lower: 2, upper: 1)),
        (Double.infinity, Double.infinity, IntervalError.infiniteDegenerate(lower: .infinity, upper: .infinity)),
        (-Double.infinity, -Double.infinity, IntervalError.infiniteDegenerate(lower: -.infinity, upper: -.infinity)),
    ])
    func rejects(lower: Double, upper: Double, expected: IntervalError) {
        do {
            _ = try Interval(lower, upper)
            Issue.record("Interval(\(lower), \(upper)) was accepted")
        } catch {
            switch (error, expected) {
            case (.nanEndpoint, .nanEndpoint), (.inverted, .inverted), (.infiniteDegenerate, .infiniteDegenerate): break
            default: Issue.record("Interval(\(lower), \(upper)) threw \(error), expected \(expected)")
            }
            #expect(!error.description.isEmpty)
        }
    }

    @Test func acceptsValidEndpoints() throws {
        #expect(try Interval(1, 2) == Interval(uncheckedLower: 1, upper: 2))
        #expect(try Interval(-.infinity, .infinity).isEntire)
        #expect(try Interval(-0.0, 0).contains(0))
        #expect(try Interval(3, 3).isPoint)
        #expect("\(IntervalError.inverted(lower: 2, upper: 1))".contains("greater"))
    }
}

/// BigFloat: storage is freed, conversions round in the requested direction, parsing.
@Suite struct BigFloatTests {
    @Test func deinitRunsWhenLastReferenceGoes() {
        weak var weakRef: BigFloat?
        do {
            let x = BigFloat(1.5, precision: 300).exp(rounding: .up)
            weakRef = x
            #expect(weakRef != nil)
        }
        #expect(weakRef == nil, "BigFloat was not deinitialized")
    }

    /// 200,000 temporaries of 4096 bits (512 bytes of limbs each, > 100 MB if leaked):
    /// the resident set (from /proc/self/statm) must not grow by more than 40 MB (other
    /// tests run concurrently, so a small growth is not attributable).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")))
    func manyTemporariesDoNotLeak() {
        func inUse() -> Int {
            let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
            let pages = Int(text.split(separator: " ")[1]) ?? 0
            return pages * 4096
        }
        var acc = BigFloat(0, precision: 4096)
        // Warm up MPFR caches (constants, exp tables) before measuring.
        let warm = BigFloat(1, precision: 4096).exp(rounding: .down)
        #expect(warm > 2.718)
        let before = inUse()
        for i in 0..<200_000 {
            let t = BigFloat(Double(i), precision: 4096)
            acc = acc.adding(t.multiplied(by: t, rounding: .up), rounding: .up)
        }
        let growth = inUse() - before
        print("[bigfloat] resident set growth over 200,000 4096-bit temporaries: \(growth) bytes")
        #expect(growth < 40 << 20, "resident set grew by \(growth) bytes over 200,000 BigFloat temporaries")
        // sum of i^2, i < 200000 = (n-1) n (2n-1) / 6, exactly representable at 4096 bits.
        let n = 200_000.0
        #expect(acc == BigFloat((n - 1) * n * (2 * n - 1) / 6, precision: 4096), "sum \(acc)")
    }

    @Test func conversionsRoundInTheRequestedDirection() {
        let third = BigFloat(1, precision: 256).divided(by: BigFloat(3, precision: 256))
        let d = third.double(.down), u = third.double(.up), n = third.double(.nearest)
        #expect(d.nextUp == u && (n == d || n == u))
        #expect(third > d && third < u)
        // Exactly representable values convert exactly in every direction.
        for x in [0.1, -3.5, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 0x1p-1022] {
            let b = BigFloat(x, precision: 64)
            #expect(b.double(.down) == x && b.double(.up) == x && b.double(.nearest) == x && b.double(.towardZero) == x)
        }
        // Overflow and underflow.
        let huge = BigFloat(Double.greatestFiniteMagnitude, precision: 128).multiplied(by: BigFloat(2, precision: 128))
        #expect(huge.double(.down) == .greatestFiniteMagnitude && huge.double(.up) == .infinity)
        let tiny = BigFloat(Double.leastNonzeroMagnitude, precision: 128).divided(by: BigFloat(4, precision: 128))
        #expect(tiny.double(.down) == 0 && tiny.double(.up) == .leastNonzeroMagnitude)
        let negTiny = tiny.negated()
        #expect(negTiny.double(.down) == -.leastNonzeroMagnitude && negTiny.double(.up) == 0)
        // Rounding at 53 bits of the result precision.
        let p = BigFloat(1, precision: 53).adding(BigFloat(0x1p-60, precision: 53), rounding: .up)
        #expect(p.double() == Double(1).nextUp)
    }

    @Test func parsing() throws {
        let tenthDown = try #require(BigFloat("0.1", precision: 53, rounding: .down))
        let tenthUp = try #require(BigFloat("0.1", precision: 53, rounding: .up))
        #expect(tenthDown.double() == 0.1.nextDown || tenthDown.double() == 0.1)
        #expect(tenthUp.double().nextDown == tenthDown.double())
        #expect(try #require(BigFloat("0x1.8p3")).double() == 12)
        #expect(try #require(BigFloat("-2.5e-3")).double() == -2.5e-3)
        #expect(try #require(BigFloat("-inf")).double() == -.infinity)
        #expect(BigFloat("") == nil)
        #expect(BigFloat("abc") == nil)
        #expect(BigFloat("1.5x") == nil)
        #expect(BigFloat("1.0 ") == nil)
        let pi = BigFloat.pi(precision: 200, rounding: .down)
        #expect(pi.text(digits: 20, rounding: .down).hasPrefix("3.141592653589793238"))
    }

    @Test func elementaryFunctionsAreCorrectlyRounded() {
        // exp(1) at 53 bits: the known neighbours of e.
        let one = BigFloat(1, precision: 53)
        #expect(one.exp(rounding: .down).double() == 2.718281828459045)
        #expect(one.exp(rounding: .up).double() == 2.718281828459045.nextUp)
        #expect(BigFloat(1, precision: 64).log(rounding: .down).isZero)
        #expect(BigFloat(0, precision: 64).expm1(rounding: .up).isZero)
        #expect(BigFloat(-1, precision: 64).log1p().isInfinite)
        #expect(BigFloat(-1, precision: 64).squareRoot().isNaN)
    }
}

/// Issue 15 item 2: the point constructor and BigFloat's precision never trap (both did,
/// at a precondition: `Interval(.nan)`, `BigFloat(1, precision: 1)`; MPFR aborted the
/// process on precisions beyond its maximum).
@Suite struct TotalNumericConstructorTests {
    @Test func pointIntervalOfNonFiniteIsSoundAndWide() {
        #expect(Interval(Double.nan).isEntire)
        #expect(Interval(Double.infinity) == Interval(uncheckedLower: .greatestFiniteMagnitude, upper: .infinity))
        #expect(Interval(-Double.infinity) == Interval(uncheckedLower: -.infinity, upper: -.greatestFiniteMagnitude))
        #expect(Interval(2.5) == Interval(uncheckedLower: 2.5, upper: 2.5))
        // Arithmetic on them stays NaN-free and wide.
        let s = Interval(Double.nan) + Interval(1)
        #expect(s.isEntire)
    }

    @Test func bigFloatPrecisionIsClampedNotTrapped() {
        for p in [Int.min, -5, 0, 1] {
            let x = BigFloat(1.5, precision: p)
            #expect(x.precision == BigFloat.precisionRange.lowerBound)
            #expect(x.double() == 1.5)  // 1.5 needs 2 bits
        }
        let big = BigFloat(0.1, precision: Int.max)
        #expect(big.precision == BigFloat.precisionRange.upperBound)
        #expect(big.double() == 0.1)  // Doubles stay exact
        // Directed rounding at the clamped precision stays on its side.
        let third = BigFloat(1, precision: 64).divided(by: BigFloat(3, precision: 64), rounding: .up, precision: 0)
        #expect(third.double(.up) >= 1.0 / 3)
        // A point BigInterval holds its Double exactly even at a clamped low precision
        // (it was rounded to nearest at 2 bits, an enclosure missing 0.3).
        let b = BigInterval(0.3, precision: -1)
        #expect(b.lower.double(.down) == 0.3 && b.upper.double(.up) == 0.3)
    }
}
