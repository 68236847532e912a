import CMPFR
import CertmaxNumerics

/// Preallocated MPFR variables for fast oracle checks in tests (BigFloat allocates per
/// operation, which is too slow for millions of debug-mode checks). One instance per
/// test; not shared across threads.
final class MPFRScratch {
    let x: UnsafeMutablePointer<__mpfr_struct>
    let y: UnsafeMutablePointer<__mpfr_struct>
    let r: UnsafeMutablePointer<__mpfr_struct>
    let precision: Int

    init(precision: Int = 256) {
        self.precision = precision
        x = .allocate(capacity: 1); y = .allocate(capacity: 1); r = .allocate(capacity: 1)
        mpfr_init2(x, mpfr_prec_t(precision)); mpfr_init2(y, mpfr_prec_t(precision)); mpfr_init2(r, mpfr_prec_t(precision))
    }

    deinit {
        mpfr_clear(x); mpfr_clear(y); mpfr_clear(r)
        x.deallocate(); y.deallocate(); r.deallocate()
    }

    typealias Unary = (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32
    typealias Binary = (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>,
                        UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32

    /// Checks `lo <= f(a) <= hi` for the exact real f(a), from one evaluation of f
    /// rounded down at `precision` bits and its ternary value:
    /// y = RD(f(a)) <= f(a) and, if inexact, f(a) < the next `precision`-bit number after
    /// y, which is <= hi whenever the Double hi > y (hi is representable at `precision`).
    /// Returns (lowerOK, upperOK, RD53(f(a)), RU53(f(a))). If MPFR's exponent range
    /// overflows, RNDD returns its largest finite number, which still makes the check
    /// sound for the upper side only when hi = +inf; that is the case for all our
    /// overflowing upper bounds.
    func checkUnary(_ f: Unary, _ a: Double, lo: Double, hi: Double) -> (Bool, Bool, Double, Double) {
        mpfr_set_d(x, a, MPFR_RNDN)
        let t = f(r, x, MPFR_RNDD)
        let lowerOK = mpfr_cmp_d(r, lo) >= 0  // r >= lo
        let upperOK: Bool
        if hi == .infinity { upperOK = true }
        else if t == 0 { upperOK = mpfr_cmp_d(r, hi) <= 0 }
        else { upperOK = mpfr_cmp_d(r, hi) < 0 }
        let rd = mpfr_get_d(r, MPFR_RNDD)
        var ru = mpfr_get_d(r, MPFR_RNDU)
        if t != 0 {
            // r < f(a) < next(r): RU53(f(a)) is RU53(r) unless r itself is a Double.
            if mpfr_cmp_d(r, ru) == 0 { ru = ru.nextUp }
        }
        return (lowerOK, upperOK, rd, ru)
    }

    /// RD53 and RU53 of `op(a, b)` (exact directed roundings: directed rounding to
    /// `precision` bits followed by the same directed rounding to 53 bits equals the
    /// direct directed rounding, the 53-bit grid being a subset of the finer one).
    func directed(_ op: Binary, _ a: Double, _ b: Double) -> (down: Double, up: Double) {
        mpfr_set_d(x, a, MPFR_RNDN); mpfr_set_d(y, b, MPFR_RNDN)
        _ = op(r, x, y, MPFR_RNDD)
        let d = mpfr_get_d(r, MPFR_RNDD)
        _ = op(r, x, y, MPFR_RNDU)
        let u = mpfr_get_d(r, MPFR_RNDU)
        return (d, u)
    }

    func directed(_ op: Unary, _ a: Double) -> (down: Double, up: Double) {
        mpfr_set_d(x, a, MPFR_RNDN)
        _ = op(r, x, MPFR_RNDD)
        let d = mpfr_get_d(r, MPFR_RNDD)
        _ = op(r, x, MPFR_RNDU)
        let u = mpfr_get_d(r, MPFR_RNDU)
        return (d, u)
    }
}

/// Number of Doubles steps from a to b (b >= a, both finite): the width in ulps
/// (saturating at Int64.max).
func ulpSteps(_ a: Double, _ b: Double) -> Int64 {
    func ordered(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF)
        return x.sign == .minus ? -bits : bits
    }
    let (d, overflow) = ordered(b).subtractingReportingOverflow(ordered(a))
    return overflow ? .max : d
}

/// A histogram of interval widths in ulps, for tightness reports.
struct WidthStats {
    var counts: [Int64: Int] = [:]
    var total = 0
    var skipped = 0

    mutating func add(_ lo: Double, _ hi: Double) {
        guard lo.isFinite && hi.isFinite else { skipped += 1; return }
        counts[ulpSteps(lo, hi), default: 0] += 1
        total += 1
    }

    var median: Int64 {
        var seen = 0
        for k in counts.keys.sorted() {
            seen += counts[k]!
            if seen * 2 >= total { return k }
        }
        return -1
    }
    var max: Int64 { counts.keys.max() ?? -1 }

    func summary(_ name: String) -> String {
        let hist = counts.keys.sorted().prefix(8).map { "\($0):\(counts[$0]!)" }.joined(separator: " ")
        return "[tightness] \(name): \(total) finite results, width in ulps median \(median), max \(max) (histogram \(hist)); \(skipped) with an infinite end"
    }
}
