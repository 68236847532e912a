import CertmaxIO
import CertmaxSoftmax

/// Value checks of score boxes (and objective coefficients) with the CLI's messages.
///
/// The fast check is a plain scan (finite, `lower <= upper`, `|c| <= 1e300`, temperature
/// finite and > 0: exactly the rules of `SoftmaxBoxInput` / `ObjectiveInput`). When it
/// fails, the offending row is run through the library's own JSON validator
/// (`SoftmaxBoxInput(document:)` / `ObjectiveInput(document:)`), so the message is the
/// one `certmax softmax` / `certmax objective` prints for the same numbers, with the
/// function name (and row) in place of the file name.
enum BoxValidation {
    /// Largest |c_i| `ObjectiveInput` accepts.
    static let maximumCoefficient = 1e300

    /// Throws the CLI's message for the first invalid row, if any.
    static func check(lower: RowReader, upper: RowReader, c: RowReader? = nil, rows: Int, temperature: Double,
                      _ function: String) throws {
        var bad: Int? = temperature.isFinite && temperature > 0 ? nil : 0
        if bad == nil {
            scan: for r in 0..<rows {
                if !rowIsValid(lower: lower, upper: upper, c: c, r) { bad = r; break scan }
            }
        }
        guard let r = bad else { return }
        let source = rows > 1 ? "\(function) row \(r)" : function
        var fields: [String: JSONValue] = [
            "lower": .array(lower.array(r).map { .number($0) }),
            "upper": .array(upper.array(r).map { .number($0) }),
            "temperature": .number(temperature),
        ]
        let doc: JSONDocument
        if let c {
            fields["c"] = .array(c.array(r).map { .number($0) })
            doc = JSONDocument(object: fields, source: source)
            _ = try ObjectiveInput(document: doc)
        } else {
            doc = JSONDocument(object: fields, source: source)
            _ = try SoftmaxBoxInput(document: doc)
        }
        // The scan and the library validator implement the same rules; should they ever
        // disagree, refuse the input rather than compute with it.
        throw CallError.invalid(source, "invalid box (lower, upper\(c == nil ? "" : ", c") or temperature)")
    }

    /// The scan of row `r` (no allocation).
    @inline(__always)
    static func rowIsValid(lower: RowReader, upper: RowReader, c: RowReader?, _ r: Int) -> Bool {
        if case .double(let lp) = lower.storage, case .double(let up) = upper.storage {
            if !boxIsValid(lp + r * lower.stride, up + r * upper.stride, lower.k) { return false }
        } else if !scalarBoxIsValid(lower: lower, upper: upper, r) {
            return false
        }
        if let c {
            for i in 0..<c.k {
                let x = c[r, i]
                if !(x.isFinite && x.magnitude <= maximumCoefficient) { return false }
            }
        }
        return true
    }

    /// Whether every `l[i]`, `u[i]` is finite with `l[i] <= u[i]`, eight lanes at a time:
    /// `l >= -max`, `u <= max` and `l <= u` (all false for NaN) imply both are finite.
    @inline(__always)
    static func boxIsValid(_ l: UnsafePointer<Double>, _ u: UnsafePointer<Double>, _ k: Int) -> Bool {
        let lowest = SIMD8<Double>(repeating: -.greatestFiniteMagnitude)
        let highest = SIMD8<Double>(repeating: .greatestFiniteMagnitude)
        var good = SIMDMask<SIMD8<Int64>>(repeating: true)
        var i = 0
        while i + 8 <= k {
            let lv = UnsafeRawPointer(l + i).loadUnaligned(as: SIMD8<Double>.self)
            let uv = UnsafeRawPointer(u + i).loadUnaligned(as: SIMD8<Double>.self)
            good = good .& (lv .>= lowest) .& (uv .<= highest) .& (lv .<= uv)
            i += 8
        }
        if !all(good) { return false }
        while i < k {
            if !(l[i] >= -.greatestFiniteMagnitude && u[i] <= .greatestFiniteMagnitude && l[i] <= u[i]) { return false }
            i += 1
        }
        return true
    }

    /// Whether every `x[i]` is finite (`-max <= x <= max`, false for NaN), eight lanes at a time.
    @inline(__always)
    static func allFinite(_ x: UnsafePointer<Double>, _ k: Int) -> Bool {
        let lowest = SIMD8<Double>(repeating: -.greatestFiniteMagnitude)
        let highest = SIMD8<Double>(repeating: .greatestFiniteMagnitude)
        var good = SIMDMask<SIMD8<Int64>>(repeating: true)
        var i = 0
        while i + 8 <= k {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
            good = good .& (v .>= lowest) .& (v .<= highest)
            i += 8
        }
        if !all(good) { return false }
        while i < k {
            if !x[i].isFinite { return false }
            i += 1
        }
        return true
    }

    /// The same rule entry by entry (float input).
    static func scalarBoxIsValid(lower: RowReader, upper: RowReader, _ r: Int) -> Bool {
        for i in 0..<lower.k {
            let l = lower[r, i], u = upper[r, i]
            if !(l.isFinite && u.isFinite && l <= u) { return false }
        }
        return true
    }
}
