import CertmaxNumerics
import Dispatch

/// What to compute for a batch.
public struct RadiusOptions: Sendable, Equatable {
    /// Which samples get an exact radius enclosure (argument principle; slower).
    public enum ExactScope: String, Sendable, CaseIterable {
        /// Every sample.
        case all
        /// Only the samples needed for the batch radius: samples in increasing order of
        /// their refined bound until the next refined bound is >= the smallest exact upper
        /// bound U found; a sample whose certified zero count at U is 0 (radius > U) is
        /// screened out with lower bound U instead of being enclosed. No skipped or screened
        /// sample can be below the batch radius's upper bound.
        case bottleneck
    }

    /// Also enclose exact radii (of all samples, or of the bottleneck candidates).
    public var exact: Bool
    /// Which samples get the exact enclosure when `exact` is true.
    public var exactScope: ExactScope
    /// Controller factor theta > 0 of the largest safe step tau' = min(tau, theta rho).
    public var theta: Double
    /// Options of the exact enclosure.
    public var exactOptions: ExactRadiusOptions

    public init(exact: Bool = false, theta: Double = 1, exactOptions: ExactRadiusOptions = ExactRadiusOptions(),
                exactScope: ExactScope = .all) {
        self.exact = exact
        self.exactScope = exactScope
        self.theta = theta
        self.exactOptions = exactOptions
    }
}

/// The radius bounds of one sample.
public struct SampleRadius: Sendable, Equatable {
    public var rhoA: Double
    public var refined: Double
    public var exact: ExactRadius?
    /// Bottleneck scope: a certified zero count proved this sample's radius exceeds this
    /// value (the batch's exact upper bound at that time), so no enclosure was computed.
    public var screenedLower: Double?

    public init(rhoA: Double, refined: Double, exact: ExactRadius? = nil, screenedLower: Double? = nil) {
        self.rhoA = rhoA
        self.refined = refined
        self.exact = exact
        self.screenedLower = screenedLower
    }

    /// The best certified lower bound of this sample's radius.
    public var bestLower: Double { Swift.max(rhoA, refined, exact?.lower ?? 0, screenedLower ?? 0) }
}

/// The step assessment for a given step length tau against the batch radius.
public struct StepAssessment: Sendable, Equatable {
    public var tau: Double
    public var theta: Double
    /// tau / (batch rho_a), rounded up: an upper bound of tau / rho (rho the true radius).
    public var rRhoA: Double
    /// tau / (best certified lower bound of the batch radius), rounded up; an upper
    /// bound of the true normalized step r = tau / rho.
    public var r: Double
    /// Enclosure [tau / upper, tau / lower] of the true r when an exact upper bound of the
    /// batch radius is known.
    public var rEnclosure: Interval?
    /// True when r (the certified upper bound) < 1: the step is certified inside the
    /// Taylor radius of the batch loss.
    public var safe: Bool
    /// The controller step tau' = min(tau, theta * rho_lower), rounded down.
    public var largestSafeStep: Double
}

/// The radius analysis of a batch (the loss is the mean over samples, whose Taylor radius
/// is exactly the minimum of the samples' radii: the mean's singularities are the union
/// of theirs, and poles of log-derivatives cannot cancel between samples because each
/// sample's log F has a logarithmic branch point at each zero).
public struct RadiusReport: Sendable, Equatable {
    public var samples: [SampleRadius]
    /// min over samples of rho_a (a certified lower bound of the batch radius).
    public var batchRhoA: Double
    /// Samples attaining `batchRhoA`.
    public var bottleneckRhoA: [Int]
    /// min over samples of the refined bound.
    public var batchRefined: Double
    public var bottleneckRefined: [Int]
    /// Enclosure of the batch radius from the exact per-sample enclosures:
    /// lower = min over samples of their best certified lower bounds (the refined bound for
    /// samples skipped by the bottleneck scope); upper = min over samples of their upper
    /// bounds (nil if none). Present when exact enclosures were computed.
    public var batchExactLower: Double?
    public var batchExactUpper: Double?
    /// Samples whose enclosure could attain the batch minimum (lower_i <= batch upper),
    /// the one with the smallest upper bound first.
    public var bottleneckExact: [Int]
    /// The best certified lower bound of the batch radius (min over samples of each
    /// sample's best lower bound).
    public var batchLower: Double
    /// Present when the batch has a step.
    public var step: StepAssessment?
    /// True when every exact enclosure reached its requested width.
    public var allExactCertified: Bool
}

/// Analyzes a batch: per-sample rho_a, refined and (optionally) exact radius enclosures,
/// the batch radius (minimum), bottleneck samples and the step assessment.
///
/// Soundness: every lower bound reported is <= the corresponding exact radius and every
/// upper bound >= it (see `taylorRadiusLowerBounds`, `exactTaylorRadius`); r is rounded
/// up and the largest safe step down. Uses all cores for large batches.
public func analyzeTaylorRadius(_ batch: RadiusBatch, options: RadiusOptions = RadiusOptions()) -> RadiusReport {
    let b = batch.rows, k = batch.columns, t = batch.temperature
    var rho = [Double](repeating: 0, count: b), ref = [Double](repeating: 0, count: b)
    batch.logits.withUnsafeBufferPointer { zp in
        batch.directions.withUnsafeBufferPointer { ap in
            rho.withUnsafeMutableBufferPointer { rp in
                ref.withUnsafeMutableBufferPointer { fp in
                    uncheckedTaylorRadiusLowerBoundsBatch(logits: zp, directions: ap, columns: k, temperature: t, rhoA: rp, refined: fp)
                }
            }
        }
    }
    var exact: [ExactRadius?] = Array(repeating: nil, count: b)
    var screened: [Double?] = Array(repeating: nil, count: b)
    func enclose(_ i: Int) -> ExactRadius {
        let (z, a) = batch.sample(i)
        let e = uncheckedExactTaylorRadius(logits: Array(z), directions: Array(a), temperature: t, options: options.exactOptions)
        options.exactOptions.monitor?.sampleFinished()
        return e
    }
    if options.exact && options.exactScope == .all {
        exact.withUnsafeMutableBufferPointer { ep in
            nonisolated(unsafe) let out = ep
            if b > 1 { DispatchQueue.concurrentPerform(iterations: b) { out[$0] = enclose($0) } } else { out[0] = enclose(0) }
        }
    } else if options.exact {
        // Increasing refined bound; a sample whose refined bound is >= the best exact upper
        // bound so far cannot lower the batch radius below that upper bound.
        let order = (0..<b).sorted { ref[$0] < ref[$1] }
        var bestUpper = Double.infinity
        // Waves of candidates (increasing refined bound), screened and enclosed in parallel;
        // every decision uses the upper bound U known at the start of its wave (a valid
        // upper bound of the batch radius), so parallelism only costs extra work.
        let wave = Swift.max(1, System.activeProcessorCount * 2)
        var next = 0
        while next < order.count && ref[order[next]] < bestUpper && !(options.exactOptions.monitor?.expired ?? false) {
            let u = bestUpper
            let chunk = Array(order[next..<Swift.min(order.count, next + (u.isFinite ? wave : 1))]).filter { ref[$0] < u }
            next += u.isFinite ? wave : 1
            var screenedHere = [Bool](repeating: false, count: chunk.count)
            var enclosed = [ExactRadius?](repeating: nil, count: chunk.count)
            screenedHere.withUnsafeMutableBufferPointer { sp in
                enclosed.withUnsafeMutableBufferPointer { ep in
                    nonisolated(unsafe) let so = sp, eo = ep
                    let work = { (j: Int) in
                        let i = chunk[j]
                        if u.isFinite {
                            let (z, a) = batch.sample(i)
                            if uncheckedTaylorRadiusExceeds(logits: Array(z), directions: Array(a), temperature: t, radius: u,
                                                   maxArcEvaluations: options.exactOptions.maxArcEvaluations,
                                                   monitor: options.exactOptions.monitor) == true {
                                so[j] = true
                                return
                            }
                        }
                        eo[j] = enclose(i)
                    }
                    if chunk.count > 1 { DispatchQueue.concurrentPerform(iterations: chunk.count, execute: work) }
                    else if chunk.count == 1 { work(0) }
                }
            }
            for (j, i) in chunk.enumerated() {
                if screenedHere[j] { screened[i] = u }
                if let e = enclosed[j] {
                    exact[i] = e
                    if let up = e.upper { bestUpper = Swift.min(bestUpper, up) }
                }
            }
        }
    }
    let samples = (0..<b).map { SampleRadius(rhoA: rho[$0], refined: ref[$0], exact: exact[$0], screenedLower: screened[$0]) }
    func argmins(_ xs: [Double]) -> (Double, [Int]) {
        let m = xs.min()!
        return (m, xs.indices.filter { xs[$0] == m })
    }
    let (bRho, nRho) = argmins(rho)
    let (bRef, nRef) = argmins(ref)
    var exLower: Double?, exUpper: Double?, nEx: [Int] = []
    if options.exact {
        // Skipped samples (bottleneck scope) contribute their refined bound as the lower bound.
        exLower = samples.map(\.bestLower).min()!
        // A NaN end (never produced; kept out all the same) counts as no upper bound.
        let uppers = samples.map { s -> Double in
            guard let u = s.exact?.upper, !u.isNaN else { return .infinity }
            return u
        }
        let u = uppers.min()!
        let allInfinite = samples.allSatisfy { $0.exact?.upper == .infinity }
        exUpper = u.isFinite || allInfinite ? u : nil
        let first = uppers.firstIndex(of: u) ?? 0
        // Screened samples have radius > screenedLower >= u: they cannot attain the minimum.
        nEx = [first] + samples.indices.filter { $0 != first && samples[$0].screenedLower == nil && samples[$0].bestLower <= u }
    }
    let batchLower = samples.map(\.bestLower).min()!
    var step: StepAssessment?
    if let tau = batch.step {
        // tau = 0 is r = 0 exactly; a zero lower bound (Delta_a overflowed) gives r = +inf.
        func ratio(_ rho: Double) -> Double { tau == 0 || rho == .infinity ? 0 : rho == 0 ? .infinity : Double.divUp(tau, rho) }
        let rA = ratio(bRho)
        let r = ratio(batchLower)
        var enc: Interval?
        if let u = exUpper, u.isFinite, batchLower > 0 {
            enc = Interval(uncheckedLower: Double.divDown(tau, u), upper: r)
        }
        let cap = batchLower == .infinity ? Double.infinity : Double.mulDown(options.theta, batchLower)
        step = StepAssessment(tau: tau, theta: options.theta, rRhoA: rA, r: r, rEnclosure: enc, safe: r < 1,
                              largestSafeStep: Swift.min(tau, cap))
    }
    return RadiusReport(samples: samples, batchRhoA: bRho, bottleneckRhoA: nRho, batchRefined: bRef,
                        bottleneckRefined: nRef, batchExactLower: exLower, batchExactUpper: exUpper,
                        bottleneckExact: nEx, batchLower: batchLower, step: step,
                        allExactCertified: !options.exact || samples.allSatisfy { ($0.exact?.status ?? .certified) == .certified })
}
