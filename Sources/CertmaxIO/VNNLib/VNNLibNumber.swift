import CertmaxNumerics

/// A number in a VNN-LIB expression: the value rounded to nearest (what other tools
/// compute from the same text) and an interval that encloses the exact real value the
/// text denotes.
///
/// Decimal literals such as `0.1` are not Doubles; the enclosure keeps the verdicts
/// sound anyway: a literal exactly representable as a Double is a point, any other one
/// is `[d.nextDown, d.nextUp]` around its correctly rounded value `d`, and sums and
/// products round outward.
struct VNNLibNumber: Sendable {
    /// Round-to-nearest value (the arithmetic a plain parser would do).
    var value: Double
    /// Encloses the exact real value.
    var enclosure: Interval

    static let zero = VNNLibNumber(value: 0, enclosure: .zero)
    static let one = VNNLibNumber(value: 1, enclosure: .one)

    static func + (a: VNNLibNumber, b: VNNLibNumber) -> VNNLibNumber {
        VNNLibNumber(value: a.value + b.value,
                     enclosure: Interval(uncheckedLower: .addDown(a.enclosure.lower, b.enclosure.lower),
                                         upper: .addUp(a.enclosure.upper, b.enclosure.upper)))
    }

    static prefix func - (a: VNNLibNumber) -> VNNLibNumber {
        VNNLibNumber(value: -a.value, enclosure: Interval(uncheckedLower: -a.enclosure.upper, upper: -a.enclosure.lower))
    }

    static func - (a: VNNLibNumber, b: VNNLibNumber) -> VNNLibNumber { a + (-b) }

    static func * (a: VNNLibNumber, b: VNNLibNumber) -> VNNLibNumber {
        let (x, y) = (a.enclosure, b.enclosure)
        // Finite operands only (literals are checked finite), so no 0 * inf.
        let lo = Swift.min(Double.mulDown(x.lower, y.lower), Double.mulDown(x.lower, y.upper),
                           Double.mulDown(x.upper, y.lower), Double.mulDown(x.upper, y.upper))
        let hi = Swift.max(Double.mulUp(x.lower, y.lower), Double.mulUp(x.lower, y.upper),
                           Double.mulUp(x.upper, y.lower), Double.mulUp(x.upper, y.upper))
        return VNNLibNumber(value: a.value * b.value, enclosure: Interval(uncheckedLower: lo, upper: hi))
    }

    /// Whether the enclosure is a single Double (the text's value is exactly `value`).
    var isExact: Bool { enclosure.isPoint }

    /// Parses a decimal literal `[+-]?digits[.digits][(e|E)[+-]?digits]` (digits may be
    /// absent on one side of the point, not both) from `bytes[start..<end]`.
    ///
    /// Edge Cases: returns nil for anything else (hex `0x1p3`, `inf`, `nan`, `1/3`,
    /// `#b101`); a literal too large for a Double comes back with an infinite value
    /// (the caller rejects it); more than 19 significant digits or a far exponent are
    /// classified inexact (conservative, one ulp each side).
    static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> VNNLibNumber? {
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var i = start
        if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < end, isDigit(bytes[i]) { i += 1 }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < end, isDigit(bytes[i]) { i += 1 }
            fracEnd = i
        }
        guard intEnd > intStart || fracEnd > fracStart else { return nil }
        var exponent = 0
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var negative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negative = bytes[i] == UInt8(ascii: "-"); i += 1
            }
            let expStart = i
            while i < end, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - 48) }
                i += 1
            }
            guard i > expStart else { return nil }
            if negative { exponent = -exponent }
        }
        guard i == end else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let value = Double(text) else { return nil }
        if !value.isFinite { return VNNLibNumber(value: value, enclosure: Interval(uncheckedLower: value, upper: value)) }
        // The digits as one integer D (the point removed): value = D * 10^(exponent - #fraction digits).
        // Digit k of D (0-based over integer then fraction digits) is at byte position:
        let intCount = intEnd - intStart, count = intCount + (fracEnd - fracStart)
        @inline(__always) func digit(_ k: Int) -> UInt8 { bytes[k < intCount ? intStart + k : fracStart + k - intCount] - 48 }
        var first = 0
        while first < count, digit(first) == 0 { first += 1 }
        if first == count { return VNNLibNumber(value: value, enclosure: Interval(value)) }  // zero
        var last = count - 1
        while digit(last) == 0 { last -= 1 }
        var exact = false
        if last - first + 1 <= 19 {
            var m: UInt64 = 0
            for k in first...last { m = m * 10 + UInt64(digit(k)) }
            let e10 = exponent - (fracEnd - fracStart) + (count - 1 - last)
            exact = isExactlyRepresentable(mantissa: m, exponent10: e10)
        }
        if exact { return VNNLibNumber(value: value, enclosure: Interval(value)) }
        return VNNLibNumber(value: value, enclosure: Interval(uncheckedLower: value.nextDown, upper: value.nextUp))
    }

    /// Whether mantissa * 10^exponent10 is a Double (mantissa < 10^19).
    static func isExactlyRepresentable(mantissa: UInt64, exponent10: Int) -> Bool {
        if mantissa == 0 { return true }
        let limit: UInt64 = 1 << 53
        if exponent10 >= 0 {
            // m * 5^e * 2^e: exact iff the odd part of m * 5^e has at most 53 bits.
            guard exponent10 <= 27 else { return false }
            var p = mantissa
            for _ in 0..<exponent10 {
                let (r, o) = p.multipliedReportingOverflow(by: 5)
                if o { return false }
                p = r
            }
            return (p >> UInt64(p.trailingZeroBitCount)) < limit
        }
        // m / (5^n * 2^n): exact iff 5^n divides m and the odd part of m / 5^n has at most
        // 53 bits (n <= 27 keeps the binary exponent far from the subnormal range).
        let n = -exponent10
        guard n <= 27 else { return false }
        var p5: UInt64 = 1
        for _ in 0..<n { p5 *= 5 }
        guard mantissa % p5 == 0 else { return false }
        let q = mantissa / p5
        return (q >> UInt64(q.trailingZeroBitCount)) < limit
    }
}
