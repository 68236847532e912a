import CertmaxNumerics
import Foundation

// Sound enclosures of cos and sin over an interval, used by the complex exponential.
//
// Error rule: glibc's cos/sin are not proven correctly rounded (glibc's table lists a
// maximal known error of 1 ulp). Like `Double.expDown/expUp` (SoundElementary.swift) the
// libm value at one Double point m is widened by 2 ulps per side. An interval
// [m - h, m + h] is then handled by the exact addition theorems
//     cos(m + d) = cos m cos d - sin m sin d,   sin(m + d) = sin m cos d + cos m sin d,
// with the exact facts cos d in [1 - h^2/2, 1] and sin d in [-min(h, 1), min(h, 1)]
// for |d| <= h, evaluated in outward-rounded interval arithmetic, and intersected with
// [-1, 1]. The result contains cos/sin of every point of the interval; its width is
// about 2h|sin m| + h^2/2 (first order in h, as the true range is).

extension Interval {
    /// An enclosure of `cos(m)` for one Double `m` (libm widened by 2 ulps per side).
    @inlinable
    static func _cosPoint(_ m: Double) -> Interval {
        if m == 0 { return .one }
        let c = Foundation.cos(m)
        return Interval(uncheckedLower: Swift.max(c.nextDown.nextDown, -1), upper: Swift.min(c.nextUp.nextUp, 1))
    }

    /// An enclosure of `sin(m)` for one Double `m` (libm widened by 2 ulps per side).
    @inlinable
    static func _sinPoint(_ m: Double) -> Interval {
        if m == 0 { return .zero }
        let s = Foundation.sin(m)
        return Interval(uncheckedLower: Swift.max(s.nextDown.nextDown, -1), upper: Swift.min(s.nextUp.nextUp, 1))
    }

    /// Enclosures of cos and sin of every point of the interval (see the file comment).
    ///
    /// Edge Cases: an unbounded interval or one of radius >= 4 gives [-1, 1] for both;
    /// empty gives empty.
    @inlinable
    func _cosSin() -> (cos: Interval, sin: Interval) {
        if isEmpty { return (.empty, .empty) }
        let unit = Interval(uncheckedLower: -1, upper: 1)
        if !isBounded { return (unit, unit) }
        let m = midpoint
        let h = Swift.max(Double.subUp(m, lower), Double.subUp(upper, m))
        if h >= 4 { return (unit, unit) }
        let cm = Interval._cosPoint(m), sm = Interval._sinPoint(m)
        if h == 0 { return (cm, sm) }
        let cosD = Interval(uncheckedLower: Swift.max(Double.subDown(1, Double.mulUp(Double.mulUp(h, h), 0.5)), -1), upper: 1)
        let sh = Swift.min(h, 1)
        let sinD = Interval(uncheckedLower: -sh, upper: sh)
        let c = (cm * cosD - sm * sinD).intersection(unit)
        let s = (sm * cosD + cm * sinD).intersection(unit)
        return (c, s)
    }
}
