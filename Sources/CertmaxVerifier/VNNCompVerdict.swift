import CertmaxNumerics

/// What a verifier answers for one VNN-COMP instance (the runner turns it into the
/// results file).
///
/// Edge Cases: `sat` carries the point, the outputs to print (the plain forward pass,
/// what onnxruntime will reproduce) and a *sound enclosure* of the exact outputs at
/// that point (an outward-rounded forward pass). The runner writes `sat` only if
/// `CounterexampleCheck` proves, from the enclosure, that the point is in a disjunct's
/// box and satisfies all its output constraints; otherwise it writes `unknown`.
public enum VNNCompVerdict: Sendable, Equatable {
    /// The property holds: no input of the box reaches the unsafe set (proved).
    case unsat
    /// A counterexample (to be re-checked by the runner before `sat` is written).
    case sat(input: [Double], output: [Double], outputEnclosure: [Interval])
    /// Neither proved nor refuted.
    case unknown
    /// The verifier gave up because its deadline passed.
    case timeout

    /// The results-file word this verdict would produce (before the `sat` check).
    public var result: VNNCompResult {
        switch self {
        case .unsat: return .unsat
        case .sat: return .sat
        case .unknown: return .unknown
        case .timeout: return .timeout
        }
    }
}

/// The first line of a VNN-COMP results file (and the `result` column of a batch).
public enum VNNCompResult: String, Sendable, CaseIterable {
    case unsat, sat, unknown, timeout
    /// Batch rows only: the instance could not be run (bad ONNX or VNN-LIB, internal
    /// failure); never written to a results file.
    case error
}
