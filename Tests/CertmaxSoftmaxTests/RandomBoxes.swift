import TestSupport

/// A random softmax box test case.
struct BoxCase: CustomStringConvertible {
    var c: [Double]
    var lower: [Double]
    var upper: [Double]
    var temperature: Double
    var description: String { "c=\(c) lower=\(lower) upper=\(upper) T=\(temperature)" }
}

extension SeededGenerator {
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    mutating func int(_ a: Int, _ b: Int) -> Int { a + Int(next() % UInt64(b - a + 1)) }

    /// K in kRange, widths in [0, 50], centres in [-1000, 1000]: either one common centre with
    /// per-coordinate offsets of a random scale (0 .. 1000), or independent centres; some
    /// widths exactly 0; coefficients with ties, mixed signs, or large magnitudes; T = 1
    /// mostly, else in [0.05, 20].
    mutating func boxCase(k kRange: ClosedRange<Int> = 1...64) -> BoxCase {
        let K = int(kRange.lowerBound, kRange.upperBound)
        let centre = uniform(-1000, 1000)
        let spreads: [Double] = [0, 0.5, 3, 20, 100, 1000]
        let spread = spreads[int(0, spreads.count - 1)]
        let maxWidth = [0, 1e-9, 0.5, 5, 50][int(0, 4)] * unit() + (int(0, 3) == 0 ? 50 * unit() : 0)
        var l = [Double](), u = [Double](), c = [Double]()
        let cMode = int(0, 4)
        for _ in 0..<K {
            let m = spread >= 1000 ? uniform(-1000, 1000) : centre + uniform(-spread, spread)
            let w = int(0, 5) == 0 ? 0 : Swift.min(maxWidth * unit(), 50)
            let lo = m - w / 2
            l.append(lo); u.append(Swift.max(lo + w, lo))
            switch cMode {
            case 0: c.append(Double(int(-2, 2)))              // ties
            case 1: c.append(uniform(-1, 1))
            case 2: c.append(uniform(0, 1))                   // nonnegative
            case 3: c.append(uniform(-1e6, 1e6))              // large magnitudes
            default: c.append(uniform(-3, 3) * (int(0, 1) == 0 ? 1 : 1e-8))
            }
        }
        let t = int(0, 4) == 0 ? uniform(0.05, 20) : 1
        return BoxCase(c: c, lower: l, upper: u, temperature: t)
    }
}
