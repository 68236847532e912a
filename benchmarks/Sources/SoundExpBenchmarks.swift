// SoundExp group (issue 7): per-element cost of scalar libm exp vs the sound bounds,
// over arrays of n lower/upper endpoints (n in {16, 1024, 4096, 65536}).
//   "libm exp (1 call/elt)"    : out[i] = exp(x[i])            (unsound baseline)
//   "libm exp lower+upper"     : exp of both endpoints          (unsound, same work as bounds)
//   "expDown/expUp scalar"     : Double.expDown(l), Double.expUp(u)  (libm + 2 ulps)
//   "SoundExp.bounds SIMD8"    : e^l rounded down, e^u rounded up, proven bound
//   "SoundExp.enclose"         : both bounds of e^x[i] from one evaluation (vs 1 libm call)
//   "SoundExp.exp [Interval]"  : the Interval-array form
import CertmaxNumerics
import Foundation

func runSoundExpBenchmarks(_ runner: BenchRunner) {
    let group = "soundexp"
    let sizes = runner.quick ? [16, 4096] : [16, 1024, 4096, 65536]
    var rng = BenchRNG(seed: 7)
    for n in sizes {
        let lower = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let upper = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let lo = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let hi = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let ivs = UnsafeMutableBufferPointer<Interval>.allocate(capacity: n)
        let ivOut = UnsafeMutableBufferPointer<Interval>.allocate(capacity: n)
        defer { lower.deallocate(); upper.deallocate(); lo.deallocate(); hi.deallocate(); ivs.deallocate(); ivOut.deallocate() }
        for i in 0..<n {
            // Softmax-like shifted scores: mostly in [-30, 0].
            let l = rng.uniform(-30, 0)
            lower[i] = l
            upper[i] = l + rng.uniform(0, 0.5)
            ivs[i] = Interval(uncheckedLower: lower[i], upper: upper[i])
        }
        lo.initialize(repeating: 0); hi.initialize(repeating: 0)
        ivOut.initialize(repeating: .zero)
        let minTime = n >= 65536 ? 0.3 : 0.2
        let base = runner.measure(group: group, name: "libm exp (1 call/elt) n=\(n)", elements: n, minTime: minTime) {
            for i in 0..<n { lo[i] = Foundation.exp(lower[i]) }
            blackHole(lo.baseAddress)
        }
        let both = runner.measure(group: group, name: "libm exp lower+upper n=\(n)", elements: n, minTime: minTime,
                                  baseline: "libm exp", baselineNs: base) {
            for i in 0..<n { lo[i] = Foundation.exp(lower[i]); hi[i] = Foundation.exp(upper[i]) }
            blackHole(lo.baseAddress); blackHole(hi.baseAddress)
        }
        runner.measure(group: group, name: "expDown/expUp scalar n=\(n)", elements: n, minTime: minTime,
                       baseline: "libm exp lower+upper", baselineNs: both) {
            for i in 0..<n { lo[i] = Double.expDown(lower[i]); hi[i] = Double.expUp(upper[i]) }
            blackHole(lo.baseAddress); blackHole(hi.baseAddress)
        }
        runner.measure(group: group, name: "SoundExp.bounds SIMD8 n=\(n)", elements: n, minTime: minTime,
                       baseline: "libm exp lower+upper", baselineNs: both) {
            SoundExp.bounds(lower: UnsafeBufferPointer(lower), upper: UnsafeBufferPointer(upper), lowerOut: lo, upperOut: hi)
            blackHole(lo.baseAddress); blackHole(hi.baseAddress)
        }
        runner.measure(group: group, name: "SoundExp.enclose (both of x) n=\(n)", elements: n, minTime: minTime,
                       baseline: "libm exp (1 call/elt)", baselineNs: base) {
            SoundExp.enclose(UnsafeBufferPointer(lower), down: lo, up: hi)
            blackHole(lo.baseAddress); blackHole(hi.baseAddress)
        }
        runner.measure(group: group, name: "SoundExp.exp [Interval] n=\(n)", elements: n, minTime: minTime,
                       baseline: "libm exp lower+upper", baselineNs: both) {
            SoundExp.exp(UnsafeBufferPointer(ivs), into: ivOut)
            blackHole(ivOut.baseAddress)
        }
    }
}
