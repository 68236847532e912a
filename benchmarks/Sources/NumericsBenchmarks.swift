// Numerics group (issue 2): ns per operation of plain Double vs the sound Interval
// version vs MPFR at 53 bits, for add, mul, div and exp. Each call processes an array
// of `n` operands so loop overhead is amortized; the ratio column is against Double.
//
// MPFR is measured two ways: raw `mpfr_*` calls into preallocated variables (the best
// MPFR can do; two calls per interval op would be needed for directed bounds, we time
// one RNDN call per element) and through `BigFloat` (allocates one object per result).
import CMPFR
import CertmaxNumerics
import Foundation

func runNumericsBenchmarks(_ runner: BenchRunner) {
    let group = "numerics"
    let n = 1024
    var rng = BenchRNG(seed: 42)
    let xs = (0..<n).map { _ in rng.uniform(-10, 10) }
    let ys = (0..<n).map { _ in rng.uniform(0.5, 10) * (rng.next() & 1 == 0 ? 1 : -1) }
    let xi = xs.map { Interval(uncheckedLower: $0, upper: $0.nextUp) }
    let yi = ys.map { Interval(uncheckedLower: $0, upper: $0.nextUp) }
    let es = (0..<n).map { _ in rng.uniform(-700, 700) }
    let ei = es.map { Interval(uncheckedLower: $0, upper: $0.nextUp) }

    // Raw MPFR variables at 53 bits.
    let mx = UnsafeMutablePointer<__mpfr_struct>.allocate(capacity: n)
    let my = UnsafeMutablePointer<__mpfr_struct>.allocate(capacity: n)
    let me = UnsafeMutablePointer<__mpfr_struct>.allocate(capacity: n)
    let mr = UnsafeMutablePointer<__mpfr_struct>.allocate(capacity: 1)
    for i in 0..<n {
        mpfr_init2(mx + i, 53); mpfr_set_d(mx + i, xs[i], MPFR_RNDN)
        mpfr_init2(my + i, 53); mpfr_set_d(my + i, ys[i], MPFR_RNDN)
        mpfr_init2(me + i, 53); mpfr_set_d(me + i, es[i], MPFR_RNDN)
    }
    mpfr_init2(mr, 53)
    defer {
        for i in 0..<n { mpfr_clear(mx + i); mpfr_clear(my + i); mpfr_clear(me + i) }
        mpfr_clear(mr)
        mx.deallocate(); my.deallocate(); me.deallocate(); mr.deallocate()
    }
    // Results go to caller-visible buffers (consumed by blackHole) rather than a
    // dependent accumulator, so the timings measure throughput, not add latency.
    let outD = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    let outI = UnsafeMutableBufferPointer<Interval>.allocate(capacity: n)
    outD.initialize(repeating: 0); outI.initialize(repeating: .zero)
    defer { outD.deallocate(); outI.deallocate() }
    // Contiguous operand copies and two output arrays for the SIMD8 cases.
    let xsB = UnsafeMutablePointer<Double>.allocate(capacity: n), ysB = UnsafeMutablePointer<Double>.allocate(capacity: n)
    let outLo = UnsafeMutablePointer<Double>.allocate(capacity: n), outHi = UnsafeMutablePointer<Double>.allocate(capacity: n)
    xsB.initialize(from: xs, count: n); ysB.initialize(from: ys, count: n)
    outLo.initialize(repeating: 0, count: n); outHi.initialize(repeating: 0, count: n)
    defer { xsB.deallocate(); ysB.deallocate(); outLo.deallocate(); outHi.deallocate() }
    let bx = xs.map { BigFloat($0, precision: 53) }
    let by = ys.map { BigFloat($0, precision: 53) }
    let be = es.map { BigFloat($0, precision: 53) }

    func binaryCase<Op: BenchBinaryOp>(_: Op.Type) {
        let op = Op.name
        let base = runner.measure(group: group, name: "\(op) Double", elements: n) {
            for i in 0..<n { outD[i] = Op.double(xs[i], ys[i]) }
            blackHole(outD.baseAddress)
        }
        runner.measure(group: group, name: "\(op) Interval", elements: n, baseline: "\(op) Double", baselineNs: base) {
            for i in 0..<n { outI[i] = Op.interval(xi[i], yi[i]) }
            blackHole(outI.baseAddress)
        }
        runner.measure(group: group, name: "\(op) SIMD8 directed down+up", elements: n,
                       baseline: "\(op) Double", baselineNs: base) {
            var i = 0
            while i + 8 <= n {
                let a = UnsafeRawPointer(xsB + i).loadUnaligned(as: SIMD8<Double>.self)
                let b = UnsafeRawPointer(ysB + i).loadUnaligned(as: SIMD8<Double>.self)
                UnsafeMutableRawPointer(outLo + i).storeBytes(of: Op.simdDown(a, b), as: SIMD8<Double>.self)
                UnsafeMutableRawPointer(outHi + i).storeBytes(of: Op.simdUp(a, b), as: SIMD8<Double>.self)
                i += 8
            }
            blackHole(outLo); blackHole(outHi)
        }
        runner.measure(group: group, name: "\(op) MPFR53 raw (1 rounding)", elements: n,
                       baseline: "\(op) Double", baselineNs: base) {
            for i in 0..<n { _ = Op.mpfr(mr, mx + i, my + i, MPFR_RNDN); outD[i] = mpfr_get_d(mr, MPFR_RNDN) }
            blackHole(outD.baseAddress)
        }
        runner.measure(group: group, name: "\(op) BigFloat53 (alloc)", elements: n,
                       baseline: "\(op) Double", baselineNs: base) {
            for i in 0..<n { outD[i] = Op.big(bx[i], by[i]).double() }
            blackHole(outD.baseAddress)
        }
    }

    binaryCase(BenchAdd.self)
    binaryCase(BenchMul.self)
    binaryCase(BenchDiv.self)

    // The operands above have random signs, so Interval * and / pay for mispredicted
    // sign-case branches; with positive operands the branches are predictable.
    let xp = xi.map { Interval(uncheckedLower: $0.lower.magnitude + 1, upper: $0.upper.magnitude + 1) }
    let yp = yi.map { Interval(uncheckedLower: $0.lower.magnitude, upper: $0.upper.magnitude) }
    for (name, op) in [("mul", { (a: Interval, b: Interval) in a * b }), ("div", { (a: Interval, b: Interval) in a / b })] {
        let base = runner.results.last { $0.name == "\(name) Double" }?.nsPerCall
        runner.measure(group: group, name: "\(name) Interval, positive operands", elements: n,
                       baseline: "\(name) Double", baselineNs: base) {
            for i in 0..<n { outI[i] = op(xp[i], yp[i]) }
            blackHole(outI.baseAddress)
        }
    }

    let base = runner.measure(group: group, name: "exp Double (libm)", elements: n) {
        for i in 0..<n { outD[i] = Foundation.exp(es[i]) }
        blackHole(outD.baseAddress)
    }
    runner.measure(group: group, name: "exp Interval", elements: n, baseline: "exp Double (libm)", baselineNs: base) {
        for i in 0..<n { outI[i] = ei[i].exp() }
        blackHole(outI.baseAddress)
    }
    runner.measure(group: group, name: "exp MPFR53 raw (1 rounding)", elements: n,
                   baseline: "exp Double (libm)", baselineNs: base) {
        for i in 0..<n { _ = mpfr_exp(mr, me + i, MPFR_RNDN); outD[i] = mpfr_get_d(mr, MPFR_RNDN) }
        blackHole(outD.baseAddress)
    }
    runner.measure(group: group, name: "exp BigFloat53 (alloc)", elements: n,
                   baseline: "exp Double (libm)", baselineNs: base) {
        for i in 0..<n { outD[i] = be[i].exp().double() }
        blackHole(outD.baseAddress)
    }
}

typealias MPFRBinaryFn = (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>,
                          UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32

/// One binary operation in its four forms (static dispatch, so each loop is specialized).
protocol BenchBinaryOp {
    static var name: String { get }
    static func double(_ a: Double, _ b: Double) -> Double
    static func interval(_ a: Interval, _ b: Interval) -> Interval
    static var mpfr: MPFRBinaryFn { get }
    static func big(_ a: BigFloat, _ b: BigFloat) -> BigFloat
    static func simdDown(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double>
    static func simdUp(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double>
}
enum BenchAdd: BenchBinaryOp {
    static let name = "add"
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func interval(_ a: Interval, _ b: Interval) -> Interval { a + b }
    static var mpfr: MPFRBinaryFn { mpfr_add }
    static func big(_ a: BigFloat, _ b: BigFloat) -> BigFloat { a.adding(b) }
    @inline(__always) static func simdDown(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .addDown(a, b) }
    @inline(__always) static func simdUp(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .addUp(a, b) }
}
enum BenchMul: BenchBinaryOp {
    static let name = "mul"
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a * b }
    @inline(__always) static func interval(_ a: Interval, _ b: Interval) -> Interval { a * b }
    static var mpfr: MPFRBinaryFn { mpfr_mul }
    static func big(_ a: BigFloat, _ b: BigFloat) -> BigFloat { a.multiplied(by: b) }
    @inline(__always) static func simdDown(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .mulDown(a, b) }
    @inline(__always) static func simdUp(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .mulUp(a, b) }
}
enum BenchDiv: BenchBinaryOp {
    static let name = "div"
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a / b }
    @inline(__always) static func interval(_ a: Interval, _ b: Interval) -> Interval { a / b }
    static var mpfr: MPFRBinaryFn { mpfr_div }
    static func big(_ a: BigFloat, _ b: BigFloat) -> BigFloat { a.divided(by: b) }
    @inline(__always) static func simdDown(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .divDown(a, b) }
    @inline(__always) static func simdUp(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> { .divUp(a, b) }
}

/// Benchmark inputs come from the library's reproducible SplitMix64.
typealias BenchRNG = SplitMix64
