import CertmaxIO
import CertmaxNumerics
import Foundation

/// The result of `certmax softmax`: per-coordinate bounds with their JSON and text forms.
public struct SoftmaxReport: Sendable {
    /// Per-coordinate enclosures (of softmax, or of log-softmax when `isLog`).
    public var bounds: [Interval]
    /// With `precision`: the MPFR endpoints as decimal strings (outward rounded).
    public var decimals: [(lower: String, upper: String)]?
    public var temperature: Double
    public var isLog: Bool
    public var precision: Int?

    /// Computes the bounds for a validated box (Double path, or MPFR with `precision` bits).
    public init(box: SoftmaxBoxInput, log: Bool = false, precision: Int? = nil) {
        temperature = box.temperature
        isLog = log
        self.precision = precision
        if let precision, !log {
            let big = PreciseSoftmax.uncheckedPerCoordinate(lower: box.lower, upper: box.upper, temperature: box.temperature,
                                                   precision: precision)
            bounds = big.map(\.interval)
            let digits = Swift.max(17, precision * 30103 / 100000 + 2)
            decimals = big.map { ($0.lower.text(digits: digits, rounding: .down), $0.upper.text(digits: digits, rounding: .up)) }
        } else if log {
            bounds = SoftmaxBounds.uncheckedLogPerCoordinate(lower: box.lower, upper: box.upper, temperature: box.temperature)
        } else {
            bounds = SoftmaxBounds.uncheckedPerCoordinate(lower: box.lower, upper: box.upper, temperature: box.temperature)
        }
        // Defence in depth (issue 15): a NaN end never reaches the output; it becomes the
        // trivially sound bound (0 / 1 for probabilities, -inf / 0 for log-probabilities).
        for j in bounds.indices where bounds[j].lower.isNaN || bounds[j].upper.isNaN {
            let lo = bounds[j].lower.isNaN ? (log ? -.infinity : 0) : bounds[j].lower
            let hi = bounds[j].upper.isNaN ? (log ? 0 : 1) : bounds[j].upper
            bounds[j] = Interval(uncheckedLower: lo, upper: hi)
            decimals?[j] = ("\(lo)", "\(hi)")
        }
    }

    /// `{"lower":[..],"upper":[..]}` plus `"quantity"`, `"temperature"` and, with a precision,
    /// `"precision"`, `"lower_decimal"`, `"upper_decimal"`.
    public var json: JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("lower", .numbers(bounds.map(\.lower))),
            ("upper", .numbers(bounds.map(\.upper))),
            ("quantity", .string(isLog ? "log_softmax" : "softmax")),
            ("temperature", .number(temperature)),
        ]
        if let precision, let decimals {
            fields.append(("precision", .int(precision)))
            fields.append(("lower_decimal", .array(decimals.map { .string($0.lower) })))
            fields.append(("upper_decimal", .array(decimals.map { .string($0.upper) })))
        }
        return .object(fields)
    }

    /// A readable table, one row per coordinate.
    public var text: String {
        var out = "\(isLog ? "log-softmax" : "softmax") bounds over the box (K = \(bounds.count), T = \(temperature)"
        out += precision.map { ", MPFR \($0) bits)\n" } ?? ")\n"
        out += "   j  lower                      upper\n"
        for (j, b) in bounds.enumerated() {
            let lo = decimals?[j].lower ?? "\(b.lower)", hi = decimals?[j].upper ?? "\(b.upper)"
            out += "\(String(repeating: " ", count: Swift.max(0, 4 - String(j).count)))\(j)  \(lo.padding(toLength: Swift.max(25, lo.count), withPad: " ", startingAt: 0))  \(hi)\n"
        }
        return out
    }
}

/// The result of `certmax objective`.
public struct ObjectiveReport: Sendable {
    public var method: ObjectiveMethod
    public var enclosure: ObjectiveEnclosure
    /// With `precision` (vertex only): decimal endpoints of min and max.
    public var decimals: (min: (String, String), max: (String, String))?
    public var precision: Int?

    /// Computes the enclosure. `precision` requires `.vertex` (checked by the caller).
    public init(input: ObjectiveInput, method: ObjectiveMethod, precision: Int? = nil) throws {
        self.method = method
        self.precision = precision
        if let precision {
            precondition(method == .vertex, "--precision applies to the vertex method")
            let b = input.box
            let r = PreciseSoftmax.uncheckedObjective(c: input.c, lower: b.lower, upper: b.upper, temperature: b.temperature,
                                             precision: precision)
            enclosure = r.doubleEnclosure.replacingNaN(c: input.c)
            let digits = Swift.max(17, precision * 30103 / 100000 + 2)
            decimals = ((r.minimum.lower.text(digits: digits, rounding: .down), r.minimum.upper.text(digits: digits, rounding: .up)),
                        (r.maximum.lower.text(digits: digits, rounding: .down), r.maximum.upper.text(digits: digits, rounding: .up)))
            if enclosure != r.doubleEnclosure {  // a NaN end was replaced: print the replacement
                let e = enclosure
                decimals = (("\(e.minimum.lower)", "\(e.minimum.upper)"), ("\(e.maximum.lower)", "\(e.maximum.upper)"))
            }
        } else {
            enclosure = try ObjectiveBounds.enclosure(input, method: method)
        }
    }

    /// `{"method":..,"min":[lo,hi],"max":[lo,hi]}` plus witnesses for exact methods and
    /// decimals with a precision.
    public var json: JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("method", .string(method.rawValue)),
            ("exact", .bool(method.isExact)),
            ("min", .numbers([enclosure.minimum.lower, enclosure.minimum.upper])),
            ("max", .numbers([enclosure.maximum.lower, enclosure.maximum.upper])),
        ]
        if let w = enclosure.minimizer { fields.append(("minimizer", .numbers(w))) }
        if let w = enclosure.maximizer { fields.append(("maximizer", .numbers(w))) }
        if let precision, let decimals {
            fields.append(("precision", .int(precision)))
            fields.append(("min_decimal", .array([.string(decimals.min.0), .string(decimals.min.1)])))
            fields.append(("max_decimal", .array([.string(decimals.max.0), .string(decimals.max.1)])))
        }
        return .object(fields)
    }

    public var text: String {
        let e = enclosure
        let mn = decimals.map { "[\($0.min.0), \($0.min.1)]" } ?? "[\(e.minimum.lower), \(e.minimum.upper)]"
        let mx = decimals.map { "[\($0.max.0), \($0.max.1)]" } ?? "[\(e.maximum.lower), \(e.maximum.upper)]"
        var out = "objective c·softmax(s/T) over the box, method \(method.rawValue)\(precision.map { " (MPFR \($0) bits)" } ?? "")\n"
        out += "  min in \(mn)\n  max in \(mx)\n"
        if let w = e.minimizer { out += "  minimizer \(w)\n" }
        if let w = e.maximizer { out += "  maximizer \(w)\n" }
        if !method.isExact {
            out += "  (relaxation: min[0] and max[1] are the sound bounds; the inner ends are values at the box centre)\n"
        }
        return out
    }
}
