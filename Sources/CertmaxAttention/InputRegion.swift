import CertmaxIO
import CertmaxNumerics

/// The perturbation region of an attention layer's input: the set of real matrices X
/// ([T, d]) with |X[t, i] - center[t, i]| <= radius[t, i] for every entry (an L-inf ball
/// with per-entry radii; radius 0 keeps an entry fixed). An explicit box [lower, upper]
/// is turned into a center and a radius that cover it (center rounded to nearest, radius
/// rounded up), so the region then contains the box.
public struct InputRegion: Sendable, Equatable {
    public let center: Matrix
    /// Non-negative, finite, same shape as `center`.
    public let radius: Matrix
    /// For a region made from an explicit box: the box itself. The bounds cover the
    /// center/radius form (which contains the box); `contains` and `project` use the box,
    /// so a counterexample lies in the box the user gave.
    public private(set) var boxLower: Matrix? = nil
    public private(set) var boxUpper: Matrix? = nil

    public var tokens: Int { center.rows }
    public var dimension: Int { center.cols }

    /// - Throws: `InputError` (source `source`) when shapes differ or a radius is
    ///   negative or not finite, or a center entry is not finite.
    public init(center: Matrix, radius: Matrix, source: String = "<region>") throws(InputError) {
        guard center.rows == radius.rows, center.cols == radius.cols else {
            throw InputError(source: source, location: "perturbation", problem: "radius shape \(radius.rows)x\(radius.cols) differs from input shape \(center.rows)x\(center.cols)")
        }
        guard center.rows >= 1, center.cols >= 1 else {
            throw InputError(source: source, location: "input", problem: "empty input")
        }
        for (n, v) in center.data.enumerated() where !v.isFinite {
            throw InputError(source: source, location: "input[\(n / center.cols)][\(n % center.cols)]", problem: "not a finite number")
        }
        for (n, r) in radius.data.enumerated() where !(r.isFinite && r >= 0) {
            throw InputError(source: source, location: "perturbation[\(n / center.cols)][\(n % center.cols)]", problem: "radius must be finite and >= 0")
        }
        self.center = center
        self.radius = radius
    }

    /// The smallest center/radius region (in this representation) containing the box.
    /// - Throws: `InputError` if shapes differ, an entry is not finite or lower > upper.
    public init(lower: Matrix, upper: Matrix, source: String = "<region>") throws(InputError) {
        guard lower.rows == upper.rows, lower.cols == upper.cols else {
            throw InputError(source: source, location: "box", problem: "lower and upper shapes differ")
        }
        var c = lower, r = lower
        for n in 0..<lower.data.count {
            let lo = lower.data[n], hi = upper.data[n]
            guard lo.isFinite, hi.isFinite else {
                throw InputError(source: source, location: "box[\(n / lower.cols)][\(n % lower.cols)]", problem: "not a finite number")
            }
            guard lo <= hi else {
                throw InputError(source: source, location: "box[\(n / lower.cols)][\(n % lower.cols)]", problem: "lower \(lo) > upper \(hi)")
            }
            let mid = lo == hi ? lo : lo / 2 + hi / 2
            c.data[n] = mid
            r.data[n] = Swift.max(Double.subUp(hi, mid), Double.subUp(mid, lo))
        }
        try self.init(center: c, radius: r, source: source)
        boxLower = lower
        boxUpper = upper
    }

    /// Whether the point `x` lies in the region, decided exactly (a point the test
    /// cannot decide with directed rounding is reported as outside).
    public func contains(_ x: Matrix) -> Bool {
        guard x.rows == center.rows, x.cols == center.cols else { return false }
        if let lo = boxLower, let hi = boxUpper {
            for n in 0..<x.data.count where !(lo.data[n] <= x.data[n] && x.data[n] <= hi.data[n]) { return false }
        }
        for n in 0..<x.data.count {
            let d = x.data[n], c = center.data[n], r = radius.data[n]
            if !(Double.subUp(d, c) <= r && Double.subDown(d, c) >= -r) { return false }
        }
        return true
    }

    /// Projects a point onto the region (coordinate-wise clamping), then nudges entries
    /// that the exact test cannot confirm toward the center until `contains` holds.
    public func project(_ x: Matrix) -> Matrix {
        var y = x
        for n in 0..<y.data.count {
            let c = center.data[n], r = radius.data[n]
            var v = Swift.min(Swift.max(y.data[n], c - r), c + r)
            if !v.isFinite { v = c }
            if let lo = boxLower, let hi = boxUpper { v = Swift.min(Swift.max(v, lo.data[n]), hi.data[n]) }
            while !(Double.subUp(v, c) <= r && Double.subDown(v, c) >= -r) {
                v = v > c ? v.nextDown : v.nextUp
            }
            y.data[n] = v
        }
        return y
    }

    /// Perturbed entries (radius > 0) of token `t`, as column indices.
    public func perturbedDimensions(ofToken t: Int) -> [Int] {
        (0..<dimension).filter { radius[t, $0] > 0 }
    }

    /// The number of perturbed entries.
    public var perturbedCount: Int { radius.data.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
}
