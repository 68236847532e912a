@testable import CertmaxNumerics
import TestSupport
import Testing

/// SoundSinCos: the constants of the proof in SoundSinCos.swift re-derived in MPFR and
/// upward-rounded arithmetic, and containment |cos^ - cos x|, |sin^ - sin x| <=
/// absoluteError against MPFR at 256 bits on seeded inputs, including adversarial ones
/// (near multiples of pi/2, the largest covered arguments, tiny and subnormal arguments).
/// Failures print the input and the seed.
@Suite struct SoundSinCosTests {
    static let u = 0x1p-53
    static let p = 256

    @Test func proofConstantsHold() {
        let k = SoundSinCos.proofConstants
        let u = Self.u
        let pio2 = BigFloat.pi(precision: 400).divided(by: BigFloat(2, precision: 400))
        // P1 has at most 31 significant bits, P2 at most 32 (n P1, n P2 exact for |n| < 2^20).
        #expect(k.p1.significandBitPattern & ((1 << 22) - 1) == 0)
        #expect(k.p2.significandBitPattern & ((1 << 21) - 1) == 0)
        let r1 = pio2.subtracting(BigFloat(k.p1, precision: 400))
        #expect(r1.magnitude() < BigFloat(0x1p-31, precision: 400))
        let r2 = r1.subtracting(BigFloat(k.p2, precision: 400))
        #expect(r2.double(.nearest) == k.p3)
        #expect(r2.subtracting(BigFloat(k.p3, precision: 400)).magnitude() < BigFloat(0x1p-122, precision: 400))
        #expect(BigFloat(1, precision: 400).divided(by: pio2).double(.nearest) == k.invPio2)
        // Coefficients RN((-1)^j/(2j+1)!) and RN((-1)^j/(2j)!).
        var fact = BigFloat(1, precision: 400)
        var facts: [BigFloat] = [fact]
        for i in 1...20 { fact = fact.multiplied(by: BigFloat(i, precision: 400)); facts.append(fact) }
        for (j, s) in k.sin.enumerated() {
            let v = BigFloat(j % 2 == 0 ? 1 : -1, precision: 400).divided(by: facts[2 * j + 1])
            #expect(v.double(.nearest) == s, "s_\(j)")
        }
        for (j, c) in k.cos.enumerated() {
            let v = BigFloat(j % 2 == 0 ? 1 : -1, precision: 400).divided(by: facts[2 * j])
            #expect(v.double(.nearest) == c, "c_\(j)")
        }
        // R covers pi/4 + 2^-31 + delta; sinh R / R <= 1.107, cosh R <= 1.3247; remainders.
        let R = SoundSinCos.reducedRangeBound
        let quarter = pio2.divided(by: BigFloat(2, precision: 400)).adding(BigFloat(0x1p-30, precision: 400))
        #expect(quarter < BigFloat(R, precision: 400))
        let eR = BigFloat(R, precision: 400).exp(), emR = BigFloat(-R, precision: 400).exp()
        let sinhOverR = eR.subtracting(emR).divided(by: BigFloat(2 * R, precision: 400))
        let cosh = eR.adding(emR).divided(by: BigFloat(2, precision: 400))
        #expect(sinhOverR <= BigFloat(1.107, precision: 400))
        #expect(cosh <= BigFloat(1.3247, precision: 400))
        var r19 = BigFloat(1, precision: 400), r20 = BigFloat(1, precision: 400)
        for _ in 0..<19 { r19 = r19.multiplied(by: BigFloat(R, precision: 400)) }
        r20 = r19.multiplied(by: BigFloat(R, precision: 400))
        #expect(r19.divided(by: facts[19]) < BigFloat(1e-19, precision: 400))
        #expect(r20.divided(by: facts[20]) < BigFloat(1e-20, precision: 400))
        // Step 5 in upward-rounded arithmetic.
        func gamma(_ m: Double) -> Double { Double.divUp(Double.mulUp(m, u), Double.subDown(1, Double.mulUp(m, u))) }
        func add(_ a: Double, _ b: Double) -> Double { Double.addUp(a, b) }
        func mul(_ a: Double, _ b: Double) -> Double { Double.mulUp(a, b) }
        let sinErr = add(add(mul(mul(mul(R, add(add(gamma(16), gamma(8)), u)), add(1, gamma(8))), 1.107), mul(u, 0.7072)), 1e-19)
        let cosErr = add(mul(mul(add(add(gamma(18), gamma(9)), u), add(1, gamma(9))), 1.3247), 1e-20)
        let delta = add(mul(mul(2, u), R), 0x1p-80)
        #expect(sinErr <= 22.6 * u && cosErr <= 37.1 * u)
        #expect(add(Swift.max(sinErr, cosErr), delta) <= SoundSinCos.absoluteError,
                "sin \(sinErr / u)u, cos \(cosErr / u)u, delta \(delta / u)u")
    }

    /// Checks one argument against MPFR; returns the larger error in units of u.
    static func check(_ x: Double, _ what: String) -> Double {
        let (c, s) = SoundSinCos.cosSin(x)
        let xb = BigFloat(x, precision: p)
        let ce = xb.cos().subtracting(BigFloat(c, precision: p)).magnitude()
        let se = xb.sin().subtracting(BigFloat(s, precision: p)).magnitude()
        let bound = BigFloat(SoundSinCos.absoluteError, precision: p)
        #expect(ce <= bound && se <= bound, "\(what): x = \(x) (\(x.bitPattern)): cos^ \(c) err \(ce), sin^ \(s) err \(se)")
        return Swift.max(ce.double(.up), se.double(.up)) / u
    }

    @Test func containsMPFROnSeededInputs() {
        var rng = SeededGenerator(seed: 0x51C0_5001)
        var worst = 0.0
        for i in 0..<20_000 {
            let scale = [1.0, 4, 100, 1e4, 1e6, 0x1p20][i % 6]
            let x = Double.random(in: -scale...scale, using: &rng)
            worst = Swift.max(worst, Self.check(x, "seed 0x51C05001 case \(i)"))
        }
        print("[SoundSinCos] seeded: worst error \(worst) u (bound \(SoundSinCos.absoluteError / Self.u) u)")
    }

    @Test func adversarialArguments() {
        var rng = SeededGenerator(seed: 0x51C0_5002)
        let pio2 = BigFloat.pi(precision: 400).divided(by: BigFloat(2, precision: 400))
        var worst = 0.0
        var xs: [Double] = [0, -0.0, 0x1p-1074, -0x1p-1074, 0x1p-1022, 1e-300, 1e-8, 0.5, 0.785398163397448,
                            0.7853981633974484, SoundSinCos.maxArgument, -SoundSinCos.maxArgument,
                            SoundSinCos.maxArgument.nextDown, Double.pi, 2 * Double.pi, Double.pi / 2]
        // Doubles nearest to n pi/2 and n pi/2 +- pi/4 (the reduction's hardest cases), and
        // their neighbours, for small n, random n and n near the top of the range.
        var ns: [Int] = Array(-40...40)
        for _ in 0..<400 { ns.append(Int.random(in: -667_000...667_000, using: &rng)) }
        ns += [667_544, -667_544, 667_543, 1 << 19, 12_345]
        for n in ns {
            let center = BigFloat(n, precision: 400).multiplied(by: pio2)
            let quarter = pio2.divided(by: BigFloat(2, precision: 400))
            for v in [center, center.adding(quarter), center.subtracting(quarter)] {
                let d = v.double(.nearest)
                guard Swift.abs(d) <= SoundSinCos.maxArgument else { continue }
                xs += [d, d.nextUp, d.nextDown]
            }
        }
        for (i, x) in xs.enumerated() {
            worst = Swift.max(worst, Self.check(x, "adversarial \(i)"))
        }
        print("[SoundSinCos] adversarial (\(xs.count) arguments): worst error \(worst) u")
    }

    @Test func lanesAgreeWithScalarAndRangeFlag() {
        var rng = SeededGenerator(seed: 0x51C0_5003)
        for _ in 0..<200 {
            var v = SIMD8<Double>()
            for l in 0..<8 { v[l] = Double.random(in: -1e5...1e5, using: &rng) }
            let (c, s) = SoundSinCos.cosSin(v)
            for l in 0..<8 {
                let (cl, sl) = SoundSinCos.cosSin(v[l])
                #expect(c[l] == cl && s[l] == sl)
            }
            #expect(SoundSinCos.allInRange(v))
        }
        #expect(!SoundSinCos.allInRange(SIMD8(repeating: 0x1p21)))
        #expect(!SoundSinCos.allInRange(SIMD8(repeating: .nan)))
        #expect(!SoundSinCos.allInRange(SIMD8(repeating: -.infinity)))
    }
}
