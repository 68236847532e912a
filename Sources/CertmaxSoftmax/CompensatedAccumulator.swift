import CertmaxNumerics

/// A nonnegative-term accumulator with a directed, compensated error term: the exact sum of
/// everything added equals `hi + E` where `E` is the sum of the exact TwoSum/TwoProduct error
/// terms, and `lo` is a directed bound of `E` (an upper bound for `.up` accumulators, a lower
/// bound for `.down` ones). `value` rounds `hi + lo` in the accumulator's direction.
///
/// Error rule: the result is within about 1 ulp of the exact sum of the added terms (plus
/// `K² u²` relative from rounding inside `lo`), instead of the K/2 ulps of plain directed
/// summation. TwoSum and TwoProduct (FMA) are exact for finite results whose products stay
/// above 2^-969; below that the product itself is rounded in the accumulator's direction
/// (error term 0), which keeps the bound sound.
@usableFromInline
struct _CompensatedSum {
    @usableFromInline var hi: Double = 0
    @usableFromInline var lo: Double = 0
    @usableFromInline let up: Bool

    @inlinable init(up: Bool) { self.up = up }

    @inlinable @inline(__always)
    mutating func add(_ t: Double) {
        let s = hi + t
        let bb = s - hi
        let e = (hi - (s - bb)) + (t - bb)  // exact: hi + t = s + e
        hi = s
        lo = up ? Double.addUp(lo, e) : Double.addDown(lo, e)
    }

    /// Adds d·t (d, t >= 0).
    @inlinable @inline(__always)
    mutating func addProduct(_ d: Double, _ t: Double) {
        let p = d * t
        if p == 0 || p.magnitude < 0x1p-969 || !p.isFinite {
            if d == 0 || t == 0 { return }
            add(up ? Double.mulUp(d, t) : Double.mulDown(d, t))
            return
        }
        let pe = (-p).addingProduct(d, t)  // exact: d t = p + pe
        add(p)
        lo = up ? Double.addUp(lo, pe) : Double.addDown(lo, pe)
    }

    /// Multiplies the accumulated value by a factor r >= 0 that is a directed bound of the
    /// exact factor (r >= exact for `.up`, r <= exact for `.down`).
    @inlinable @inline(__always)
    mutating func scale(_ r: Double) {
        if r == 1 { return }
        let p = hi * r
        if p != 0 && p.magnitude >= 0x1p-969 && p.isFinite {
            let pe = (-p).addingProduct(hi, r)
            hi = p
            lo = up ? Double.addUp(Double.mulUp(lo, r), pe) : Double.addDown(Double.mulDown(lo, r), pe)
        } else {
            hi = up ? Double.mulUp(hi, r) : Double.mulDown(hi, r)
            lo = lo == 0 ? 0 : (up ? Double.mulUp(lo, r) : Double.mulDown(lo, r))
        }
    }

    @inlinable @inline(__always)
    func scaled(_ r: Double) -> _CompensatedSum { var c = self; c.scale(r); return c }

    /// The directed rounding of hi + lo.
    @inlinable var value: Double { up ? Double.addUp(hi, lo) : Double.addDown(hi, lo) }

    /// The directed value of a + b (same direction).
    @inlinable @inline(__always)
    static func sum(_ a: _CompensatedSum, _ b: _CompensatedSum) -> Double {
        var c = a
        c.add(b.hi)
        c.lo = c.up ? Double.addUp(c.lo, b.lo) : Double.addDown(c.lo, b.lo)
        return c.value
    }
}
