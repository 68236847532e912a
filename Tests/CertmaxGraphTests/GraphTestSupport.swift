import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

// Shared helpers of the graph tests: seeded tensors with values of very different
// magnitudes, an independent numpy-style index reference (no ShapeMath), and a rigorous
// MPFR oracle (BigInterval, 256 bits, outward rounded at every operation) for the exact
// real result of each op. Nothing here is used by Sources.

/// Oracle precision (project rule: >= 200 bits).
let oracleBits = 256

// MARK: - Seeded inputs

extension SeededGenerator {
    /// Uniform integer in `r`.
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }

    /// Uniform Double in [a, b].
    mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a...b, using: &self) }

    /// A value of random sign and magnitude 2^e * [1, 2) with e in -spread...spread; one
    /// in 10 is exactly 0 and one in 10 a small integer, so rounding matters (different
    /// magnitudes in one sum) and exact cases occur.
    mutating func value(spread: Int = 20, zeros: Bool = true) -> Double {
        switch next() % 10 {
        case 0 where zeros: return 0
        case 1:
            let i = int(-4...4)
            return Double(i == 0 && !zeros ? 1 : i)
        default:
            let m = uniform(1, 2)
            let e = int(-spread...spread)
            return (next() & 1 == 0 ? 1 : -1) * m * Double(sign: .plus, exponent: e, significand: 1)
        }
    }

    /// A random shape of the given rank with dimensions in `dims`.
    mutating func shape(rank: Int, dims: ClosedRange<Int> = 1...4) -> [Int] { (0..<rank).map { _ in int(dims) } }

    /// A tensor of `value(spread:)` entries.
    mutating func tensor(_ shape: [Int], spread: Int = 20, zeros: Bool = true) -> Tensor<Double> {
        Tensor(uncheckedShape: shape, data: (0..<shape.reduce(1, *)).map { _ in value(spread: spread, zeros: zeros) })
    }

    /// A tensor of uniform entries in [a, b].
    mutating func uniformTensor(_ shape: [Int], _ a: Double, _ b: Double) -> Tensor<Double> {
        Tensor(uncheckedShape: shape, data: (0..<shape.reduce(1, *)).map { _ in uniform(a, b) })
    }

    /// A small box around each entry of `center`: radius |c| 2^-k (k in 1...30) or an
    /// absolute radius 2^-k, sometimes 0 (a point coordinate).
    mutating func box(around center: Tensor<Double>) -> Tensor<Interval> {
        center.map { c in
            let r: Double
            switch next() % 4 {
            case 0: r = 0
            case 1: r = Double(sign: .plus, exponent: -int(1...30), significand: 1)
            default: r = c.magnitude * Double(sign: .plus, exponent: -int(1...30), significand: 1)
            }
            return Interval(uncheckedLower: Double.subDown(c, r), upper: Double.addUp(c, r))
        }
    }

    /// A point of the box: a random vertex (`vertex`) or a uniform interior point.
    mutating func point(in box: Tensor<Interval>, vertex: Bool) -> Tensor<Double> {
        box.map { iv in
            if vertex { return next() & 1 == 0 ? iv.lower : iv.upper }
            let t = uniform(0, 1)
            return Swift.min(Swift.max(iv.lower + t * (iv.upper - iv.lower), iv.lower), iv.upper)
        }
    }
}

/// Compact text of a tensor for failure messages (17 significant digits).
func describe(_ t: Tensor<Double>) -> String { "shape \(t.shape) data \(t.data.map { $0.description })" }
func describe(_ t: Tensor<Interval>) -> String { "shape \(t.shape) data \(t.data.map { $0.description })" }

// MARK: - Independent index reference (numpy semantics)

/// Row-major multi-index of flat index `k` in `shape`.
func multiIndex(_ k: Int, _ shape: [Int]) -> [Int] {
    var idx = [Int](repeating: 0, count: shape.count)
    var r = k
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        idx[d] = r % shape[d]; r /= shape[d]
    }
    return idx
}

/// Flat index of `idx` in `shape`.
func flatIndex(_ idx: [Int], _ shape: [Int]) -> Int {
    var k = 0
    for d in 0..<shape.count { k = k * shape[d] + idx[d] }
    return k
}

/// The numpy broadcast of shapes, written out independently of ShapeMath.
func refBroadcast(_ shapes: [[Int]]) -> [Int]? {
    let r = shapes.map(\.count).max() ?? 0
    var out = [Int](repeating: 1, count: r)
    for s in shapes {
        for (i, d) in s.enumerated() {
            let o = r - s.count + i
            if out[o] == 1 { out[o] = d } else if d != 1 && d != out[o] { return nil }
        }
    }
    return out
}

/// The flat index in an operand of shape `inShape` of the element broadcast to the
/// output multi-index `outIdx` (right-aligned; size-1 dimensions repeat).
func broadcastSource(_ outIdx: [Int], _ inShape: [Int]) -> Int {
    let off = outIdx.count - inShape.count
    var k = 0
    for d in 0..<inShape.count { k = k * inShape[d] + (inShape[d] == 1 ? 0 : outIdx[off + d]) }
    return k
}

// MARK: - MPFR oracle

typealias BI = BigInterval

extension BigInterval {
    /// The exact Double `x` at the oracle precision.
    static func of(_ x: Double) -> BigInterval { BigInterval(x, precision: oracleBits) }
    static var zeroBI: BigInterval { .of(0) }

    /// erf, tanh (increasing): ends rounded outward by MPFR.
    func erfBI() -> BigInterval { BigInterval(lower: lower.erf(rounding: .down), upper: upper.erf(rounding: .up), precision: precision) }
    func tanhBI() -> BigInterval { BigInterval(lower: lower.tanh(rounding: .down), upper: upper.tanh(rounding: .up), precision: precision) }
    /// sqrt; the operand must be >= 0.
    func sqrtBI() -> BigInterval { squareRoot()! }
    /// Division; the divisor must not contain 0.
    func div(_ b: BigInterval) -> BigInterval { (self / b)! }
    /// The sum of `terms` (exact enclosure).
    static func sum(_ terms: [BigInterval]) -> BigInterval { terms.reduce(.zeroBI, +) }

    /// An enclosure of sqrt(2).
    static var sqrt2: BigInterval {
        let two = BigFloat(2, precision: oracleBits)
        return BigInterval(lower: two.squareRoot(rounding: .down), upper: two.squareRoot(rounding: .up), precision: oracleBits)
    }
    /// 1 / (1 + e^-x).
    func sigmoidBI() -> BigInterval { BI.of(1).div(BI.of(1) + (-self).exp()) }
    /// x Phi(x) = x (1 + erf(x / sqrt 2)) / 2.
    func geluBI() -> BigInterval { self * (BI.of(1) + self.div(.sqrt2).erfBI()) * .of(0.5) }
    func reluBI() -> BigInterval {
        let z = BigFloat(0, precision: oracleBits)
        return BigInterval(lower: lower > z ? lower : z, upper: upper > z ? upper : z, precision: precision)
    }
    /// x^n for an integer n (x != 0 when n < 0), by repeated exact-enclosure products.
    func pownBI(_ n: Int) -> BigInterval {
        var r = BI.of(1)
        for _ in 0..<abs(n) { r = r * self }
        return n < 0 ? BI.of(1).div(r) : r
    }
}

/// True when the Double interval `d` contains the whole exact enclosure `b` (hence the
/// exact real value): the containment test of every oracle check.
func encloses(_ d: Interval, _ b: BigInterval) -> Bool {
    !d.isEmpty && !d.lower.isNaN && !d.upper.isNaN && b.lower >= d.lower && b.upper <= d.upper
}

/// Checks elementwise that `got` contains the exact values enclosed by `exact`; records
/// at most 3 failures with `context()` (seed, case, inputs). Returns the number of checks.
@discardableResult
func expectEncloses(_ got: Tensor<Interval>, _ exact: [BigInterval], shape: [Int], _ what: String,
                    context: () -> String) -> Int {
    #expect(got.shape == shape, "\(what): shape \(got.shape), expected \(shape); \(context())")
    guard got.count == exact.count else {
        Issue.record("\(what): \(got.count) elements, expected \(exact.count); \(context())")
        return 0
    }
    var failures = 0
    for k in 0..<exact.count where !encloses(got.data[k], exact[k]) {
        failures += 1
        if failures <= 3 {
            Issue.record("\(what): element \(k) = \(got.data[k]) does not contain the exact value \(exact[k]); \(context())")
        }
    }
    return exact.count
}
