import CertmaxGraph
import CertmaxNumerics

/// Add / Sub: exact sums of forms (coefficient sums under the combination slack).
/// Mul: by a constant, a scaling of the form; of two variables, the midpoint McCormick
/// relaxation (`bilinearRemainder`). Div: by a constant c, the form times fl(1/c) plus
/// x (1/c - fl(1/c)) bounded on x's box; by a variable, x times the relaxation of 1/y
/// (`UnaryRelaxation.reciprocal`, y's box must exclude 0), else nil.
/// An element whose boxes are not finite gets its output box (slope 0).
extension Add: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        broadcastLinear(x, outputShape, sign: 1, space)
    }
}

extension Sub: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        broadcastLinear(x, outputShape, sign: -1, space)
    }
}

/// out = x0 + sign * x1 with broadcasting.
func broadcastLinear(_ x: [SymbolicOperand], _ out: [Int], sign: Double, _ space: SymbolicSpace) -> AffineForms {
    let ia = ShapeMath.broadcastIndices(from: x[0].shape, to: out)
    let ib = ShapeMath.broadcastIndices(from: x[1].shape, to: out)
    var lc = LinearCombination(sources: [x[0].formsOrBox(space), x[1].formsOrBox(space)])
    let aConst = x[0].constant, bConst = x[1].constant
    for k in 0..<ia.count {
        var extra = Interval.zero
        if let a = aConst { extra = extra + Interval(a.data[ia[k]]) } else { lc.add(source: 0, row: ia[k], weight: 1) }
        if let b = bConst { extra = extra + Interval(b.data[ib[k]]) * sign } else { lc.add(source: 1, row: ib[k], weight: sign) }
        lc.endRow(extra: extra)
    }
    return lc.build(space)
}

extension Mul: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        let ia = ShapeMath.broadcastIndices(from: x[0].shape, to: outputShape)
        let ib = ShapeMath.broadcastIndices(from: x[1].shape, to: outputShape)
        return elementwiseProduct(x[0], x[0].formsOrBox(space), x[0].box.data, x[1].constant, x[1].formsOrBox(space),
                                  x[1].box.data, ia, ib, outputBox, space)
    }
}

extension Div: SymbolicOp {
    public func symbolicForms(_ x: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        let ia = ShapeMath.broadcastIndices(from: x[0].shape, to: outputShape)
        let ib = ShapeMath.broadcastIndices(from: x[1].shape, to: outputShape)
        if let b = x[1].constant {
            var lc = LinearCombination(sources: [x[0].formsOrBox(space)])
            for k in 0..<ia.count {
                let c = b.data[ib[k]]
                let w = 1 / c
                let exact = Interval.one / Interval(c)
                guard w.isFinite, exact.isBounded else { lc.endRow(extra: outputBox.data[k]); continue }
                // x / c = w x + x (1/c - w), the second term on x's box.
                lc.add(source: 0, row: ia[k], weight: w)
                lc.endRow(extra: x[0].box.data[ia[k]] * (exact - Interval(w)))
            }
            return lc.build(space)
        }
        // Variable denominator: relax r = 1/y elementwise, then multiply.
        let yBox = x[1].box.data
        let yForms = x[1].formsOrBox(space)
        let (rForms, rBox) = UnaryRelaxation.reciprocal.apply(yForms, box: yBox, space)
        return elementwiseProduct(x[0], x[0].formsOrBox(space), x[0].box.data, nil, rForms, rBox, ia, ib, outputBox, space)
    }
}

/// out_k = a[ia[k]] * b[ib[k]] (Mul, and Div after relaxing 1/y): a constant factor scales
/// the other's form; two variables use midpoint McCormick on their boxes
/// (`bilinearRemainder`); a non-finite box gives the output box (slope 0).
func elementwiseProduct(_ a: SymbolicOperand, _ aForms: AffineForms, _ aBox: [Interval], _ bConst: Tensor<Double>?,
                        _ bForms: AffineForms, _ bBox: [Interval], _ ia: [Int], _ ib: [Int],
                        _ outputBox: Tensor<Interval>, _ space: SymbolicSpace) -> AffineForms {
    var lc = LinearCombination(sources: [aForms, bForms])
    for k in 0..<ia.count {
        if let c = a.constant {
            lc.add(source: 1, row: ib[k], weight: c.data[ia[k]]); lc.endRow()
        } else if let c = bConst {
            lc.add(source: 0, row: ia[k], weight: c.data[ib[k]]); lc.endRow()
        } else if let p = centreRadius(aBox[ia[k]]), let q = centreRadius(bBox[ib[k]]) {
            lc.add(source: 0, row: ia[k], weight: q.c)
            lc.add(source: 1, row: ib[k], weight: p.c)
            lc.endRow(extra: bilinearRemainder(p, q))
        } else {
            lc.endRow(extra: outputBox.data[k])
        }
    }
    return lc.build(space)
}
