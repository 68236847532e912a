import CMPFR
import CertmaxNumerics
import TestSupport
import Testing

/// Containment of the sound elementary bounds (Double.expDown/expUp, ...; they are the
/// endpoints of Interval.exp etc.) against MPFR at 256 bits: >= 1,000,000 seeded inputs
/// per function (random bit patterns plus dense sampling of the ranges where the
/// function is neither 0, 1 nor overflowing), plus the edges. Zero violations allowed.
/// Tightness (width of [down, up] in ulps) is printed with the tag [tightness].
@Suite struct ElementaryContainmentTests {
    static let count = 1_000_000

    struct Function {
        var name: String
        var down: (Double) -> Double
        var up: (Double) -> Double
        var mpfr: MPFRScratch.Unary
        var interval: (Interval) -> Interval
        /// Domain of the real function (inputs outside are skipped: the scalar bounds
        /// return NaN there and the interval versions clip to the domain).
        var inDomain: (Double) -> Bool
        /// Random input generator for the dense part.
        var sample: (inout SeededGenerator) -> Double
        var edges: [Double]
    }

    static func logUniform(_ rng: inout SeededGenerator, _ lo: Double, _ hi: Double) -> Double {
        Double.random(in: lo...hi, using: &rng).exp2Approx
    }

    static let tiny: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                                 -.leastNormalMagnitude, Double.leastNormalMagnitude.nextDown, 0x1p-1060, 1e-300, -1e-300,
                                 0x1p-53, -0x1p-53, 0x1p-54, 1e-17, -1e-17, 1e-10, -1e-10]
    static let huge: [Double] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, -1e300, 1e20, -1e20,
                                 .infinity, -.infinity]

    static func near(_ x: Double, _ n: Int = 6) -> [Double] {
        var out = [x]
        var a = x, b = x
        for _ in 0..<n { a = a.nextUp; b = b.nextDown; out += [a, b] }
        return out
    }

    static let exp = Function(
        name: "exp", down: Double.expDown, up: Double.expUp, mpfr: mpfr_exp, interval: { $0.exp() },
        inDomain: { _ in true },
        sample: { rng in
            switch rng.next() % 4 {
            case 0: return rng.anyFiniteDouble()
            case 1: return Double.random(in: -745.2...709.8, using: &rng)
            case 2: return Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 60), significand: 1)
            default:
                let centers: [Double] = [709.782712893384, -745.1332191019411, -708.3964185322641, -744.44007192138126, 0]
                return centers[Int(rng.next() % 5)] + Double.random(in: -2...2, using: &rng)
            }
        },
        edges: near(709.782712893384) + near(-745.1332191019411) + near(-708.3964185322641) + near(-744.4400719213812)
            + near(0x1.62e42fefa39efp9) + tiny + huge + near(1) + near(-1) + [0x1p-1074, 710, -746, 1000, -1000])

    static let expm1 = Function(
        name: "expm1", down: Double.expm1Down, up: Double.expm1Up, mpfr: mpfr_expm1, interval: { $0.expm1() },
        inDomain: { _ in true },
        sample: { rng in
            switch rng.next() % 4 {
            case 0: return rng.anyFiniteDouble()
            case 1: return Double.random(in: -40...709.8, using: &rng)
            case 2: return Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 1080), significand: 1)
            default: return 709.782712893384 + Double.random(in: -2...2, using: &rng)
            }
        },
        edges: near(709.782712893384) + near(-745.1332191019411) + tiny + huge + near(1) + near(-1) + near(-37.5) + [710, -40])

    static let log = Function(
        name: "log", down: Double.logDown, up: Double.logUp, mpfr: mpfr_log, interval: { $0.log() },
        inDomain: { $0 >= 0 },
        sample: { rng in
            switch rng.next() % 4 {
            case 0: return rng.anyFiniteDouble().magnitude
            case 1: return Double.random(in: 0...10, using: &rng)
            case 2: return 1 + Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 60), significand: 1)
            default: return Double.random(in: 0...1, using: &rng) * 0x1p-1022
            }
        },
        edges: near(1) + tiny.filter { $0 >= 0 } + huge.filter { $0 >= 0 } + near(2.718281828459045) + [0.5, 2, 10])

    static let log1p = Function(
        name: "log1p", down: Double.log1pDown, up: Double.log1pUp, mpfr: mpfr_log1p, interval: { $0.log1p() },
        inDomain: { $0 >= -1 },
        sample: { rng in
            switch rng.next() % 4 {
            case 0:
                let x = rng.anyFiniteDouble()
                return x < -1 ? -x : x
            case 1: return Double.random(in: -1...10, using: &rng)
            case 2: return Double.random(in: -1...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 1080), significand: 1)
            default: return -1 + Double.random(in: 0...1, using: &rng) * Double(sign: .plus, exponent: -Int(rng.next() % 54), significand: 1)
            }
        },
        edges: near(-1).filter { $0 >= -1 } + tiny + huge.filter { $0 >= -1 } + near(1) + [-0.5, 1e-300])

    /// Runs the containment and tightness check for one function.
    static func run(_ f: Function, seed: UInt64) {
        let mp = MPFRScratch(precision: 256)
        var rng = SeededGenerator(seed: seed)
        var stats = WidthStats()
        var violations = 0
        var checked = 0
        var tightEnds = 0  // endpoints equal to the correctly directed-rounded value
        func check(_ x: Double) {
            guard f.inDomain(x) else { return }
            let lo = f.down(x), hi = f.up(x)
            checked += 1
            if lo.isNaN || hi.isNaN || lo > hi {
                violations += 1
                if violations <= 5 { Issue.record("\(f.name)(\(x)) gave [\(lo), \(hi)] (NaN or inverted), seed \(seed)") }
                return
            }
            let (okL, okU, rd, ru) = mp.checkUnary(f.mpfr, x, lo: lo, hi: hi)
            if !(okL && okU) {
                violations += 1
                if violations <= 5 {
                    Issue.record("\(f.name)(\(x.debugDescription)) = [\(rd), \(ru)] not in [\(lo), \(hi)], seed \(seed)")
                }
            }
            if lo == rd { tightEnds += 1 }
            if hi == ru { tightEnds += 1 }
            stats.add(lo, hi)
        }
        for x in f.edges { check(x) }
        // The interval version on the edge points agrees with the scalar bounds (except
        // at a domain boundary point such as log [0, 0], which is empty in IEEE 1788).
        for x in f.edges where f.inDomain(x) && x.isFinite && f.down(x).isFinite {
            let iv = f.interval(Interval(x))
            #expect(iv.lower == f.down(x) && iv.upper == f.up(x), "\(f.name) interval at \(x): \(iv)")
        }
        var n = 0
        while n < count {
            let x = f.sample(&rng)
            if f.inDomain(x) { check(x); n += 1 }
        }
        #expect(violations == 0, "\(f.name): \(violations) containment violations in \(checked) inputs, seed \(seed)")
        print(stats.summary("\(f.name) (seed \(seed), \(checked) inputs, \(violations) violations, \(tightEnds) of \(2 * checked) endpoints equal to the directed-rounded exact value)"))
    }

    @Test func expContainsMPFR() { Self.run(Self.exp, seed: 0xE1) }
    @Test func expm1ContainsMPFR() { Self.run(Self.expm1, seed: 0xE2) }
    @Test func logContainsMPFR() { Self.run(Self.log, seed: 0xE3) }
    @Test func log1pContainsMPFR() { Self.run(Self.log1p, seed: 0xE4) }

    /// Exact cases stay exact and the documented edge values hold.
    @Test func exactAndEdgeValues() {
        #expect(Double.expDown(0) == 1 && Double.expUp(0) == 1)
        #expect(Double.expDown(-0.0) == 1 && Double.expUp(-0.0) == 1)
        #expect(Double.expDown(-.infinity) == 0 && Double.expUp(-.infinity) == 0)
        #expect(Double.expDown(.infinity) == .infinity && Double.expUp(.infinity) == .infinity)
        #expect(Double.expUp(710) == .infinity && Double.expDown(710).isFinite)
        #expect(Double.expUp(-746) > 0 && Double.expDown(-746) == 0)
        #expect(Double.expm1Down(0) == 0 && Double.expm1Up(0) == 0)
        #expect(Double.expm1Down(-.infinity) == -1)
        #expect(Double.logDown(1) == 0 && Double.logUp(1) == 0)
        #expect(Double.logDown(0) == -.infinity && Double.logUp(.infinity) == .infinity)
        #expect(Double.log1pDown(0) == 0 && Double.log1pUp(0) == 0)
        #expect(Double.log1pDown(-1) == -.infinity)
        #expect(Interval.entire.exp() == Interval(uncheckedLower: 0, upper: .infinity))
        #expect(Interval(uncheckedLower: -1, upper: 4).log().lower == -.infinity)
        #expect(Interval(uncheckedLower: -3, upper: -1).log().isEmpty)
        // Never NaN from finite input.
        var rng = SeededGenerator(seed: 77)
        for _ in 0..<10_000 {
            let x = rng.anyFiniteDouble()
            #expect(!Double.expDown(x).isNaN && !Double.expUp(x).isNaN && !Double.expm1Down(x).isNaN && !Double.expm1Up(x).isNaN, "x = \(x)")
        }
    }
}

extension Double {
    /// 2^self for test sampling (not a sound function).
    fileprivate var exp2Approx: Double { Double(sign: .plus, exponent: Int(self.rounded(.down)), significand: 1) }
}
