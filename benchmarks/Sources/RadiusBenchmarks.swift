// Radius group (issue 5): throughput of the certified lower bounds rho_a and refined over
// a B x K = 4096 x 1000 batch (samples/s = 1e9 / ns-per-element), beside a plain unsound
// max-min pass (pi / (max a - min a) in round-to-nearest, one core, scalar) over the same
// data in the same run; and the time per sample of the exact radius enclosure
// (argument principle + Krawczyk, relative width 1e-6) for K in {3, 10, 100, 1000}.
import CertmaxRadius
import Foundation

func runRadiusBenchmarks(_ runner: BenchRunner) {
    let group = "radius"
    let b = runner.quick ? 512 : 4096, k = 1000
    var rng = BenchRNG(seed: 5)
    let z = (0..<(b * k)).map { _ in rng.uniform(-10, 10) }
    let a = (0..<(b * k)).map { _ in rng.uniform(-1, 1) }
    let outA = UnsafeMutableBufferPointer<Double>.allocate(capacity: b)
    let outR = UnsafeMutableBufferPointer<Double>.allocate(capacity: b)
    outA.initialize(repeating: 0); outR.initialize(repeating: 0)
    defer { outA.deallocate(); outR.deallocate() }
    let shape = "\(b)x\(k)"
    z.withUnsafeBufferPointer { zp in
        a.withUnsafeBufferPointer { ap in
            let base = runner.measure(group: group, name: "plain max-min pi/(max-min) \(shape) 1 core", elements: b) {
                for i in 0..<b {
                    var mx = -Double.infinity, mn = Double.infinity
                    for j in (i * k)..<((i + 1) * k) { let v = ap[j]; mx = max(mx, v); mn = min(mn, v) }
                    outA[i] = Double.pi / (mx - mn)
                }
                blackHole(outA.baseAddress)
            }
            let baseName = "plain max-min pi/(max-min) \(shape) 1 core"
            runner.measure(group: group, name: "rho_a SIMD8 sound \(shape) 1 core", elements: b, baseline: baseName, baselineNs: base) {
                for i in 0..<b {
                    outA[i] = uncheckedTaylorRadiusRhoA(directions: UnsafeBufferPointer(rebasing: ap[(i * k)..<((i + 1) * k)]))
                }
                blackHole(outA.baseAddress)
            }
            runner.measure(group: group, name: "rho_a batch sound \(shape) all cores", elements: b, baseline: baseName, baselineNs: base) {
                uncheckedTaylorRadiusRhoABatch(directions: ap, columns: k, into: outA)
                blackHole(outA.baseAddress)
            }
            let plainRef = runner.measure(group: group, name: "plain rho_a+refined (unsound) \(shape) 1 core", elements: b) {
                for i in 0..<b {
                    var mx = -Double.infinity, mn = Double.infinity, z1 = -Double.infinity, kk = 0
                    for j in (i * k)..<((i + 1) * k) {
                        let v = ap[j]; mx = max(mx, v); mn = min(mn, v)
                        if zp[j] > z1 { z1 = zp[j]; kk = j }
                    }
                    var z2 = -Double.infinity
                    for j in (i * k)..<((i + 1) * k) where j != kk { z2 = max(z2, zp[j]) }
                    var s = 0.0
                    for j in (i * k)..<((i + 1) * k) where j != kk { s += Foundation.exp(zp[j] - z2) }
                    let l = (z1 - z2) - Foundation.log(s)
                    let d = max(mx - ap[kk], ap[kk] - mn)
                    let u0 = l > 0 ? l / d : 0, st = Double.pi / (mx - mn)
                    outA[i] = st; outR[i] = (u0 * u0 + st * st).squareRoot()
                }
                blackHole(outR.baseAddress)
            }
            let plainRefName = "plain rho_a+refined (unsound) \(shape) 1 core"
            runner.measure(group: group, name: "rho_a+refined sound \(shape) 1 core", elements: b, baseline: plainRefName, baselineNs: plainRef) {
                for i in 0..<b {
                    let lb = uncheckedTaylorRadiusLowerBounds(logits: UnsafeBufferPointer(rebasing: zp[(i * k)..<((i + 1) * k)]),
                                                     directions: UnsafeBufferPointer(rebasing: ap[(i * k)..<((i + 1) * k)]))
                    outA[i] = lb.rhoA; outR[i] = lb.refined
                }
                blackHole(outR.baseAddress)
            }
            runner.measure(group: group, name: "rho_a+refined batch sound \(shape) all cores", elements: b, baseline: plainRefName, baselineNs: plainRef) {
                uncheckedTaylorRadiusLowerBoundsBatch(logits: zp, directions: ap, columns: k, rhoA: outA, refined: outR)
                blackHole(outR.baseAddress)
            }
        }
    }
    // Exact radius: time per sample, rotating over a few random samples per K, the
    // interval-arc algorithm (before issue 16 item 5) and the point-evaluation algorithm
    // side by side in the same run; "evaluations" are the arc evaluations of the old path
    // (about 3K complex interval exponentials each) and the node evaluations (+ Newton
    // steps, + 2 per Krawczyk test) of the new one (K SIMD point exponentials each).
    for kk in [3, 10, 100, 1000] {
        let samples = 4
        let cases: [([Double], [Double])] = (0..<samples).map { _ in
            ((0..<kk).map { _ in rng.uniform(-3, 3) }, (0..<kk).map { _ in rng.uniform(-1, 1) })
        }
        var oldName: String?, oldNs: Double?
        var enclosures: [ExactRadiusAlgorithm: [ExactRadius]] = [:]
        for algorithm in [ExactRadiusAlgorithm.intervalArcs, .pointEvaluation] {
            let options = ExactRadiusOptions(algorithm: algorithm)
            var next = 0
            var arcs = 0, certified = 0, runs = 0
            let ns = runner.time("exact K=\(kk) \(algorithm.rawValue)", elements: 1, minTime: kk >= 1000 ? 2.0 : 0.5) {
                let (zz, aa) = cases[next % samples]
                next += 1
                let r = uncheckedExactTaylorRadius(logits: zz, directions: aa, options: options)
                arcs += r.arcEvaluations; runs += 1
                if r.status == .certified { certified += 1 }
                blackHole(r.lower)
            }
            enclosures[algorithm] = cases.map { uncheckedExactTaylorRadius(logits: $0.0, directions: $0.1, options: options) }
            let name = "exact radius K=\(kk) \(algorithm.rawValue) per sample (\(certified)/\(runs) certified, \(arcs / max(runs, 1)) evaluations avg)"
            runner.record(group: group, name: name, elements: 1, ns: ns, baseline: oldName, baselineNs: oldNs)
            if algorithm == .intervalArcs { oldName = name; oldNs = ns }
        }
        // Both enclose the same radius: they must intersect.
        for (i, (o, n)) in zip(enclosures[.intervalArcs]!, enclosures[.pointEvaluation]!).enumerated() {
            let oHi = o.upper ?? .infinity, nHi = n.upper ?? .infinity
            let agree = o.lower <= nHi && n.lower <= oHi
            print("  exact K=\(kk) sample \(i): interval-arcs [\(o.lower), \(oHi)] point-evaluation [\(n.lower), \(nHi)]\(agree ? "" : "  DISJOINT")")
        }
    }
}
