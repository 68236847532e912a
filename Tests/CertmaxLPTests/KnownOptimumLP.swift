import CertmaxLP
import CertmaxNumerics
import TestSupport

/// A random LP built from a KKT certificate so that its exact optimum is known:
/// an exactly feasible x*, multipliers y* and reduced costs d* with the signs optimality
/// needs, and c = A^T y* + d*. All data are small dyadic numbers chosen so that every
/// product and sum involved is exact in Double (checked in MPFR), hence x* is exactly
/// optimal for the stored Double LP and the optimum c.x* is computed exactly in MPFR.
struct KnownOptimumLP {
    var lp: LinearProgram
    /// The exact optimum in the LP's direction.
    var optimum: BigFloat
    var description: String

    enum Style { case wellConditioned, nearlyDegenerate, badlyScaled }

    /// Exact value of sum a_k b_k at 1024 bits (exact for these dyadic data).
    static func exactDot(_ a: [Double], _ b: [Double]) -> BigFloat {
        var s = BigFloat(0.0, precision: 1024)
        for (x, y) in zip(a, b) {
            s = s.adding(BigFloat(x, precision: 1024).multiplied(by: BigFloat(y, precision: 1024), precision: 1024), precision: 1024)
        }
        return s
    }

    static func isDouble(_ x: BigFloat) -> Bool { x.double(.down) == x.double(.up) }

    /// Returns nil when a draw did not give exactly representable data (caller redraws).
    static func make(_ rng: inout SeededGenerator, style: Style, maximize: Bool) -> KnownOptimumLP? {
        let n = Int.random(in: 3...14, using: &rng)
        let m = Int.random(in: n...(2 * n + 2), using: &rng)
        var xl = [Double](), xu = [Double](), x = [Double](), d = [Double]()
        for _ in 0..<n {
            let a = Double(Int.random(in: -4...3, using: &rng))
            let b = a + Double(Int.random(in: 1...4, using: &rng))
            xl.append(a); xu.append(b)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: x.append(a); d.append(Double(Int.random(in: 0...3, using: &rng)))
            case 1: x.append(b); d.append(-Double(Int.random(in: 0...3, using: &rng)))
            default: x.append(a + Double(Int.random(in: 1...15, using: &rng)) / 16 * (b - a)); d.append(0)
            }
        }
        var rows: [[Double]] = [], bl: [Double] = [], bu: [Double] = [], y: [Double] = []
        let eps = 0x1p-40
        for _ in 0..<m {
            var a = [Double](repeating: 0, count: n)
            for j in 0..<n where Int.random(in: 0..<3, using: &rng) != 0 {
                switch style {
                case .wellConditioned, .badlyScaled: a[j] = Double(Int.random(in: -5...5, using: &rng))
                case .nearlyDegenerate: a[j] = 1 + Double(Int.random(in: -3...3, using: &rng)) * eps
                }
            }
            let r = exactDot(a, x)
            guard isDouble(r) else { return nil }
            let act = r.double()
            var rowScale = 1.0
            if style == .badlyScaled { rowScale = [0x1p-20, 0x1p-8, 1, 0x1p12, 0x1p24][Int.random(in: 0..<5, using: &rng)] }
            a = a.map { $0 * rowScale }
            let ar = act * rowScale
            var yi = 0.0
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bl.append(ar); bu.append(Bool.random(using: &rng) ? .infinity : ar + rowScale); yi = Double(Int.random(in: 0...3, using: &rng))
            case 1: bu.append(ar); bl.append(Bool.random(using: &rng) ? -.infinity : ar - rowScale); yi = -Double(Int.random(in: 0...3, using: &rng))
            case 2: bl.append(ar); bu.append(ar); yi = Double(Int.random(in: -2...2, using: &rng))
            default: bl.append(ar - rowScale); bu.append(Bool.random(using: &rng) ? .infinity : ar + 2 * rowScale)
            }
            y.append(yi / rowScale)
            rows.append(a)
        }
        // c = A^T y + d, exactly.
        var c = [Double]()
        for j in 0..<n {
            let cj = exactDot(rows.map { $0[j] } + [1], y + [d[j]])
            guard isDouble(cj) else { return nil }
            c.append(cj.double())
        }
        var lp = LinearProgram(direction: maximize ? .maximize : .minimize)
        for j in 0..<n { lp.addColumn(lower: xl[j], upper: xu[j], objective: maximize ? -c[j] : c[j]) }
        for i in 0..<m {
            let cols = (0..<n).filter { rows[i][$0] != 0 }
            lp.addRow(lower: bl[i], upper: bu[i], columns: cols, values: cols.map { rows[i][$0] })
        }
        var opt = exactDot(c, x)
        if maximize { opt = opt.negated() }
        return KnownOptimumLP(lp: lp, optimum: opt, description: "style \(style) n \(n) m \(m) max \(maximize) c \(c) x* \(x)")
    }
}
