// C ABI group (issue 14): the Swift library calls behind the C functions, and the C entry
// points themselves (called from Swift, so only the C layer's checks and dispatch are
// added), measured side by side for K = 16 and K = 4096. benchmarks/python_overhead.py runs
// this group and then times the same calls from Python (ctypes and certmax.*), so one run
// gives the whole chain: library -> C entry point -> Python.
import CertmaxC
import CertmaxRadius
import CertmaxSoftmax
import Foundation

func runCAPIBenchmarks(_ runner: BenchRunner) {
    let group = "capi"
    var rng = BenchRNG(seed: 14)
    for K in [16, 4096] {
        // The same data as benchmarks/python_overhead.py (centre uniform in [-8, 8], half width 0.05).
        let centre = (0..<K).map { _ in rng.uniform(-8, 8) }
        let lower = centre.map { $0 - 0.05 }, upper = centre.map { $0 + 0.05 }
        let a = (0..<K).map { _ in rng.uniform(-1, 1) }
        let lo = UnsafeMutableBufferPointer<Double>.allocate(capacity: K)
        let hi = UnsafeMutableBufferPointer<Double>.allocate(capacity: K)
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * K)
        lo.initialize(repeating: 0); hi.initialize(repeating: 0); scratch.initialize(repeating: 0)
        defer { lo.deallocate(); hi.deallocate(); scratch.deallocate() }
        let minTime = 0.3
        lower.withUnsafeBufferPointer { l in
            upper.withUnsafeBufferPointer { u in
                let libName = "library perCoordinate (buffers) K=\(K)"
                let lib = runner.measure(group: group, name: libName, elements: K, minTime: minTime) {
                    SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, lowerOut: lo, upperOut: hi, scratch: scratch)
                    blackHole(lo[K - 1])
                }
                runner.measure(group: group, name: "library perCoordinate (arrays) K=\(K)", elements: K, minTime: minTime,
                               baseline: libName, baselineNs: lib) {
                    blackHole(SoftmaxBounds.uncheckedPerCoordinate(lower: lower, upper: upper)[K - 1].lower)
                }
                runner.measure(group: group, name: "C certmax_softmax_bounds K=\(K)", elements: K, minTime: minTime,
                               baseline: libName, baselineNs: lib) {
                    let s = certmax_softmax_bounds(l.baseAddress, K, u.baseAddress, K, 1, K, 1.0, lo.baseAddress, hi.baseAddress)
                    blackHole(s)
                    blackHole(lo[K - 1])
                }
            }
        }
        centre.withUnsafeBufferPointer { z in
            a.withUnsafeBufferPointer { ap in
                var rho = 0.0, ref = 0.0
                let libName = "library taylorRadiusLowerBounds K=\(K)"
                let lib = runner.measure(group: group, name: libName, elements: K, minTime: minTime) {
                    blackHole(uncheckedTaylorRadiusLowerBounds(logits: z, directions: ap).refined)
                }
                runner.measure(group: group, name: "C certmax_taylor_radius K=\(K)", elements: K, minTime: minTime,
                               baseline: libName, baselineNs: lib) {
                    blackHole(certmax_taylor_radius(z.baseAddress, K, ap.baseAddress, K, 1, K, 1.0, &rho, &ref))
                    blackHole(ref)
                }
            }
        }
    }
}
