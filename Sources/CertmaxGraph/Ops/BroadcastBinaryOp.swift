import CertmaxNumerics

/// An elementwise op of two inputs with numpy broadcasting (Add, Sub, Mul, Div).
/// Implementations give the scalar function in Double and in outward-rounded interval
/// arithmetic (sound: contains the exact real result for all operands in the boxes), and
/// its two partial derivatives.
public protocol BroadcastBinaryOp: GraphOp {
    func apply(_ a: Double, _ b: Double) -> Double
    func apply(_ a: Interval, _ b: Interval) -> Interval
    /// (d out / d a, d out / d b) at (a, b).
    func partials(_ a: Double, _ b: Double) -> (Double, Double)
}

extension BroadcastBinaryOp {
    public func outputShape(_ s: [[Int]]) throws(GraphError) -> [Int] {
        try expectInputs(s, 2...2, opType)
        guard let out = ShapeMath.broadcast(s[0], s[1]) else {
            throw GraphError(op: opType, problem: "shapes \(s[0]) and \(s[1]) do not broadcast")
        }
        return out
    }

    func run<E: Sendable>(_ x: [Tensor<E>], _ f: (E, E) -> E) -> Tensor<E> {
        let out = ShapeMath.broadcast(x[0].shape, x[1].shape)!
        let n = out.reduce(1, *)
        let a = x[0].data, b = x[1].data
        var data = [E](); data.reserveCapacity(n)
        if x[0].shape == out && x[1].shape == out {
            for k in 0..<n { data.append(f(a[k], b[k])) }
        } else {
            let ia = ShapeMath.broadcastIndices(from: x[0].shape, to: out)
            let ib = ShapeMath.broadcastIndices(from: x[1].shape, to: out)
            for k in 0..<n { data.append(f(a[ia[k]], b[ib[k]])) }
        }
        return Tensor(uncheckedShape: out, data: data)
    }

    public func forward(_ x: [Tensor<Double>]) -> Tensor<Double> { run(x) { apply($0, $1) } }
    public func interval(_ x: [Tensor<Interval>]) -> Tensor<Interval> { run(x) { apply($0, $1) } }

    public func backward(_ g: Tensor<Double>, inputs x: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        let out = g.shape
        let ia = ShapeMath.broadcastIndices(from: x[0].shape, to: out)
        let ib = ShapeMath.broadcastIndices(from: x[1].shape, to: out)
        var ga = [Double](repeating: 0, count: wrt[0] ? x[0].count : 0)
        var gb = [Double](repeating: 0, count: wrt[1] ? x[1].count : 0)
        for k in 0..<g.count {
            let (da, db) = partials(x[0].data[ia[k]], x[1].data[ib[k]])
            if wrt[0] { ga[ia[k]] += g.data[k] * da }
            if wrt[1] { gb[ib[k]] += g.data[k] * db }
        }
        return [wrt[0] ? Tensor(uncheckedShape: x[0].shape, data: ga) : nil,
                wrt[1] ? Tensor(uncheckedShape: x[1].shape, data: gb) : nil]
    }
}

/// ONNX Add (broadcasting). Interval sum rounded outward.
public struct Add: BroadcastBinaryOp {
    public init() {}
    public var opType: String { "Add" }
    public func apply(_ a: Double, _ b: Double) -> Double { a + b }
    public func apply(_ a: Interval, _ b: Interval) -> Interval { a + b }
    public func partials(_ a: Double, _ b: Double) -> (Double, Double) { (1, 1) }
}

/// ONNX Sub (broadcasting). Interval difference rounded outward.
public struct Sub: BroadcastBinaryOp {
    public init() {}
    public var opType: String { "Sub" }
    public func apply(_ a: Double, _ b: Double) -> Double { a - b }
    public func apply(_ a: Interval, _ b: Interval) -> Interval { a - b }
    public func partials(_ a: Double, _ b: Double) -> (Double, Double) { (1, -1) }
}

/// ONNX Mul (broadcasting). Interval product rounded outward.
public struct Mul: BroadcastBinaryOp {
    public init() {}
    public var opType: String { "Mul" }
    public func apply(_ a: Double, _ b: Double) -> Double { a * b }
    public func apply(_ a: Interval, _ b: Interval) -> Interval { a * b }
    public func partials(_ a: Double, _ b: Double) -> (Double, Double) { (b, a) }
}

/// ONNX Div (broadcasting). Interval quotient rounded outward; a divisor box that
/// contains 0 gives IEEE 1788 set-based division (unbounded or entire), never a trap.
public struct Div: BroadcastBinaryOp {
    public init() {}
    public var opType: String { "Div" }
    public func apply(_ a: Double, _ b: Double) -> Double { a / b }
    public func apply(_ a: Interval, _ b: Interval) -> Interval { a / b }
    public func partials(_ a: Double, _ b: Double) -> (Double, Double) { (1 / b, -a / (b * b)) }
}
