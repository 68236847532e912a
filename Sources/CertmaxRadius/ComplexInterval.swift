import CertmaxNumerics

/// A rectangle `re + i im` of complex numbers with `Interval` sides.
///
/// Every operation returns a rectangle containing the exact set-based result: for
/// `x in X`, `y in Y`, the exact `x op y` lies in `X op Y`. Products use the rectangular
/// formula `(a + ib)(c + id) = (ac - bd) + i(ad + bc)` with each real product in outward
/// rounded interval arithmetic, so the result contains the (non-rectangular) exact image.
/// Empty sides propagate.
@frozen
public struct ComplexInterval: Hashable, Sendable {
    public var re: Interval
    public var im: Interval

    @inlinable public init(re: Interval, im: Interval) {
        self.re = re
        self.im = im
    }

    /// The point `x + iy` (finite Doubles).
    @inlinable public init(_ x: Double, _ y: Double) {
        re = Interval(x)
        im = Interval(y)
    }

    public static let zero = ComplexInterval(re: .zero, im: .zero)

    /// True when the rectangle contains 0.
    @inlinable public var containsZero: Bool { re.contains(0) && im.contains(0) }

    /// True when `x + iy` lies in the rectangle.
    @inlinable public func contains(_ x: Double, _ y: Double) -> Bool { re.contains(x) && im.contains(y) }

    /// The centre (midpoints of both sides).
    @inlinable public var center: (re: Double, im: Double) { (re.midpoint, im.midpoint) }

    /// An upper bound of max |w| over the rectangle.
    @inlinable public var magnitudeUpper: Double {
        let x = re.magnitude, y = im.magnitude
        return Double.sqrtUp(Double.addUp(Double.mulUp(x, x), Double.mulUp(y, y)))
    }

    /// A lower bound of min |w| over the rectangle.
    @inlinable public var magnitudeLower: Double {
        let x = re.mignitude, y = im.mignitude
        return Double.sqrtDown(Double.addDown(Double.mulDown(x, x), Double.mulDown(y, y)))
    }

    @inlinable public static func + (a: ComplexInterval, b: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: a.re + b.re, im: a.im + b.im)
    }

    @inlinable public static func - (a: ComplexInterval, b: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: a.re - b.re, im: a.im - b.im)
    }

    @inlinable public static prefix func - (a: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: -a.re, im: -a.im)
    }

    @inlinable public static func * (a: ComplexInterval, b: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
    }

    /// A real interval times a complex rectangle.
    @inlinable public static func * (s: Interval, a: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: s * a.re, im: s * a.im)
    }

    @inlinable public static func += (a: inout ComplexInterval, b: ComplexInterval) { a = a + b }

    /// The hull of two rectangles.
    @inlinable public func hull(_ o: ComplexInterval) -> ComplexInterval {
        ComplexInterval(re: re.hull(o.re), im: im.hull(o.im))
    }

    /// e^w for every w in the rectangle: e^{re} (cos im + i sin im), each factor enclosed.
    @inlinable public func exp() -> ComplexInterval {
        let m = re.exp()
        let (c, s) = im._cosSin()
        return ComplexInterval(re: m * c, im: m * s)
    }
}

extension ComplexInterval: CustomStringConvertible {
    public var description: String { "\(re) + i\(im)" }
}
