import CMPFR

/// A rounding direction for MPFR operations.
public enum RoundingDirection: Sendable {
    case nearest, down, up, towardZero

    @usableFromInline var mpfr: mpfr_rnd_t {
        switch self {
        case .nearest: return MPFR_RNDN
        case .down: return MPFR_RNDD
        case .up: return MPFR_RNDU
        case .towardZero: return MPFR_RNDZ
        }
    }
}

/// An arbitrary-precision binary floating-point number backed by MPFR.
///
/// Immutable: every operation returns a new value whose precision is given explicitly
/// (default: the larger precision of the operands) and whose result is the *correctly
/// rounded* value of the exact real result in the requested direction (MPFR's
/// guarantee, for every operation here including exp/log/expm1/log1p).
///
/// Memory: the MPFR storage is owned by the object and freed in `deinit`.
/// Thread safety: values are never mutated after construction, so sharing across
/// threads is safe (MPFR keeps its caches per thread).
public final class BigFloat: @unchecked Sendable {
    @usableFromInline let p: UnsafeMutablePointer<__mpfr_struct>

    /// The precisions MPFR is asked for: every `precision:` argument of this type (and of
    /// `BigInterval`) is clamped into this range, never trapped on. Below 2 bits (MPFR's
    /// minimum; 0 and negative values included) the result is more precise than asked;
    /// above 2^20 bits (MPFR would abort or allocate without bound at its own maximum,
    /// ~2^63) it is less precise than asked but still correctly rounded in the requested
    /// direction, so directed (outward) enclosures stay sound, only wider, and every
    /// Double stays exact (2^20 >= 53). Entry points that take a user's precision reject
    /// values outside `ArgumentCheck.precisionRange` with an `InputError` first.
    public static let precisionRange = 2...(1 << 20)

    /// A NaN of the given precision (MPFR's initial value); only used internally before
    /// a value is set. The precision is clamped into `precisionRange` (never traps).
    @usableFromInline init(precision: Int) {
        let bits = Swift.min(Swift.max(precision, Self.precisionRange.lowerBound), Self.precisionRange.upperBound)
        p = .allocate(capacity: 1)
        mpfr_init2(p, mpfr_prec_t(bits))
    }

    deinit {
        mpfr_clear(p)
        p.deallocate()
    }

    /// The exact value of `x` (precision >= 53 keeps every Double exact).
    public convenience init(_ x: Double, precision: Int = 256) {
        self.init(precision: precision)
        mpfr_set_d(p, x, MPFR_RNDN)
    }

    /// The exact value of the integer `n` if it fits the precision, else rounded to nearest.
    public convenience init(_ n: Int, precision: Int = 256) {
        self.init(precision: precision)
        mpfr_set_si(p, n, MPFR_RNDN)
    }

    /// Parses a decimal or hexadecimal-float string (MPFR syntax, e.g. "0.1", "0x1.8p3",
    /// "-inf"), rounded in `rounding`. Returns nil if the string is not a number.
    public convenience init?(_ text: String, precision: Int = 256, rounding: RoundingDirection = .nearest) {
        self.init(precision: precision)
        var end: UnsafeMutablePointer<CChar>? = nil
        let ok = text.withCString { s -> Bool in
            mpfr_strtofr(p, s, &end, 0, rounding.mpfr)
            return end != nil && end!.pointee == 0 && end! != UnsafeMutablePointer(mutating: s)
        }
        if !ok { return nil }
    }

    /// The precision in bits.
    public var precision: Int { Int(cm_mpfr_get_prec(p)) }
    public var isNaN: Bool { cm_mpfr_nan_p(p) != 0 }
    public var isInfinite: Bool { cm_mpfr_inf_p(p) != 0 }
    public var isZero: Bool { cm_mpfr_zero_p(p) != 0 }
    /// -1, 0 or 1 (0 for NaN).
    public var signum: Int { Int(cm_mpfr_sgn(p)) }

    /// The value rounded to a Double in the given direction (correct rounding, subnormals
    /// and overflow included: rounding up past the largest finite gives +inf).
    public func double(_ rounding: RoundingDirection = .nearest) -> Double {
        mpfr_get_d(p, rounding.mpfr)
    }

    /// Decimal text with `digits` significant digits, rounded in `rounding`.
    public func text(digits: Int = 25, rounding: RoundingDirection = .nearest) -> String {
        var buf = [CChar](repeating: 0, count: digits + 32)
        _ = cm_mpfr_to_string(&buf, buf.count, Int32(digits), p, rounding.mpfr)
        return String(cString: buf)
    }

    // MARK: Operations (correctly rounded)

    @usableFromInline static func binary(
        _ a: BigFloat, _ b: BigFloat, _ precision: Int?, _ rounding: RoundingDirection,
        _ op: (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32
    ) -> BigFloat {
        let r = BigFloat(precision: precision ?? Swift.max(a.precision, b.precision))
        _ = op(r.p, a.p, b.p, rounding.mpfr)
        return r
    }

    @usableFromInline func unary(
        _ precision: Int?, _ rounding: RoundingDirection,
        _ op: (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32
    ) -> BigFloat {
        let r = BigFloat(precision: precision ?? self.precision)
        _ = op(r.p, p, rounding.mpfr)
        return r
    }

    public func adding(_ b: BigFloat, rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        Self.binary(self, b, precision, rounding, mpfr_add)
    }
    public func subtracting(_ b: BigFloat, rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        Self.binary(self, b, precision, rounding, mpfr_sub)
    }
    public func multiplied(by b: BigFloat, rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        Self.binary(self, b, precision, rounding, mpfr_mul)
    }
    public func divided(by b: BigFloat, rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        Self.binary(self, b, precision, rounding, mpfr_div)
    }
    public func squareRoot(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_sqrt)
    }
    public func exp(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_exp)
    }
    public func expm1(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_expm1)
    }
    public func log(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_log)
    }
    public func log1p(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_log1p)
    }
    public func negated() -> BigFloat { unary(nil, .nearest, mpfr_neg) }
    public func magnitude() -> BigFloat { unary(nil, .nearest, mpfr_abs) }

    /// pi rounded in `rounding`.
    public static func pi(precision: Int = 256, rounding: RoundingDirection = .nearest) -> BigFloat {
        let r = BigFloat(precision: precision)
        _ = mpfr_const_pi(r.p, rounding.mpfr)
        return r
    }

    /// sin, cos (correctly rounded); used by complex-analysis oracles.
    public func sin(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_sin)
    }
    public func cos(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_cos)
    }
    public func atan2(_ x: BigFloat, rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        Self.binary(self, x, precision, rounding, mpfr_atan2)
    }

    /// erf, tanh (correctly rounded); oracles of the activation-function bounds.
    public func erf(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_erf)
    }
    public func tanh(rounding: RoundingDirection = .nearest, precision: Int? = nil) -> BigFloat {
        unary(precision, rounding, mpfr_tanh)
    }
}

extension BigFloat: Comparable {
    /// NaN compares unequal and unordered to everything (like Double).
    public static func == (a: BigFloat, b: BigFloat) -> Bool { mpfr_equal_p(a.p, b.p) != 0 }
    public static func < (a: BigFloat, b: BigFloat) -> Bool { mpfr_less_p(a.p, b.p) != 0 }
    public static func <= (a: BigFloat, b: BigFloat) -> Bool { mpfr_lessequal_p(a.p, b.p) != 0 }
    public static func > (a: BigFloat, b: BigFloat) -> Bool { mpfr_greater_p(a.p, b.p) != 0 }
    public static func >= (a: BigFloat, b: BigFloat) -> Bool { mpfr_greaterequal_p(a.p, b.p) != 0 }
    /// Exact comparison with a Double.
    public static func < (a: BigFloat, b: Double) -> Bool { a < BigFloat(b, precision: 64) }
    public static func <= (a: BigFloat, b: Double) -> Bool { a <= BigFloat(b, precision: 64) }
    public static func > (a: BigFloat, b: Double) -> Bool { a > BigFloat(b, precision: 64) }
    public static func >= (a: BigFloat, b: Double) -> Bool { a >= BigFloat(b, precision: 64) }
}

extension BigFloat: CustomStringConvertible {
    public var description: String { text() }
}

extension BigFloat {
    public static func + (a: BigFloat, b: BigFloat) -> BigFloat { a.adding(b) }
    public static func - (a: BigFloat, b: BigFloat) -> BigFloat { a.subtracting(b) }
    public static func * (a: BigFloat, b: BigFloat) -> BigFloat { a.multiplied(by: b) }
    public static func / (a: BigFloat, b: BigFloat) -> BigFloat { a.divided(by: b) }
    public static prefix func - (a: BigFloat) -> BigFloat { a.negated() }
}
