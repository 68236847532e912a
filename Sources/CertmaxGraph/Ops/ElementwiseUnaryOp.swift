import CertmaxNumerics
import Foundation

/// An elementwise op of one input. Implementations give the scalar function in Double,
/// a sound interval enclosure (contains f(t) for every t in the box) and the derivative.
public protocol ElementwiseUnaryOp: GraphOp {
    func apply(_ x: Double) -> Double
    func apply(_ x: Interval) -> Interval
    func derivative(_ x: Double) -> Double
}

extension ElementwiseUnaryOp {
    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        return s[0]
    }
    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> { x[0].map { apply($0) } }
    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> { x[0].map { apply($0) } }
    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        guard wrt[0] else { return [nil] }
        var d = g.data
        for k in 0..<d.count { d[k] *= derivative(x[0].data[k]) }
        return [Tensor(uncheckedShape: x[0].shape, data: d)]
    }
}

/// ONNX Relu: max(x, 0). Exact in intervals.
public struct Relu: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Relu" }
    public func apply(_ x: Double) -> Double { x > 0 ? x : 0 }
    public func apply(_ x: Interval) -> Interval {
        x.isEmpty ? x : Interval(uncheckedLower: Swift.max(x.lower, 0), upper: Swift.max(x.upper, 0))
    }
    public func derivative(_ x: Double) -> Double { x > 0 ? 1 : 0 }
}

/// ONNX Erf. Interval: `Interval.erf` (libm widened, see IntervalActivations.swift).
public struct Erf: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Erf" }
    public func apply(_ x: Double) -> Double { Foundation.erf(x) }
    public func apply(_ x: Interval) -> Interval { x.erf() }
    public func derivative(_ x: Double) -> Double { 2 / Double.pi.squareRoot() * Foundation.exp(-x * x) }
}

/// ONNX Tanh. Interval: `Interval.tanh`.
public struct Tanh: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Tanh" }
    public func apply(_ x: Double) -> Double { Foundation.tanh(x) }
    public func apply(_ x: Interval) -> Interval { x.tanh() }
    public func derivative(_ x: Double) -> Double { let t = Foundation.tanh(x); return 1 - t * t }
}

/// ONNX Sigmoid. Interval: `Interval.sigmoid`.
public struct Sigmoid: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Sigmoid" }
    public func apply(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
    public func apply(_ x: Interval) -> Interval { x.sigmoid() }
    public func derivative(_ x: Double) -> Double { let s = apply(x); return s * (1 - s) }
}

/// GELU, exact form x Phi(x) (ONNX Gelu with approximate = "none", and BERT's
/// activation). Interval: `Interval.gelu`.
public struct Gelu: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Gelu" }
    public func apply(_ x: Double) -> Double { 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot())) }
    public func apply(_ x: Interval) -> Interval { x.gelu() }
    public func derivative(_ x: Double) -> Double {
        0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }
}

/// ONNX Sqrt. Interval: directed square root of the part of the box >= 0 (an input box
/// entirely below 0 gives the empty interval, the value being undefined there).
public struct Sqrt: ElementwiseUnaryOp {
    public init() {}
    public var opType: String { "Sqrt" }
    public func apply(_ x: Double) -> Double { x.squareRoot() }
    public func apply(_ x: Interval) -> Interval { x.squareRoot() }
    public func derivative(_ x: Double) -> Double { 0.5 / x.squareRoot() }
}

/// ONNX Pow with a constant exponent known at load time: integer exponents (`pown`,
/// squares exact in sign) and 0.5 (square root). Other exponents are rejected by
/// `outputShape` (so a graph never holds one); called directly, `interval` still encloses
/// x^e on the part of the box where x >= 0, as exp(e log x).
public struct Pow: ElementwiseUnaryOp {
    public var exponent: Double
    public init(exponent: Double) { self.exponent = exponent }
    public var opType: String { "Pow" }
    public static func supports(_ e: Double) -> Bool { e == 0.5 || (e == e.rounded() && abs(e) <= 64) }
    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 1...1, opType)
        guard Pow.supports(exponent) else {
            throw GraphError(op: opType, problem: "exponent \(exponent) is not supported (integers with |e| <= 64, and 0.5)")
        }
        return s[0]
    }
    public func apply(_ x: Double) -> Double { Foundation.pow(x, exponent) }
    public func apply(_ x: Interval) -> Interval {
        if exponent == 0.5 { return x.squareRoot() }
        guard Pow.supports(exponent) else {
            // Not reachable through a graph; sound anyway (and no trap converting to Int).
            if !exponent.isFinite { return .entire }
            return (x.log() * exponent).exp()
        }
        let n = Int(exponent)
        return n == 2 ? x.squared() : x.pown(n)
    }
    public func derivative(_ x: Double) -> Double { exponent * Foundation.pow(x, exponent - 1) }
}
