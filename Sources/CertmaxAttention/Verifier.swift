import CertmaxIO
import CertmaxNumerics
import Foundation

/// The verdict of a verification run.
public enum Verdict: String, Sendable {
    /// The property holds for every input in the region (proved by sound bounds).
    case verified
    /// A concrete input in the region breaks the property (re-checked soundly).
    case violated
    /// Neither proved nor refuted.
    case unknown

    /// The CLI exit code of the verdict.
    public var exitCode: CertmaxExitCode {
        switch self {
        case .verified: return .success
        case .violated: return .violated
        case .unknown: return .unknown
        }
    }
}

/// Options of `Verifier.run`.
public struct VerifierOptions: Sendable {
    public var method: BoundMethod
    /// Search for counterexamples when the bounds do not prove the property.
    public var falsify: Bool
    public var falsifier: FalsifierOptions
    public init(method: BoundMethod = .vertex, falsify: Bool = true, falsifier: FalsifierOptions = FalsifierOptions()) {
        self.method = method
        self.falsify = falsify
        self.falsifier = falsifier
    }
}

/// A witness that violates the property.
public struct Counterexample: Sendable {
    /// The input ([T, d]); it lies in the region (checked exactly).
    public var input: Matrix
    /// A sound enclosure of the property's margin at `input` (upper end < 0, or <= 0 for
    /// strict atoms: the violation is proved by an outward-rounded forward pass).
    public var margin: Interval
    public init(input: Matrix, margin: Interval) { self.input = input; self.margin = margin }
}

/// The result of a verification run.
public struct VerificationReport: Sendable {
    public var verdict: Verdict
    public var method: BoundMethod
    /// Sound enclosure of the property's margin over the whole region (the margin is
    /// >= 0 where the property holds): `margin.lower` is the certified worst case.
    public var margin: Interval
    /// Output bounds over the region ([T][d_out], after LayerNorm if any).
    public var outputBounds: [[Interval]]
    /// Attention-weight bounds over the region for the (head, query, key) triples the
    /// property mentions.
    public var attentionBounds: [(head: Int, query: Int, key: Int, weight: Interval)] = []
    /// Set when the verdict is `violated`.
    public var counterexample: Counterexample?
    /// Lowest margin the falsifier found in plain floating point (nil if it did not run).
    public var bestAttackMargin: Double?
    /// Wall-clock seconds per stage, in order.
    public var stageSeconds: [(stage: String, seconds: Double)]

    public init(verdict: Verdict, method: BoundMethod, margin: Interval, outputBounds: [[Interval]],
                attentionBounds: [(head: Int, query: Int, key: Int, weight: Interval)] = [],
                counterexample: Counterexample? = nil, bestAttackMargin: Double? = nil,
                stageSeconds: [(stage: String, seconds: Double)] = []) {
        self.verdict = verdict
        self.method = method
        self.margin = margin
        self.outputBounds = outputBounds
        self.attentionBounds = attentionBounds
        self.counterexample = counterexample
        self.bestAttackMargin = bestAttackMargin
        self.stageSeconds = stageSeconds
    }
    /// Mean width of the output bounds.
    public var meanOutputWidth: Double {
        let all = outputBounds.flatMap { $0 }
        return all.isEmpty ? 0 : all.reduce(0) { $0 + $1.width } / Double(all.count)
    }
}

/// Runs a verification: sound bound propagation, then (if not proved) a counterexample
/// search whose candidates are re-checked with a sound interval forward pass at the point.
public enum Verifier {
    /// Verifies a loaded spec. Throws only for input problems found late (none today);
    /// numeric trouble gives a wider bound and at worst `unknown`.
    public static func run(spec: VerificationSpec, options: VerifierOptions = VerifierOptions()) throws -> VerificationReport {
        run(layer: spec.layer, region: spec.region, property: spec.property, options: options)
    }

    /// Verifies `property` for `layer` over `region`.
    public static func run(layer: AttentionLayer, region: InputRegion, property: PropertyFormula,
                           options: VerifierOptions = VerifierOptions()) -> VerificationReport {
        var stages: [(String, Double)] = []
        var clock = Date()
        func lap(_ name: String) {
            let now = Date()
            stages.append((name, now.timeIntervalSince(clock)))
            clock = now
        }
        let bounds = AttentionBoundPropagation(uncheckedLayer: layer, region: region, method: options.method)
        for st in bounds.stageSeconds { stages.append(("propagation: " + st.stage, st.seconds)) }
        clock = Date()
        let evaluation = property.evaluate(with: bounds)
        lap("property bound")
        var report = VerificationReport(verdict: .unknown, method: options.method, margin: evaluation.margin,
                                        outputBounds: bounds.output, counterexample: nil, bestAttackMargin: nil,
                                        stageSeconds: [])
        for atom in property.atoms {
            switch atom {
            case .attentionAtLeast(let h, let i, let k, _), .attentionArgmax(let h, let i, let k):
                report.attentionBounds.append((h, i, k, bounds.probabilities[h][i][k]))
            case .linear: break
            }
        }
        if evaluation.truth == .holds {
            report.verdict = .verified
            report.stageSeconds = stages
            return report
        }
        var candidates: [Matrix] = [region.center]
        if options.falsify {
            let found = Falsifier.candidates(layer: layer, region: region, property: property, options: options.falsifier)
            report.bestAttackMargin = found.first?.margin
            candidates = found.prefix(4).map(\.point)
            lap("falsifier")
        }
        for x in candidates {
            if let witness = recheck(layer: layer, region: region, property: property, point: x) {
                report.verdict = .violated
                report.counterexample = witness
                break
            }
        }
        lap("recheck")
        report.stageSeconds = stages
        return report
    }

    /// Proves that `point` violates the property, or returns nil: the point must lie in
    /// the region (exact test) and a sound forward pass over the single point (the
    /// propagation with radius 0, every operation outward-rounded) must show the
    /// property fails there.
    public static func recheck(layer: AttentionLayer, region: InputRegion, property: PropertyFormula,
                               point: Matrix) -> Counterexample? {
        guard region.contains(point) else { return nil }
        guard let pointRegion = try? InputRegion(center: point, radius: Matrix(uncheckedRows: point.rows, cols: point.cols)) else { return nil }
        let b = AttentionBoundPropagation(uncheckedLayer: layer, region: pointRegion, method: .vertex)
        let e = property.evaluate(with: b)
        guard e.truth == .fails else { return nil }
        return Counterexample(input: point, margin: e.margin)
    }
}
