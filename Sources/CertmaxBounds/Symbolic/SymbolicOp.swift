import CertmaxGraph
import CertmaxNumerics

/// One input of a node as the symbolic engine sees it: its shape, its sound box, its
/// constant value when it is a constant, and its affine forms when it depends on the
/// input (nil for constants).
public struct SymbolicOperand: Sendable {
    public let shape: [Int]
    public let box: Tensor<Interval>
    public let constant: Tensor<Double>?
    public let forms: AffineForms?

    /// The forms of this operand, constants included (slope 0, remainder = the value).
    public func formsOrBox(_ space: SymbolicSpace) -> AffineForms {
        forms ?? AffineForms(box: box.data, symbols: space.symbols)
    }
}

/// The linear relaxation of one graph op, in the shape of auto_LiRPA's bound operators:
/// each op that has one conforms in its own file (`Symbolic+<Op>.swift`).
///
/// Contract: given operands whose forms and boxes are sound for the input box (the
/// engine's invariant, see `AffineForms`) and the op's sound output box `outputBox`
/// (already computed by the op's interval evaluation), return forms that contain the
/// op's exact real output for every input in the box, or nil when the op has no
/// relaxation for these operands (the engine then uses `outputBox` as slope-0 forms).
public protocol SymbolicOp: GraphOp {
    func symbolicForms(_ inputs: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                       space: SymbolicSpace) -> AffineForms?
}
