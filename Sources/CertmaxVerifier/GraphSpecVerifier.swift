import CertmaxAttention
import CertmaxBounds
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import CertmaxNumerics
import Foundation

/// Verifies specs that name layers or the whole model (`GraphVerificationSpec`) through
/// the model graph, returning the same `VerificationReport` as `Verifier.run` (so
/// `certmax verify` prints it the same way).
///
/// Steps: the region's box (center -/+ radius, rounded outward, so it contains the
/// region) is propagated through the graph by `outputBounds` (the one place that chooses
/// the bound engine: `BoxEngine`); the property is evaluated over the
/// output box (`PropertyFormula.evaluate(outputBox:)`). If that does not prove it, the
/// region's center is re-checked with the sound forward pass at that point: `violated`
/// only when the outward-rounded output at a point of the region proves the property
/// false there. Otherwise `unknown`. No verdict rests on a plain floating-point value.
public enum GraphSpecVerifier {
    /// Sound output bounds of `graph` (one input, one output) over `box`: for every real
    /// input in the box, the exact real output lies in the returned box. The only call
    /// into a bound engine: `BoxEngine` (interval evaluation with Vertex-Softmax for the
    /// attention aggregation).
    public static func outputBounds(graph: Graph, box: Tensor<Interval>) -> Tensor<Interval> {
        BoxEngine.uncheckedPropagate(graph, inputBoxes: [box])[0]
    }

    /// The box [center - radius, center + radius] (ends rounded outward) containing the region.
    public static func box(of region: InputRegion) -> Tensor<Interval> {
        var d = [Interval](); d.reserveCapacity(region.center.data.count)
        for n in 0..<region.center.data.count {
            let c = region.center.data[n], r = region.radius.data[n]
            d.append(r == 0 ? Interval(c) : Interval(uncheckedLower: Double.subDown(c, r), upper: Double.addUp(c, r)))
        }
        return Tensor(uncheckedShape: [region.tokens, region.dimension], data: d)
    }

    /// Runs the verification. `options.falsify` enables the re-check of the region's
    /// center (the only counterexample candidate here); `options.method` does not apply
    /// (the report names `interval`, the bound actually used).
    public static func run(spec: GraphVerificationSpec, options: VerifierOptions = VerifierOptions()) -> VerificationReport {
        var stages: [(stage: String, seconds: Double)] = []
        var clock = Date()
        func lap(_ name: String) {
            let now = Date()
            stages.append((name, now.timeIntervalSince(clock)))
            clock = now
        }
        let graph = spec.model.graph
        let out = outputBounds(graph: graph, box: box(of: spec.region))
        lap("graph interval propagation")
        let evaluation = spec.property.evaluate(outputBox: out.data)
        lap("property bound")
        let rows = (0..<spec.outputTokens).map { t in Array(out.data[(t * spec.outputWidth)..<((t + 1) * spec.outputWidth)]) }
        var report = VerificationReport(verdict: .unknown, method: .interval, margin: evaluation.margin, outputBounds: rows)
        if evaluation.truth == .holds {
            report.verdict = .verified
        } else if options.falsify {
            if let witness = recheck(spec: spec, point: spec.region.center) {
                report.verdict = .violated
                report.counterexample = witness
            }
            lap("recheck of the center")
        }
        report.stageSeconds = stages
        return report
    }

    /// Proves that `point` violates the property, or returns nil: the point must lie in
    /// the region (exact test) and the sound forward pass at the point (every operation
    /// outward-rounded) must show the property fails there.
    public static func recheck(spec: GraphVerificationSpec, point: Matrix) -> Counterexample? {
        guard spec.region.contains(point) else { return nil }
        let y = spec.model.graph.uncheckedInterval([Tensor(uncheckedShape: [point.rows, point.cols], data: point.data).asIntervals])[0]
        let e = spec.property.evaluate(outputBox: y.data)
        guard e.truth == .fails else { return nil }
        return Counterexample(input: point, margin: e.margin)
    }
}
