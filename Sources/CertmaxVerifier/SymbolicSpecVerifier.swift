import CertmaxAttention
import CertmaxBounds
import CertmaxGraph
import CertmaxModels
import CertmaxNumerics
import Foundation

/// The `symbolic` method for specs (`certmax verify`, the default): the symbolic engine
/// over the spec's model graph, intersected with the first wave's bounds.
///
/// One-block specs: `Verifier.run` with `zone` first (its bounds, attention bounds and
/// counterexample search); then the block's graph (`BertGraph.attentionBlock`) is
/// propagated by `SymbolicEngine` over the region's box, each output bound is intersected
/// with zone's, and each linear atom of the property is enclosed by the engine's forms
/// (`SymbolicEngine.lowerBound` of c and -c), intersected with its box enclosure. Layer and
/// model specs: the same over `GraphVerificationSpec`'s graph, intersected with
/// `GraphSpecVerifier`'s box bounds.
///
/// Soundness: every bound is an intersection of sound bounds over the region's box
/// (which contains the region), so `verified` rests only on sound enclosures; `violated`
/// comes only from the re-checked counterexamples of the underlying verifiers.
public enum SymbolicSpecVerifier {
    /// Verifies a one-block spec.
    public static func run(spec: VerificationSpec, options: VerifierOptions = VerifierOptions()) throws -> VerificationReport {
        var opts = options
        opts.method = .zone
        var report = try Verifier.run(spec: spec, options: opts)
        report.method = .symbolic
        guard report.verdict != .violated, let weights = spec.weights,
              let model = try? BertGraph.attentionBlock(spec.layer, tokens: spec.region.tokens, weights: weights) else { return report }
        let start = Date()
        let refined = refine(graph: model.graph, region: spec.region, property: spec.property, previous: report.outputBounds)
        report.stageSeconds.append(("symbolic engine", Date().timeIntervalSince(start)))
        report.outputBounds = refined.outputBounds
        let hasAttentionAtoms = spec.property.atoms.contains { if case .linear = $0 { return false }; return true }
        if !hasAttentionAtoms {
            report.margin = report.margin.intersection(refined.evaluation.margin).isEmpty ? refined.evaluation.margin
                : report.margin.intersection(refined.evaluation.margin)
            if refined.evaluation.truth == .holds { report.verdict = .verified }
        }
        return report
    }

    /// Verifies a layers / model spec.
    public static func run(spec: GraphVerificationSpec, options: VerifierOptions = VerifierOptions()) -> VerificationReport {
        var report = GraphSpecVerifier.run(spec: spec, options: options)
        report.method = .symbolic
        guard report.verdict != .violated else { return report }
        let start = Date()
        let refined = refine(graph: spec.model.graph, region: spec.region, property: spec.property, previous: report.outputBounds)
        report.stageSeconds.append(("symbolic engine", Date().timeIntervalSince(start)))
        report.outputBounds = refined.outputBounds
        let m = report.margin.intersection(refined.evaluation.margin)
        report.margin = m.isEmpty ? refined.evaluation.margin : m
        if refined.evaluation.truth == .holds { report.verdict = .verified }
        return report
    }

    /// Output bounds (intersected with `previous`) and the property evaluated with the forms.
    static func refine(graph: Graph, region: InputRegion, property: PropertyFormula,
                       previous: [[Interval]]) -> (outputBounds: [[Interval]], evaluation: PropertyEvaluation) {
        let box = GraphSpecVerifier.box(of: region)
        let result = SymbolicEngine.uncheckedPropagate(graph, inputBoxes: [box])
        let out = graph.outputs[0]
        let ob = result.boxes[out]
        let width = ob.shape.last ?? 1
        var rows: [[Interval]] = []
        for (t, prev) in previous.enumerated() {
            rows.append(prev.enumerated().map { j, p in
                let k = t * width + j
                guard k < ob.count else { return p }
                let i = p.intersection(ob.data[k])
                return i.isEmpty ? p : i
            })
        }
        let flat = rows.flatMap { $0 }
        let evaluation = property.evaluate(outputBox: flat) { terms in
            var c = [Interval](repeating: .zero, count: ob.count)
            var neg = c
            for t in terms where t.index >= 0 && t.index < ob.count {
                c[t.index] = c[t.index] + Interval(t.coefficient)
                neg[t.index] = neg[t.index] - Interval(t.coefficient)
            }
            let lo = SymbolicEngine.uncheckedLowerBound(result, value: out, c: c)
            let hi = -SymbolicEngine.uncheckedLowerBound(result, value: out, c: neg)
            return Interval(uncheckedLower: lo.isNaN ? -.infinity : lo, upper: hi.isNaN ? .infinity : hi)
        }
        return (rows, evaluation)
    }
}
