import CertmaxIO
import CertmaxNumerics

/// A validated batch of samples for Taylor-radius analysis: B rows of logits z and
/// directional derivatives a (row-major, B x K), a temperature and an optional step.
///
/// Invariants (checked by every initializer): B >= 1, K >= 1, both arrays hold B*K finite
/// numbers, temperature finite and > 0, step (if any) finite and >= 0.
public struct RadiusBatch: Sendable {
    public let rows: Int
    public let columns: Int
    /// Row-major logits, `rows * columns` entries.
    public let logits: [Double]
    /// Row-major directions a = J v, `rows * columns` entries.
    public let directions: [Double]
    /// Softmax temperature T (logits are divided by T). Default 1.
    public let temperature: Double
    /// Optional step length tau.
    public let step: Double?

    /// Validates and stores a batch; errors name `source` and the offending entry.
    public init(rows: Int, columns: Int, logits: [Double], directions: [Double],
                temperature: Double = 1, step: Double? = nil, source: String = "<input>",
                logitsName: String = "logits", directionsName: String = "directions") throws(InputError) {
        if rows < 1 || columns < 1 {
            throw InputError(source: source, location: logitsName, problem: "empty batch (\(rows) x \(columns))")
        }
        if logits.count != rows * columns {
            throw InputError(source: source, location: logitsName,
                             problem: "shape mismatch: \(logits.count) values for \(rows) x \(columns)")
        }
        if directions.count != logits.count {
            throw InputError(source: source, location: directionsName,
                             problem: "shape mismatch: \(directions.count) values, logits have \(rows) x \(columns) = \(logits.count)")
        }
        for (name, xs) in [(logitsName, logits), (directionsName, directions)] {
            if let i = xs.firstIndex(where: { !$0.isFinite }) {
                throw InputError(source: source, location: "\(name)[\(i / columns)][\(i % columns)]",
                                 problem: xs[i].isNaN ? "NaN is not allowed" : "infinite values are not allowed")
            }
        }
        guard temperature.isFinite, temperature > 0 else {
            throw InputError(source: source, location: "temperature", problem: "must be a finite number > 0, got \(temperature)")
        }
        if let step, !(step.isFinite && step >= 0) {
            throw InputError(source: source, location: "step", problem: "must be a finite number >= 0, got \(step)")
        }
        self.rows = rows
        self.columns = columns
        self.logits = logits
        self.directions = directions
        self.temperature = temperature
        self.step = step
    }

    /// Reads `{"logits": [[...]], "directions": [[...]], "step"?: x, "temperature"?: T}`.
    /// A single sample may be given as flat arrays. Unknown fields are rejected.
    public init(document d: JSONDocument) throws(InputError) {
        let unknown = d.unknownFields(known: ["logits", "directions", "step", "temperature"])
        if let f = unknown.first { throw d.error(f, "unknown field (expected logits, directions, step, temperature)") }
        func rowsOf(_ field: String) throws(InputError) -> [[Double]] {
            let v = try d.value(field)
            if case .array(let items) = v, let first = items.first, case .number = first {
                return [try d.doubles(field)]
            }
            return try d.matrix(field)
        }
        let z = try rowsOf("logits"), a = try rowsOf("directions")
        if z.count != a.count || z[0].count != a[0].count {
            throw d.error("directions", "shape mismatch: \(a.count) x \(a[0].count), logits are \(z.count) x \(z[0].count)")
        }
        try self.init(rows: z.count, columns: z[0].count, logits: z.flatMap { $0 }, directions: a.flatMap { $0 },
                      temperature: try d.optionalDouble("temperature") ?? 1, step: try d.optionalDouble("step"),
                      source: d.source)
    }

    /// Row `i` of the logits and directions.
    public func sample(_ i: Int) -> (logits: ArraySlice<Double>, directions: ArraySlice<Double>) {
        let r = (i * columns)..<((i + 1) * columns)
        return (logits[r], directions[r])
    }

    /// A copy with another temperature and/or step (validated like the initializer).
    public func with(temperature: Double? = nil, step: Double?? = nil) throws(InputError) -> RadiusBatch {
        try RadiusBatch(rows: rows, columns: columns, logits: logits, directions: directions,
                        temperature: temperature ?? self.temperature, step: step ?? self.step)
    }
}
