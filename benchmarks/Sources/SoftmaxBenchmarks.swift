// Softmax group (issues 3 and 7): sound per-coordinate bounds and Vertex-Softmax objective
// bounds against a plain, unsound Double softmax (libm exp) of the same K, measured side by
// side in the same run; the ratio column is against the plain softmax. Also the MPFR path
// (128 bits) for the smaller K.
import CertmaxNumerics
import CertmaxSoftmax
import Foundation

func runSoftmaxBenchmarks(_ runner: BenchRunner) {
    let group = "softmax"
    let sizes = runner.quick ? [16, 1024, 4096] : [16, 128, 1024, 4096, 65536]
    var rng = BenchRNG(seed: 7)
    for K in sizes {
        let centre = (0..<K).map { _ in rng.uniform(-8, 8) }
        let lower = centre.map { $0 - 0.05 }, upper = centre.map { $0 + 0.05 }
        let c = (0..<K).map { _ in rng.uniform(-1, 1) }
        let out = UnsafeMutableBufferPointer<Double>.allocate(capacity: K)
        let lo = UnsafeMutableBufferPointer<Double>.allocate(capacity: K)
        let hi = UnsafeMutableBufferPointer<Double>.allocate(capacity: K)
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4 * K)
        out.initialize(repeating: 0); lo.initialize(repeating: 0); hi.initialize(repeating: 0); scratch.initialize(repeating: 0)
        defer { out.deallocate(); lo.deallocate(); hi.deallocate(); scratch.deallocate() }
        let minTime = K >= 65536 ? 0.6 : 0.3

        // Plain softmax: max, exp(x - max), sum, scale (libm exp, round-to-nearest).
        let plain = centre.withUnsafeBufferPointer { x in
            runner.measure(group: group, name: "plain Double softmax K=\(K)", elements: K, minTime: minTime) {
                var m = x[0]
                for i in 1..<K { m = max(m, x[i]) }
                var s = 0.0
                for i in 0..<K { let e = Foundation.exp(x[i] - m); out[i] = e; s += e }
                let inv = 1 / s
                for i in 0..<K { out[i] *= inv }
                blackHole(out[K - 1])
            }
        }
        let base = "plain Double softmax K=\(K)"
        _ = lower.withUnsafeBufferPointer { l in
            upper.withUnsafeBufferPointer { u in
                // Issue 16 item 4: the portable passes (the kernel before the AVX2 form) and the
                // default path (AVX2 where the CPU has it), side by side; bit-identical results.
                runner.measure(group: group, name: "sound per-coordinate portable K=\(K)", elements: K, minTime: minTime,
                               baseline: base, baselineNs: plain) {
                    SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, lowerOut: lo, upperOut: hi, scratch: scratch,
                                                         path: .portable)
                    blackHole(lo[K - 1])
                }
                runner.measure(group: group, name: "sound per-coordinate K=\(K)", elements: K, minTime: minTime,
                               baseline: base, baselineNs: plain) {
                    SoftmaxBounds.uncheckedPerCoordinate(lower: l, upper: u, lowerOut: lo, upperOut: hi, scratch: scratch)
                    blackHole(lo[K - 1])
                }
            }
        }
        let plan = ObjectivePlan(uncheckedCoefficients: [c])
        runner.measure(group: group, name: "vertex objective, sorted plan K=\(K)", elements: K, minTime: minTime,
                       baseline: base, baselineNs: plain) {
            let r = BatchedSoftmax.uncheckedObjectives(plan, lower: lower, upper: upper, rows: 1)
            blackHole(r[0].minimum.lower)
        }
        runner.measure(group: group, name: "vertex objective incl. sort K=\(K)", elements: K, minTime: minTime,
                       baseline: base, baselineNs: plain) {
            let r = VertexSoftmax.uncheckedObjective(c: c, lower: lower, upper: upper)
            blackHole(r.minimum.lower)
        }
        if K <= 1024 {
            runner.measure(group: group, name: "MPFR 128-bit per-coordinate K=\(K)", elements: K, minTime: minTime,
                           baseline: base, baselineNs: plain) {
                let r = PreciseSoftmax.uncheckedPerCoordinate(lower: lower, upper: upper, precision: 128)
                blackHole(r.count)
            }
        }
    }
    // Multi-core: batched vertex objectives over many rows (all cores vs one).
    let rows = runner.quick ? 64 : 512, K = 256
    let l = (0..<(rows * K)).map { _ in rng.uniform(-8, 8) }
    let u = l.map { $0 + 0.1 }
    let plan = ObjectivePlan(uncheckedCoefficients: (0..<4).map { _ in (0..<K).map { _ in rng.uniform(-1, 1) } })
    let one = runner.measure(group: group, name: "batched vertex \(rows)x\(K)x4, 1 thread", elements: rows * K * 4) {
        blackHole(BatchedSoftmax.uncheckedObjectives(plan, lower: l, upper: u, rows: rows, parallelThreshold: Int.max).count)
    }
    runner.measure(group: group, name: "batched vertex \(rows)x\(K)x4, all cores", elements: rows * K * 4,
                   baseline: "batched vertex \(rows)x\(K)x4, 1 thread", baselineNs: one) {
        blackHole(BatchedSoftmax.uncheckedObjectives(plan, lower: l, upper: u, rows: rows, parallelThreshold: 1).count)
    }
    // The same batch into caller buffers (no witnesses, rows read in place).
    var mnOut = [Interval](repeating: .zero, count: rows * 4), mxOut = mnOut
    _ = l.withUnsafeBufferPointer { lb in u.withUnsafeBufferPointer { ub in
        mnOut.withUnsafeMutableBufferPointer { mnb in mxOut.withUnsafeMutableBufferPointer { mxb in
            runner.measure(group: group, name: "batched vertex \(rows)x\(K)x4 into buffers, 1 thread", elements: rows * K * 4,
                           baseline: "batched vertex \(rows)x\(K)x4, 1 thread", baselineNs: one) {
                BatchedSoftmax.uncheckedObjectives(plan, lower: lb, upper: ub, rows: rows, minimumOut: mnb, maximumOut: mxb,
                                          parallelThreshold: Int.max)
                blackHole(mnb[0].lower)
            }
        } }
    } }
    // Multi-core: batched per-coordinate bounds (rows x 4096 scores, caller buffers).
    let pcRows = runner.quick ? 16 : 128, pcK = 4096
    let pl = (0..<(pcRows * pcK)).map { _ in rng.uniform(-8, 8) }
    let pu = pl.map { $0 + 0.1 }
    var plo = [Double](repeating: 0, count: pcRows * pcK), phi = plo
    let pcOne = runner.measure(group: group, name: "batched per-coordinate \(pcRows)x\(pcK), 1 thread", elements: pcRows * pcK) {
        BatchedSoftmax.uncheckedPerCoordinate(lower: pl, upper: pu, rows: pcRows, count: pcK, lowerOut: &plo, upperOut: &phi,
                                     parallelThreshold: Int.max)
        blackHole(plo[0])
    }
    runner.measure(group: group, name: "batched per-coordinate \(pcRows)x\(pcK), all cores", elements: pcRows * pcK,
                   baseline: "batched per-coordinate \(pcRows)x\(pcK), 1 thread", baselineNs: pcOne) {
        BatchedSoftmax.uncheckedPerCoordinate(lower: pl, upper: pu, rows: pcRows, count: pcK, lowerOut: &plo, upperOut: &phi,
                                     parallelThreshold: 1)
        blackHole(phi[0])
    }
}
