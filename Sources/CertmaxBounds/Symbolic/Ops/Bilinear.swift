import CertmaxNumerics

/// Centre and radius of a box element: c = fl(midpoint) and r >= max(c - l, u - c)
/// (rounded up), so [l, u] is inside [c - r, c + r]. Nil when an end is not finite.
@inlinable func centreRadius(_ x: Interval) -> (c: Double, r: Double)? {
    guard x.lower.isFinite, x.upper.isFinite, x.lower <= x.upper else { return nil }
    let m = min(max(x.lower / 2 + x.upper / 2, x.lower), x.upper)
    return (m, max(Double.subUp(m, x.lower), Double.subUp(x.upper, m)))
}

/// The bilinear relaxation every product of two variables uses (midpoint McCormick, the
/// average of the two McCormick planes on each side): for any doubles xc, yc,
///
///     x * y = xc * y + yc * x - xc * yc + (x - xc)(y - yc)
///
/// exactly, and for x in [xc - rx, xc + rx], y in [yc - ry, yc + ry] the last term lies in
/// [-rx ry, rx ry]. So with slopes (yc on x, xc on y) the remainder is
/// -xc*yc + [-rx ry, rx ry], computed here in outward-rounded intervals.
@inlinable func bilinearRemainder(_ x: (c: Double, r: Double), _ y: (c: Double, r: Double)) -> Interval {
    let e = Double.mulUp(x.r, y.r)
    return Interval(uncheckedLower: -e, upper: e) - Interval(x.c) * Interval(y.c)
}
