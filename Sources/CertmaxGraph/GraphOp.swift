import CertmaxNumerics

/// One tensor operation of a `Graph`: the contract every op file implements.
///
/// Parameters an op needs to know at load time (axes, permutations, target shapes,
/// gather indices, ...) are stored in the op; tensor operands (activations, weights,
/// biases) are its inputs, and the graph records which of them are constants.
///
/// Soundness contract of `interval`: for every choice of real inputs x_i inside the
/// boxes `inputs[i]`, the exact real-number result of the op (its mathematical
/// definition, not a floating-point evaluation) lies inside the returned box. With point
/// intervals this is a sound forward pass at a point (every rounding enclosed); with
/// boxes it is box (interval bound) propagation. Non-finite or empty input intervals
/// must give a sound (possibly entire) result, never a trap.
///
/// `forward` is the plain round-to-nearest Double evaluation (no guarantee), used by
/// attacks and reference comparisons. `backward` is its vector-Jacobian product.
public protocol GraphOp: Sendable {
    /// The op type as ONNX names it, e.g. `MatMul`.
    var opType: String { get }

    /// The output shape for inputs of the given shapes. Throws a `GraphError` (without
    /// the node name; the graph adds it) when the shapes do not fit the op.
    func outputShape(_ inputs: [[Int]]) throws(GraphError) -> [Int]

    /// Plain Double evaluation. Precondition: input shapes accepted by `outputShape`.
    func forward(_ inputs: [Tensor<Double>]) -> Tensor<Double>

    /// Sound interval evaluation (see the type's contract).
    func interval(_ inputs: [Tensor<Interval>]) -> Tensor<Interval>

    /// Vector-Jacobian product of `forward` at `inputs`: given the gradient of a scalar
    /// with respect to the output, the gradients with respect to each input `i` with
    /// `wrt[i]` (nil for the others). `output` is `forward(inputs)`.
    func backward(_ gradOutput: Tensor<Double>, inputs: [Tensor<Double>], output: Tensor<Double>,
                  wrt: [Bool]) -> [Tensor<Double>?]
}

/// Checks the number of inputs; shared by the ops' `outputShape`.
@inlinable func expectInputs(_ shapes: [[Int]], _ range: ClosedRange<Int>, _ op: String) throws(GraphError) {
    guard range.contains(shapes.count) else {
        let want = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
        throw GraphError(op: op, problem: "expected \(want) inputs, got \(shapes.count)")
    }
}
