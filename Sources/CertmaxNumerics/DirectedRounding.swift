// Directed rounding for Double without touching the FPU rounding mode.
//
// Swift on Linux cannot use `fesetround`: the optimizer assumes round-to-nearest and
// folds or reorders accordingly. Every primitive here computes the round-to-nearest
// result and then decides, from an exact error term, whether the true value lies below
// or above it.
//
// Error rule (all functions in this file): for finite inputs whose exact result is
// representable without underflow, the result is *exactly* the directed rounding of the
// real result (error-free transforms: Fast2Sum on magnitude-ordered operands for +/-,
// FMA for *, / and sqrt). Where the
// error term is not exact (results below 2^-969, where the FMA residual can underflow,
// or overflowing intermediate terms) the round-to-nearest result is widened by one ulp
// in the requested direction, which is sound because round-to-nearest is within half an
// ulp. Overflow: a down-rounded positive overflow is `greatestFiniteMagnitude`, an
// up-rounded one `+infinity` (mirror for negative). NaN in, NaN out.

/// Below this magnitude the FMA residual of a product or quotient may underflow, so the
/// primitives fall back to one-ulp widening.
@usableFromInline let _eftSafeMin: Double = 0x1p-969

extension Double {
    // MARK: Addition and subtraction

    /// `a + b` rounded toward -infinity.
    ///
    /// Exact directed rounding via Fast2Sum (operands ordered by magnitude) for finite inputs.
    ///
    /// Edge Cases: `inf + (-inf)` is NaN; a finite sum that overflows to `+inf` gives
    /// `greatestFiniteMagnitude`; exact zero sums give `+0` unless both operands are `-0`
    /// (IEEE 754 round-down would give -0 for x - x; either zero is the same bound).
    @inlinable @inline(__always)
    public static func addDown(_ a: Double, _ b: Double) -> Double {
        let s = a + b
        if !s.isFinite {
            if s == .infinity && a.isFinite && b.isFinite { return .greatestFiniteMagnitude }
            return s
        }
        // Fast2Sum on magnitude-ordered operands: s - x is exact and finite whenever s is
        // (TwoSum's s - a can overflow near greatestFiniteMagnitude and give a NaN error).
        let (x, y) = a.magnitude >= b.magnitude ? (a, b) : (b, a)
        let err = y - (s - x)
        return err < 0 ? s.nextDown : s
    }

    /// `a + b` rounded toward +infinity. Exact directed rounding (see `addDown`).
    @inlinable @inline(__always)
    public static func addUp(_ a: Double, _ b: Double) -> Double {
        let s = a + b
        if !s.isFinite {
            if s == -.infinity && a.isFinite && b.isFinite { return -.greatestFiniteMagnitude }
            return s
        }
        let (x, y) = a.magnitude >= b.magnitude ? (a, b) : (b, a)
        let err = y - (s - x)  // exact (Fast2Sum), see addDown
        return err > 0 ? s.nextUp : s
    }

    /// `a - b` rounded toward -infinity (exact directed rounding).
    @inlinable @inline(__always)
    public static func subDown(_ a: Double, _ b: Double) -> Double { addDown(a, -b) }

    /// `a - b` rounded toward +infinity (exact directed rounding).
    @inlinable @inline(__always)
    public static func subUp(_ a: Double, _ b: Double) -> Double { addUp(a, -b) }

    // MARK: Multiplication

    /// `a * b` rounded toward -infinity.
    ///
    /// Exact directed rounding via FMA when `|a*b| >= 2^-969`; one-ulp widening below.
    /// Edge Cases: `0 * inf` is NaN (interval code handles it before calling);
    /// overflow of finite operands gives `greatestFiniteMagnitude` / `-inf`.
    @inlinable @inline(__always)
    public static func mulDown(_ a: Double, _ b: Double) -> Double {
        let p = a * b
        if !p.isFinite {
            if p == .infinity && a.isFinite && b.isFinite { return .greatestFiniteMagnitude }
            return p
        }
        if p.magnitude < _eftSafeMin {
            if p == 0 && (a == 0 || b == 0) { return p }
            // Underflow to zero: the exact product is a nonzero number of known sign
            // below the smallest subnormal in magnitude, so its down-rounding is 0
            // (positive product) or -leastNonzeroMagnitude (negative product).
            if p == 0 { return (a < 0) == (b < 0) ? 0 : -.leastNonzeroMagnitude }
            return p.nextDown
        }
        let err = (-p).addingProduct(a, b)  // a*b - p, exact
        return err < 0 ? p.nextDown : p
    }

    /// `a * b` rounded toward +infinity (see `mulDown`).
    @inlinable @inline(__always)
    public static func mulUp(_ a: Double, _ b: Double) -> Double {
        let p = a * b
        if !p.isFinite {
            if p == -.infinity && a.isFinite && b.isFinite { return -.greatestFiniteMagnitude }
            return p
        }
        if p.magnitude < _eftSafeMin {
            if p == 0 && (a == 0 || b == 0) { return p }
            if p == 0 { return (a < 0) == (b < 0) ? .leastNonzeroMagnitude : 0 }
            return p.nextUp
        }
        let err = (-p).addingProduct(a, b)
        return err > 0 ? p.nextUp : p
    }

    // MARK: Division

    /// `a / b` rounded toward -infinity.
    ///
    /// Exact directed rounding from the FMA residual `a - q*b` when the quotient and the
    /// residual are safely in the normal range; one-ulp widening otherwise.
    /// Edge Cases: division by zero follows IEEE (`±inf` or NaN); callers with
    /// intervals containing zero handle that case before calling.
    @inlinable @inline(__always)
    public static func divDown(_ a: Double, _ b: Double) -> Double {
        let q = a / b
        if !q.isFinite {
            if q == .infinity && a.isFinite && b.isFinite && b != 0 { return .greatestFiniteMagnitude }
            return q
        }
        if q == 0 {
            if a == 0 { return q }
            return (a.sign == b.sign) ? 0 : (-0.0).nextDown
        }
        if q.magnitude < _eftSafeMin || !b.isFinite || b.magnitude > 0x1p1000 || a.magnitude < _eftSafeMin {
            return q.nextDown
        }
        let r = a.addingProduct(-q, b)  // a - q*b, exact for the round-to-nearest quotient
        // true - q = r / b: below q iff r and b have opposite signs.
        if r == 0 { return q }
        return ((r < 0) != (b < 0)) ? q.nextDown : q
    }

    /// `a / b` rounded toward +infinity (see `divDown`).
    @inlinable @inline(__always)
    public static func divUp(_ a: Double, _ b: Double) -> Double {
        -divDown(-a, b)
    }

    // MARK: Square root

    /// `sqrt(a)` rounded toward -infinity (exact directed rounding via the FMA residual).
    /// Edge Cases: negative input gives NaN; `sqrt(+inf) = +inf`; `sqrt(-0) = -0`.
    @inlinable @inline(__always)
    public static func sqrtDown(_ a: Double) -> Double {
        let s = a.squareRoot()
        if !s.isFinite || s == 0 { return s }
        if a < _eftSafeMin { return s.nextDown }
        let r = a.addingProduct(-s, s)  // a - s*s, exact
        return r < 0 ? s.nextDown : s
    }

    /// `sqrt(a)` rounded toward +infinity (exact directed rounding via the FMA residual).
    @inlinable @inline(__always)
    public static func sqrtUp(_ a: Double) -> Double {
        let s = a.squareRoot()
        if !s.isFinite || s == 0 { return s }
        if a < _eftSafeMin { return s.nextUp }
        let r = a.addingProduct(-s, s)
        return r > 0 ? s.nextUp : s
    }
}
