import CertmaxIO
import CertmaxNumerics

/// A dense tensor with a static shape, stored row-major (C order).
///
/// `Tensor<Double>` is a concrete value (a plain forward pass), `Tensor<Interval>` a box
/// (a sound enclosure of a set of values, or of one value computed with rounding).
///
/// Postconditions: `data.count == shape.reduce(1, *)`; a scalar has shape `[]` and one
/// element. Shapes never contain negative entries.
public struct Tensor<Element: Sendable>: Sendable {
    public var shape: [Int]
    public var data: [Element]

    /// A tensor over `data` with `shape`: every dimension >= 0 and `data.count` equal to
    /// their product.
    ///
    /// Checked: throws `InputError` (source "Tensor") on a negative dimension, a product
    /// that overflows `Int`, or an element count that differs; `init(uncheckedShape:data:)`
    /// skips the check (for callers whose shapes are valid by construction).
    public init(shape: [Int], data: [Element]) throws(InputError) {
        let n = try Self.elementCount(shape, "Tensor")
        if n != data.count {
            throw InputError(source: "Tensor", location: "data", problem: "has \(data.count) elements but shape \(shape) needs \(n)")
        }
        self.init(uncheckedShape: shape, data: data)
    }

    /// Unchecked `init(shape:data:)`: traps if the shape does not match the data (a
    /// programming error: every front end validates shapes before building tensors).
    public init(uncheckedShape shape: [Int], data: [Element]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == data.count,
                     "Tensor: \(data.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of `shape` with every element `value`.
    ///
    /// Checked: throws `InputError` (source "Tensor") on a negative dimension or an element
    /// count that overflows `Int`; `init(uncheckedShape:repeating:)` skips the check.
    public init(shape: [Int], repeating value: Element) throws(InputError) {
        let n = try Self.elementCount(shape, "Tensor")
        self.init(uncheckedShape: shape, data: [Element](repeating: value, count: n))
    }

    /// Unchecked `init(shape:repeating:)`: traps on a negative dimension.
    public init(uncheckedShape shape: [Int], repeating value: Element) {
        self.init(uncheckedShape: shape, data: [Element](repeating: value, count: shape.reduce(1, *)))
    }

    /// The element count of `shape` (the product of its dimensions), or an `InputError`
    /// naming `function` for a negative dimension or a product beyond `Int`.
    public static func elementCount(_ shape: [Int], _ function: String) throws(InputError) -> Int {
        var n = 1
        for (i, d) in shape.enumerated() {
            if d < 0 { throw InputError(source: function, location: "shape[\(i)]", problem: "negative dimension \(d)") }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { throw InputError(source: function, location: "shape", problem: "\(shape) has more elements than Int can count") }
            n = p
        }
        return n
    }

    /// Number of elements.
    @inlinable public var count: Int { data.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    ///
    /// Checked: throws `InputError` (source "Tensor.reshaped") when `newShape` has a
    /// negative dimension or another element count; `uncheckedReshaped` skips the check.
    public func reshaped(_ newShape: [Int]) throws(InputError) -> Tensor {
        let n = try Self.elementCount(newShape, "Tensor.reshaped")
        if n != data.count {
            throw InputError(source: "Tensor.reshaped", location: "shape", problem: "\(newShape) needs \(n) elements, the tensor has \(data.count)")
        }
        return Tensor(uncheckedShape: newShape, data: data)
    }

    /// Unchecked `reshaped`: traps on a shape with another element count.
    public func uncheckedReshaped(_ newShape: [Int]) -> Tensor {
        Tensor(uncheckedShape: newShape, data: data)
    }

    /// Elementwise map.
    @inlinable public func map<T: Sendable>(_ f: (Element) throws -> T) rethrows -> Tensor<T> {
        Tensor<T>(uncheckedShape: shape, data: try data.map(f))
    }
}

extension Tensor where Element == Double {
    /// Point intervals of the values.
    public var asIntervals: Tensor<Interval> { map { Interval($0) } }
}

extension Tensor where Element == Interval {
    /// Lower ends.
    public var lower: Tensor<Double> { map { $0.lower } }
    /// Upper ends.
    public var upper: Tensor<Double> { map { $0.upper } }
    /// True when every element is a point interval (the value is known exactly).
    public var isPoint: Bool { data.allSatisfy { $0.isPoint } }
    /// The box [lower, upper] elementwise: equal shapes, no NaN, `lower <= upper`
    /// (infinite ends allowed, as `Interval`'s).
    ///
    /// Checked: throws `InputError` (source "Tensor(lower:upper:)") on differing shapes, a
    /// NaN end, `lower > upper`, a box end at the wrong infinity or a tensor whose data
    /// does not fill its shape; `init(uncheckedLower:upper:)` skips the checks.
    public init(lower: Tensor<Double>, upper: Tensor<Double>) throws(InputError) {
        let f = "Tensor(lower:upper:)"
        if lower.shape != upper.shape {
            throw InputError(source: f, location: "upper", problem: "has shape \(upper.shape) but lower has \(lower.shape)")
        }
        if try Tensor<Double>.elementCount(lower.shape, f) != lower.data.count || lower.data.count != upper.data.count {
            throw InputError(source: f, location: "lower", problem: "the data do not fill shape \(lower.shape)")
        }
        for i in 0..<lower.count {
            let l = lower.data[i], u = upper.data[i]
            if l.isNaN || u.isNaN { throw InputError(source: f, location: "[\(i)]", problem: "NaN is not allowed (lower \(l), upper \(u))") }
            if l > u { throw InputError(source: f, location: "[\(i)]", problem: "lower \(l) is greater than upper \(u)") }
            if l == .infinity || u == -.infinity { throw InputError(source: f, location: "[\(i)]", problem: "[\(l), \(u)] contains no real number") }
        }
        self.init(uncheckedLower: lower, upper: upper)
    }

    /// Unchecked `init(lower:upper:)`: traps on differing shapes or lower > upper.
    public init(uncheckedLower lower: Tensor<Double>, upper: Tensor<Double>) {
        precondition(lower.shape == upper.shape, "Tensor(lower:upper:): shapes differ")
        var d = [Interval](); d.reserveCapacity(lower.count)
        for i in 0..<lower.count {
            precondition(!(lower.data[i] > upper.data[i]), "Tensor(lower:upper:): lower > upper at \(i)")
            d.append(Interval(uncheckedLower: lower.data[i], upper: upper.data[i]))
        }
        self.init(uncheckedShape: lower.shape, data: d)
    }

    /// The input-box checks of the graph evaluators: data filling the shape, no NaN end, no
    /// empty interval (`lower > upper`, or both ends at one infinity); `InputError` naming
    /// `function` and `location` otherwise.
    public func checkBox(_ function: String, _ location: String) throws(InputError) {
        if try Tensor<Interval>.elementCount(shape, function) != data.count {
            throw InputError(source: function, location: location, problem: "\(data.count) elements do not fill shape \(shape)")
        }
        for (i, x) in data.enumerated() {
            if x.lower.isNaN || x.upper.isNaN {
                throw InputError(source: function, location: "\(location)[\(i)]", problem: "NaN is not allowed in \(x.lower), \(x.upper)")
            }
            if !(x.lower <= x.upper) || x.lower == .infinity || x.upper == -.infinity {
                throw InputError(source: function, location: "\(location)[\(i)]", problem: "[\(x.lower), \(x.upper)] is empty (lower > upper or no real number)")
            }
        }
    }
}
