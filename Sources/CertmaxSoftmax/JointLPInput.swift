import CertmaxIO

/// A validated joint-LP objective problem read from JSON: scores affine in a boxed input,
/// `{"A":[[..]],"b":[..],"x_lower":[..],"x_upper":[..],"c":[..]}` with optional
/// `"temperature"` (default 1). Used by `certmax objective --method lp` when the input
/// gives `"A"` instead of a score box.
///
/// Validation (each failure is an `InputError` naming the file and field, exit code 65):
/// A is K x n (K >= 1) with finite entries, b has K entries, x_lower/x_upper have n
/// finite entries with x_lower <= x_upper, every score A x + b finite over that box,
/// c has K finite entries of magnitude <= 1e300, temperature finite and > 0, no unknown
/// fields.
public struct JointLPInput: Sendable, Equatable {
    public var A: [[Double]]
    public var b: [Double]
    public var xLower: [Double]
    public var xUpper: [Double]
    public var c: [Double]
    public var temperature: Double

    public static let knownFields: Set<String> = ["A", "b", "x_lower", "x_upper", "c", "temperature"]

    public init(A: [[Double]], b: [Double], xLower: [Double], xUpper: [Double], c: [Double], temperature: Double = 1) {
        self.A = A
        self.b = b
        self.xLower = xLower
        self.xUpper = xUpper
        self.c = c
        self.temperature = temperature
    }

    /// Whether a document describes affine scores (has `"A"`) rather than a score box.
    public static func describesAffineScores(_ doc: JSONDocument) -> Bool { doc.has("A") }

    public init(document doc: JSONDocument) throws(InputError) {
        if let bad = doc.unknownFields(known: Self.knownFields).first {
            throw doc.error(bad, "unknown field (expected \(Self.knownFields.sorted().joined(separator: ", ")))")
        }
        let A = try doc.matrix("A")
        let b = try doc.doubles("b")
        let xl = try doc.doubles("x_lower")
        let xu = try doc.doubles("x_upper")
        let c = try doc.doubles("c")
        let t = try doc.optionalDouble("temperature") ?? 1
        do throws(SoftmaxLPInputError) {
            try ScoreDifferenceBounds.validate(A: A, b: b, xLower: xl, xUpper: xu)
            if c.count != A.count { throw SoftmaxLPInputError(field: "c", problem: "has \(c.count) entries but \"A\" has \(A.count) rows") }
            for (i, v) in c.enumerated() where v.magnitude > 1e300 {
                throw SoftmaxLPInputError(field: "c", index: [i], problem: "magnitude above 1e300 is not supported")
            }
            if !(t.isFinite && t > 0) { throw SoftmaxLPInputError(field: "temperature", problem: "must be a finite number > 0, got \(t)") }
        } catch {
            throw InputError(source: doc.source, location: error.location, problem: error.problem)
        }
        self.init(A: A, b: b, xLower: xl, xUpper: xu, c: c, temperature: t)
    }

    /// ``JointLP/objective(c:A:b:xLower:xUpper:temperature:options:)`` on this input.
    public func objective(options: JointLP.Options = JointLP.Options()) throws(SoftmaxLPInputError) -> ObjectiveEnclosure {
        try JointLP.objective(c: c, A: A, b: b, xLower: xLower, xUpper: xUpper, temperature: temperature, options: options)
    }
}

extension ObjectiveReport {
    /// Reads an objective problem and bounds it by `method`: for `lp` with affine scores
    /// (the document has `"A"`) the joint LP on a ``JointLPInput``; otherwise an
    /// `ObjectiveInput` (score box, optional `"diff_upper"`) through
    /// `init(input:method:precision:)`. What `certmax objective` runs.
    ///
    /// - Throws: `InputError` naming the file and field for invalid input;
    ///   `CertmaxFailure` for internal failures.
    public init(document: JSONDocument, method: ObjectiveMethod, precision: Int? = nil) throws {
        if method == .lp && JointLPInput.describesAffineScores(document) {
            let input = try JointLPInput(document: document)
            self.method = method
            self.precision = nil
            self.decimals = nil
            do {
                self.enclosure = try input.objective()
            } catch {
                throw InputError(source: document.source, location: error.location, problem: error.problem)
            }
        } else {
            self = try ObjectiveReport(input: try ObjectiveInput(document: document), method: method, precision: precision)
        }
    }
}
