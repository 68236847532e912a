import Foundation
import Testing
import CertmaxAttention
import CertmaxBounds
import CertmaxGraph
import CertmaxModels
import CertmaxNumerics
import TestSupport

/// The box engine (`BoxEngine.propagateAll`, with the Vertex-Softmax attention refinement)
/// on a small synthetic BERT against the MPFR recomputation of every stage (issue 17,
/// item 3, graph side). At a point input the engine's boxes are rounding-error wide, so
/// containment of the 256-bit values is a check at the rounding level; over tiny boxes
/// (radius 2^-30, 2^-20) the exact values at the centre and at corners must lie inside.
@Suite("Box engine on a synthetic BERT against MPFR")
struct BertBoxEngineMPFRTests {
    @Test func boxesContainTheExactStagesAtPointsAndCorners() throws {
        let s = SyntheticBert()
        let w = try BertGraphSyntheticTests.load(s)
        let T = 3
        let bg = try BertGraph.build(weights: w, heads: s.heads, scope: .model, tokens: T)
        let x = s.input(tokens: T)
        var rng = SeededGenerator(seed: 0x17E5)
        var checks = 0, refined = 0
        for r in [0.0, 0x1p-30, 0x1p-20] {
            let lo = x.map { Double.subDown($0, r) }, hi = x.map { Double.addUp($0, r) }
            let input = Tensor(uncheckedLower: Tensor(uncheckedShape: [T, s.hidden], data: lo), upper: Tensor(uncheckedShape: [T, s.hidden], data: hi))
            let boxes = BoxEngine.uncheckedPropagateAll(bg.graph, inputBoxes: [input])
            let plain = bg.graph.uncheckedIntervalAll([input])
            var points = [x]
            if r > 0 { for _ in 0..<2 { points.append(zip(lo, hi).map { Bool.random(using: &rng) ? $0 : $1 }) } }
            for p in points {
                let exact = try BertGraphSyntheticTests.mpfrStages(w, heads: s.heads, input: BertGraphSyntheticTests.rows(p, cols: s.hidden))
                for (name, v) in bg.stages {
                    let e = try #require(exact[name]).flatMap { $0 }
                    for k in 0..<e.count {
                        let box = boxes[v].data[k]
                        #expect(e[k] >= box.lower && e[k] <= box.upper,
                                "radius \(r) stage \(name) entry \(k): exact \(e[k].text(digits: 20)) outside \(box); input \(p)")
                        checks += 1
                    }
                }
            }
            // The refinement is active (never looser, somewhere tighter than plain intervals).
            for v in boxes.indices where boxes[v].count == plain[v].count {
                for k in 0..<boxes[v].count where boxes[v].data[k].width < plain[v].data[k].width { refined += 1 }
            }
        }
        #expect(checks >= 3 * 6 && refined >= 1, "\(checks) checks, \(refined) refined entries")
    }
}
