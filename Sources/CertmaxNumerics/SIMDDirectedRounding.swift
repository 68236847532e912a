// Directed rounding for SIMD8<Double> lanes: the vector counterparts of
// DirectedRounding.swift (Double.addDown, ...), for batch kernels. No FMA is used
// (baseline x86-64 has none, and a libm `fma` call per lane would defeat the purpose):
// products use Dekker's TwoProduct with Veltkamp splitting instead.
//
// Error rule (all functions in this file), lane by lane:
// - add/sub: exactly the directed rounding of the real result (Fast2Sum on magnitude-ordered
//   operands is exact whenever the rounded sum is finite). Overflow: as Double.addDown/addUp.
// - mul: exactly the directed rounding when |a|, |b| <= 2^995 and
//   2^-969 <= |a*b| <= 2^1020 (Dekker's product is then exact: no overflow in the
//   splitting, no underflow in the partial products, since e_a + e_b >= -970);
//   otherwise the round-to-nearest product widened by one ulp (sound: it is within half
//   an ulp). A zero factor gives the exact signed zero; finite operands whose product
//   overflows give greatestFiniteMagnitude (down) / +inf (up), as Double.mulDown.
// - div: exactly the directed rounding when 2^-969 <= |q| <= 2^995, |b| <= 2^995 and
//   2^-968 <= |a| <= 2^1020, from the exact remainder a - q*b (TwoProduct(q, b), then
//   two exact subtractions); otherwise one-ulp widening; zero and overflowing quotients
//   as Double.divDown.
// NaN in, NaN out. These match Double.addDown/... exactly wherever both are exact (the
// tests check this against MPFR).
//
// Performance note: on baseline x86-64 (SSE2 code generation, which is what SwiftPM
// builds by default) these branch-free lane versions are NOT faster than calling the
// scalar Double.addDown/mulDown/divDown per element (benchmarks/RESULTS.md: add 5.6 vs
// 3.2 ns, mul 8.7 vs 11.5 ns, div 13.4 vs 11.7 ns per element for both bounds): the
// mask selects cost more than the 2-lane arithmetic saves. They pay off only when the
// surrounding kernel is already vectorized (no scalar round trip), or with wider
// vector code generation.

extension SIMD8 where Scalar == Double {
    // MARK: Lane helpers

    @inlinable @inline(__always)
    static func _bits(_ x: Self) -> SIMD8<Int64> { unsafeBitCast(x, to: SIMD8<Int64>.self) }
    @inlinable @inline(__always)
    static func _double(_ x: SIMD8<Int64>) -> Self { unsafeBitCast(x, to: Self.self) }

    /// |x| lane by lane (clears the sign bit).
    @inlinable @inline(__always)
    static func _magnitude(_ x: Self) -> Self {
        _double(_bits(x) & SIMD8<Int64>(repeating: .max))
    }

    /// Lanes that hold a finite number.
    @inlinable @inline(__always)
    static func _isFinite(_ x: Self) -> SIMDMask<SIMD8<Int64>> {
        _magnitude(x) .< Self(repeating: .infinity)
    }

    /// The next Double above each lane (IEEE nextUp; NaN stays NaN, +inf stays +inf).
    @inlinable @inline(__always)
    public static func nextUp(_ x: Self) -> Self {
        let b = _bits(x)
        var r = b &- 1                      // x < 0: magnitude one ulp smaller
        r.replace(with: b &+ 1, where: x .> 0)  // x > 0: one ulp larger
        var y = _double(r)
        y.replace(with: .leastNonzeroMagnitude, where: x .== 0)
        y.replace(with: .infinity, where: x .== .infinity)
        y.replace(with: x, where: x .!= x)
        return y
    }

    /// The next Double below each lane (IEEE nextDown).
    @inlinable @inline(__always)
    public static func nextDown(_ x: Self) -> Self { -nextUp(-x) }

    /// Dekker's TwoProduct error term: a*b - RN(a*b), exact under the conditions in
    /// the file comment (|a|, |b| <= 2^995, 2^-969 <= |a*b| <= 2^1020).
    @inlinable @inline(__always)
    static func _productError(_ a: Self, _ b: Self, _ p: Self) -> Self {
        let splitter = Self(repeating: 134_217_729)  // 2^27 + 1
        let ca = splitter * a, cb = splitter * b
        let ah = ca - (ca - a), bh = cb - (cb - b)
        let al = a - ah, bl = b - bh
        return (((ah * bh - p) + ah * bl) + al * bh) + al * bl
    }

    // MARK: Addition and subtraction

    /// `a + b` rounded toward -infinity, lane by lane (exact directed rounding).
    @inlinable @inline(__always)
    public static func addDown(_ a: Self, _ b: Self) -> Self {
        let s = a + b
        // Fast2Sum on magnitude-ordered operands (exact; cannot overflow when s is finite,
        // unlike TwoSum's s - a near greatestFiniteMagnitude).
        let swap = _magnitude(a) .< _magnitude(b)
        var x = a, y = b
        x.replace(with: b, where: swap)
        y.replace(with: a, where: swap)
        let err = y - (s - x)
        var r = s
        r.replace(with: nextDown(s), where: err .< 0)
        r.replace(with: .greatestFiniteMagnitude, where: (s .== .infinity) .& _isFinite(a) .& _isFinite(b))
        return r
    }

    /// `a + b` rounded toward +infinity, lane by lane (exact directed rounding).
    @inlinable @inline(__always)
    public static func addUp(_ a: Self, _ b: Self) -> Self { -addDown(-a, -b) }

    /// `a - b` rounded toward -infinity, lane by lane.
    @inlinable @inline(__always)
    public static func subDown(_ a: Self, _ b: Self) -> Self { addDown(a, -b) }

    /// `a - b` rounded toward +infinity, lane by lane.
    @inlinable @inline(__always)
    public static func subUp(_ a: Self, _ b: Self) -> Self { -addDown(-a, b) }

    // MARK: Multiplication

    /// `a * b` rounded toward -infinity, lane by lane (see the file comment).
    @inlinable @inline(__always)
    public static func mulDown(_ a: Self, _ b: Self) -> Self {
        let p = a * b
        let magA = _magnitude(a), magB = _magnitude(b), magP = _magnitude(p)
        let exact = (magA .<= Self(repeating: 0x1p995)) .& (magB .<= Self(repeating: 0x1p995))
            .& (magP .>= Self(repeating: 0x1p-969)) .& (magP .<= Self(repeating: 0x1p1020))
        let err = _productError(a, b, p)
        var r = nextDown(p)                       // one-ulp widening by default
        r.replace(with: p, where: exact .& .!(err .< 0))
        r.replace(with: p, where: (a .== 0) .| (b .== 0) .| (p .== -.infinity) .| (p .!= p))
        r.replace(with: p, where: (p .== .infinity) .& .!(_isFinite(a) .& _isFinite(b)))
        r.replace(with: .greatestFiniteMagnitude, where: (p .== .infinity) .& _isFinite(a) .& _isFinite(b))
        return r
    }

    /// `a * b` rounded toward +infinity, lane by lane (see the file comment).
    @inlinable @inline(__always)
    public static func mulUp(_ a: Self, _ b: Self) -> Self { -mulDown(-a, b) }

    // MARK: Division

    /// `a / b` rounded toward -infinity, lane by lane (see the file comment).
    @inlinable @inline(__always)
    public static func divDown(_ a: Self, _ b: Self) -> Self {
        let q = a / b
        let magA = _magnitude(a), magB = _magnitude(b), magQ = _magnitude(q)
        let exact = (magQ .>= Self(repeating: 0x1p-969)) .& (magQ .<= Self(repeating: 0x1p995))
            .& (magB .<= Self(repeating: 0x1p995))
            .& (magA .>= Self(repeating: 0x1p-968)) .& (magA .<= Self(repeating: 0x1p1020))
        // Exact remainder a - q*b (see the file comment); the true quotient is below q
        // iff the remainder and b have opposite signs.
        let p = q * b
        let e = _productError(q, b, p)
        let rem = (a - p) - e
        let below = ((rem .< 0) .& (b .> 0)) .| ((rem .> 0) .& (b .< 0))
        var r = nextDown(q)
        r.replace(with: q, where: exact .& .!below)
        // Zero quotients: exact if a = 0; else the true quotient is a tiny number of the
        // sign of a/b.
        let zeroQ = q .== 0
        let sameSign = .!((a .> 0) .^ (b .> 0))
        r.replace(with: 0, where: zeroQ .& sameSign)
        r.replace(with: -.leastNonzeroMagnitude, where: zeroQ .& .!sameSign)
        r.replace(with: q, where: zeroQ .& (a .== 0))
        // Non-finite quotients.
        let finiteOperands = _isFinite(a) .& _isFinite(b) .& (b .!= 0)
        r.replace(with: q, where: .!_isFinite(q))
        r.replace(with: .greatestFiniteMagnitude, where: (q .== .infinity) .& finiteOperands)
        return r
    }

    /// `a / b` rounded toward +infinity, lane by lane (see the file comment).
    @inlinable @inline(__always)
    public static func divUp(_ a: Self, _ b: Self) -> Self { -divDown(-a, b) }
}
