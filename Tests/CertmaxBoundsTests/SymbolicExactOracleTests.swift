import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import TestSupport
import Testing

/// `SymbolicEngine` against exact optima in MPFR, on linear graphs built to make floating
/// point lie: z = (X W1) W2 + (X W1) W3 with W2 and W3 nearly cancelling, so the exact
/// coefficient of each input in z is ~1e-7 of the terms it is summed from. Every dgemm
/// product (`ConstantProduct`), combination (`LinearCombination`, the Add) and objective
/// (`SymbolicEngine.lowerBound`) then carries a rounding error as large as the true
/// coefficient; the bounds are sound only through their error terms.
///
/// Oracle: z is linear, so min and max of c . z over the input box are attained at a
/// vertex and equal sum_j min/max(g_j l_j, g_j u_j) with g_j = sum_i c_i sum_k W1[j,k]
/// (W2[k,i] + W3[k,i]), evaluated in MPFR at 1024 bits (exact for these magnitudes: at most
/// four Double factors and sums over an exponent range far below 1024 bits). Checks: every
/// output box and every objective bound contains the exact optimum, and lies within a
/// small multiple of the rounding scale of it (so the test is not passed by a trivial
/// bound).
@Suite struct SymbolicExactOracleTests {
    static let precision = 1024

    struct Problem {
        var n: Int, k: Int, m: Int
        var w1: [Double], w2: [Double], w3: [Double]   // row-major [n,k], [k,m], [k,m]
        var lower: [Double], upper: [Double]
        var graph: Graph
        var output: Int
    }

    static func problem(_ rng: inout SeededGenerator, n: Int, k: Int, m: Int, centred: Bool) throws -> Problem {
        func u(_ a: Double, _ b: Double) -> Double { Double.random(in: a...b, using: &rng) }
        var w1 = [Double](repeating: 0, count: n * k)
        for j in 0..<n {
            let base = u(0.5, 2) * (Bool.random(using: &rng) ? 1 : -1)
            // Columns nearly proportional: products with W2's nearly opposite columns cancel.
            for c in 0..<k { w1[j * k + c] = base * (1 + 1e-9 * u(-1, 1)) * (c % 2 == 0 ? 1 : 1.0000001) }
        }
        var w2 = [Double](repeating: 0, count: k * m), w3 = w2
        for i in 0..<m {
            for c in 0..<k {
                let a = u(0.5, 2) * (c % 2 == 0 ? 1 : -1)
                w2[c * m + i] = a
                w3[c * m + i] = -a * (1 + 1e-7 * u(-1, 1))
            }
        }
        var lower = [Double](repeating: 0, count: n), upper = lower
        for j in 0..<n {
            let c = centred ? 0 : u(-1, 1), r = u(0.01, 0.1)
            lower[j] = c - r; upper[j] = c + r
        }
        var g = Graph()
        let x = try g.addInput(name: "X", shape: [1, n])
        let c1 = g.addConstant(name: "W1", try Tensor(shape: [n, k], data: w1))
        let c2 = g.addConstant(name: "W2", try Tensor(shape: [k, m], data: w2))
        let c3 = g.addConstant(name: "W3", try Tensor(shape: [k, m], data: w3))
        let h = try g.addNode(name: "h", op: MatMul(), inputs: [x, c1])
        let y = try g.addNode(name: "y", op: MatMul(), inputs: [h, c2])
        let w = try g.addNode(name: "w", op: MatMul(), inputs: [h, c3])
        let z = try g.addNode(name: "z", op: Add(), inputs: [y, w])
        g.outputs = [z]
        return Problem(n: n, k: k, m: m, w1: w1, w2: w2, w3: w3, lower: lower, upper: upper, graph: g, output: z)
    }

    static func big(_ d: Double) -> BigFloat { BigFloat(d, precision: precision) }

    /// Exact min and max of c . z over the box, and the rounding scale
    /// sum_j sum_i |c_i| sum_k |W1[j,k]| (|W2[k,i]| + |W3[k,i]|) max(|l_j|, |u_j|).
    static func exactRange(_ p: Problem, c: [Double]) -> (min: BigFloat, max: BigFloat, scale: Double) {
        var lo = big(0), hi = big(0)
        var scale = 0.0
        for j in 0..<p.n {
            var g = big(0)
            for i in 0..<p.m where c[i] != 0 {
                for kk in 0..<p.k {
                    let w = big(p.w1[j * p.k + kk]) * (big(p.w2[kk * p.m + i]) + big(p.w3[kk * p.m + i]))
                    g = g + big(c[i]) * w
                    scale += abs(c[i]) * abs(p.w1[j * p.k + kk]) * (abs(p.w2[kk * p.m + i]) + abs(p.w3[kk * p.m + i]))
                        * max(abs(p.lower[j]), abs(p.upper[j]))
                }
            }
            let a = g * big(p.lower[j]), b = g * big(p.upper[j])
            lo = lo + (a < b ? a : b)
            hi = hi + (a < b ? b : a)
        }
        return (lo, hi, scale)
    }

    @Test(arguments: zip([UInt64(0xE1A), 0xE1B, 0xE1C], [false, true, false]))
    func boundsContainExactOptima(seed: UInt64, centred: Bool) throws {
        var rng = SeededGenerator(seed: seed)
        var checked = 0
        for trial in 0..<6 {
            let p = try Self.problem(&rng, n: 24 + 8 * trial, k: 2 + 2 * (trial % 3), m: 5, centred: centred)
            let box = try Tensor(shape: [1, p.n], data: zip(p.lower, p.upper).map { Interval(uncheckedLower: $0, upper: $1) })
            let r = try SymbolicEngine.propagate(p.graph, inputBoxes: [box])
            let label = "seed \(seed) trial \(trial) (n \(p.n), k \(p.k), centred \(centred))"
            // Each output alone, through its box and through the objective.
            var objectives: [[Double]] = (0..<p.m).map { i in (0..<p.m).map { $0 == i ? 1 : 0 } }
            // Combinations that cancel across outputs (LinearCombination in the objective).
            for _ in 0..<4 { objectives.append((0..<p.m).map { _ in Double.random(in: -1...1, using: &rng) }) }
            for (o, c) in objectives.enumerated() {
                let exact = Self.exactRange(p, c: c)
                let lb = try SymbolicEngine.lowerBound(r, value: p.output, c: c.map { Interval($0) })
                let ub = try -SymbolicEngine.lowerBound(r, value: p.output, c: c.map { Interval(-$0) })
                let slack = 1e-9 * exact.scale
                #expect(exact.min >= Self.big(lb), "\(label) objective \(o): lower bound \(lb) above the exact minimum \(exact.min); c = \(c)")
                #expect(exact.max <= Self.big(ub), "\(label) objective \(o): upper bound \(ub) below the exact maximum \(exact.max); c = \(c)")
                #expect(lb >= exact.min.double(.down) - slack && ub <= exact.max.double(.up) + slack,
                        "\(label) objective \(o): [\(lb), \(ub)] not within \(slack) of the exact range [\(exact.min), \(exact.max)]")
                if o < p.m {
                    let b = r.boxes[p.output].data[o]
                    #expect(exact.min >= Self.big(b.lower) && exact.max <= Self.big(b.upper),
                            "\(label): z[\(o)] box \(b) excludes the exact range [\(exact.min), \(exact.max)]")
                }
                checked += 1
            }
        }
        #expect(checked == 6 * 9)
    }

    /// The objective's own combination (`LinearCombination` with weights that are not
    /// +-1): z = X W with column 0 = 0.7 column 1 + 0.3 column 2 + 1e-9 noise (in Double),
    /// c = (1, -0.7, -0.3), so each coefficient of c . z is ~1e-9 of its terms and the
    /// weighted sum's rounding error is ~1e-7 of it; centred boxes make the remainders
    /// exactly 0, so only the combination's error term keeps the bound below the optimum.
    @Test func objectiveCombinationThatCancels() throws {
        var rng = SeededGenerator(seed: 0xE1D)
        for trial in 0..<8 {
            let n = 40 + 16 * trial
            var w = [Double](repeating: 0, count: n * 3)
            var lower = [Double](repeating: 0, count: n), upper = lower
            for j in 0..<n {
                let u = Double.random(in: -2...2, using: &rng), v = Double.random(in: -2...2, using: &rng)
                w[j * 3 + 1] = u; w[j * 3 + 2] = v
                w[j * 3] = 0.7 * u + 0.3 * v + 1e-9 * Double.random(in: -1...1, using: &rng)
                let r = Double.random(in: 0.01...0.1, using: &rng)
                lower[j] = -r; upper[j] = r
            }
            var g = Graph()
            let x = try g.addInput(name: "X", shape: [1, n])
            let wc = g.addConstant(name: "W", try Tensor(shape: [n, 3], data: w))
            let z = try g.addNode(name: "z", op: MatMul(), inputs: [x, wc])
            g.outputs = [z]
            let box = try Tensor(shape: [1, n], data: zip(lower, upper).map { Interval(uncheckedLower: $0, upper: $1) })
            let r = try SymbolicEngine.propagate(g, inputBoxes: [box])
            let c = [1, -0.7, -0.3]
            var exact = Self.big(0)
            var scale = 0.0
            for j in 0..<n {
                var gj = Self.big(0)
                for i in 0..<3 { gj = gj + Self.big(c[i]) * Self.big(w[j * 3 + i]); scale += abs(c[i] * w[j * 3 + i]) * upper[j] }
                let a = gj * Self.big(lower[j]), b = gj * Self.big(upper[j])
                exact = exact + (a < b ? a : b)
            }
            let lb = try SymbolicEngine.lowerBound(r, value: z, c: c.map { Interval($0) })
            #expect(exact >= Self.big(lb), "trial \(trial) (n \(n)): lower bound \(lb) above the exact minimum \(exact)")
            #expect(lb >= exact.double(.down) - 1e-9 * scale, "trial \(trial): lower bound \(lb) far below the exact minimum \(exact)")
        }
    }
}
