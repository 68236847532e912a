import CertmaxIO
import CertmaxNumerics

/// A validated box of scores read from JSON: `{"lower":[..],"upper":[..]}` with an optional
/// `"temperature"` (default 1).
///
/// Validation (each failure is an `InputError` naming the file and field): both vectors
/// present, non-empty, finite, of equal length, `lower[i] <= upper[i]`; temperature finite
/// and > 0; no unknown fields (catches typos such as "lowr").
public struct SoftmaxBoxInput: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]
    public var temperature: Double

    public static let knownFields: Set<String> = ["lower", "upper", "temperature"]

    public init(lower: [Double], upper: [Double], temperature: Double = 1) {
        self.lower = lower
        self.upper = upper
        self.temperature = temperature
    }

    public init(document doc: JSONDocument) throws(InputError) {
        try self.init(document: doc, extraFields: [])
    }

    /// Parses the box fields, accepting `extraFields` besides them (for inputs that extend the box).
    public init(document doc: JSONDocument, extraFields: Set<String>) throws(InputError) {
        if let bad = doc.unknownFields(known: Self.knownFields.union(extraFields)).first {
            throw doc.error(bad, "unknown field (expected \(Self.knownFields.union(extraFields).sorted().joined(separator: ", ")))")
        }
        let lower = try doc.doubles("lower")
        let upper = try doc.doubles("upper")
        if lower.count != upper.count {
            throw doc.error("upper", "has \(upper.count) entries but \"lower\" has \(lower.count)")
        }
        for i in lower.indices where lower[i] > upper[i] {
            throw InputError(source: doc.source, location: "field \"lower\"[\(i)]",
                             problem: "\(lower[i]) is greater than \"upper\"[\(i)] = \(upper[i])")
        }
        let t = try doc.optionalDouble("temperature") ?? 1
        if !(t > 0) { throw doc.error("temperature", "must be > 0, got \(t)") }
        self.init(lower: lower, upper: upper, temperature: t)
    }

    /// Number of scores K.
    public var count: Int { lower.count }
}

/// A validated linear-objective problem read from JSON:
/// `{"lower":[..],"upper":[..],"c":[..]}` with optional `"temperature"` and optional
/// `"diff_upper"` (a K x K matrix of upper bounds on s_i - s_j, used by the zone/LP methods).
///
/// Validation: the box rules of `SoftmaxBoxInput`; `c` finite, of length K, `|c_i| <= 1e300`;
/// `diff_upper` K x K and finite when present; no unknown fields.
public struct ObjectiveInput: Sendable, Equatable {
    public var box: SoftmaxBoxInput
    public var c: [Double]
    public var diffUpper: [[Double]]?

    public init(box: SoftmaxBoxInput, c: [Double], diffUpper: [[Double]]? = nil) {
        self.box = box
        self.c = c
        self.diffUpper = diffUpper
    }

    public init(document doc: JSONDocument) throws(InputError) {
        let box = try SoftmaxBoxInput(document: doc, extraFields: ["c", "diff_upper"])
        let c = try doc.doubles("c")
        if c.count != box.count { throw doc.error("c", "has \(c.count) entries but \"lower\" has \(box.count)") }
        for i in c.indices where c[i].magnitude > 1e300 {
            throw InputError(source: doc.source, location: "field \"c\"[\(i)]", problem: "magnitude above 1e300 is not supported")
        }
        var diff: [[Double]]? = nil
        if doc.has("diff_upper") {
            let m = try doc.matrix("diff_upper")
            if m.count != box.count || m[0].count != box.count {
                throw doc.error("diff_upper", "must be \(box.count) x \(box.count), got \(m.count) x \(m[0].count)")
            }
            diff = m
        }
        self.init(box: box, c: c, diffUpper: diff)
    }
}
