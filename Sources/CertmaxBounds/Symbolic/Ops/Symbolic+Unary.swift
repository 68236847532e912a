import CertmaxGraph
import CertmaxNumerics

/// Elementwise activations: `UnaryRelaxation` on each element's input box.
extension SymbolicOp where Self: ElementwiseUnaryOp {
    func unaryForms(_ r: UnaryRelaxation, _ x: [SymbolicOperand], _ space: SymbolicSpace) -> AffineForms? {
        r.apply(x[0].formsOrBox(space), box: x[0].box.data, space).0
    }
}

extension Relu: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.relu, x, space)
    }
}
extension Erf: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.erf, x, space)
    }
}
extension Tanh: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.tanh, x, space)
    }
}
extension Sigmoid: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.sigmoid, x, space)
    }
}
extension Gelu: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.gelu, x, space)
    }
}
extension Sqrt: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.sqrt, x, space)
    }
}
extension Pow: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>, space: SymbolicSpace) -> AffineForms? {
        unaryForms(.power(exponent), x, space)
    }
}
