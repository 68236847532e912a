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

    /// A tensor over `data` with `shape`. Traps if the element count differs (a
    /// programming error: every front end validates shapes before building tensors).
    public init(shape: [Int], data: [Element]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == data.count,
                     "Tensor: \(data.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of `shape` with every element `value`.
    public init(shape: [Int], repeating value: Element) {
        self.init(shape: shape, data: [Element](repeating: value, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    @inlinable public var count: Int { data.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// Elementwise map.
    @inlinable public func map<T: Sendable>(_ f: (Element) throws -> T) rethrows -> Tensor<T> {
        Tensor<T>(shape: shape, data: try data.map(f))
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
    /// The box [lower, upper] elementwise. Precondition: equal shapes, lower <= upper.
    public init(lower: Tensor<Double>, upper: Tensor<Double>) {
        precondition(lower.shape == upper.shape, "Tensor(lower:upper:): shapes differ")
        var d = [Interval](); d.reserveCapacity(lower.count)
        for i in 0..<lower.count {
            precondition(!(lower.data[i] > upper.data[i]), "Tensor(lower:upper:): lower > upper at \(i)")
            d.append(Interval(uncheckedLower: lower.data[i], upper: upper.data[i]))
        }
        self.init(shape: lower.shape, data: d)
    }
}
