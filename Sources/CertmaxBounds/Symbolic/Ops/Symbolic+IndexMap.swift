import CertmaxGraph
import CertmaxNumerics

/// Data movement (Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Identity, Concat,
/// Slice, Gather): each output element is one input element, so its form is that
/// element's form, copied exactly (no arithmetic, no rounding, no slack).
extension SymbolicOp where Self: IndexMapOp {
    public func symbolicForms(_ inputs: [SymbolicOperand], outputShape: [Int], outputBox: Tensor<Interval>,
                              space: SymbolicSpace) -> AffineForms? {
        let (which, index) = indexMap(inputs.map(\.shape))
        let sources = inputs.map { $0.formsOrBox(space) }
        if sources.count == 1 { return sources[0].gathered(index) }
        return AffineForms.gathered(from: sources, which: which, index: index)
    }
}

extension AffineForms {
    /// Element k of the result is element index[k] of sources[which[k]] (exact copy).
    static func gathered(from sources: [AffineForms], which: [Int], index: [Int]) -> AffineForms {
        let m = index.count
        let n = sources.filter { !$0.isZero }.map(\.symbols).max() ?? 0
        let lo = (0..<m).map { sources[which[$0]].low[index[$0]] }
        let hi = (0..<m).map { sources[which[$0]].high[index[$0]] }
        if sources.allSatisfy(\.isZero) { return AffineForms(uncheckedRows: m, symbols: n, slopes: .zero, low: lo, high: hi) }
        let anyDense = sources.contains { if case .dense = $0.slopes { return true }; return false }
        if !anyDense {
            let u: [Int32] = (0..<m).map { k in
                if case .unit(let u) = sources[which[k]].slopes { return u[index[k]] }
                return -1
            }
            return AffineForms(uncheckedRows: m, symbols: n, slopes: .unit(u), low: lo, high: hi)
        }
        var a = [Double](repeating: 0, count: m * n)
        for k in 0..<m {
            switch sources[which[k]].slopes {
            case .zero: break
            case .unit(let u): if u[index[k]] >= 0 { a[k * n + Int(u[index[k]])] = 1 }
            case .dense(let d):
                let ns = sources[which[k]].symbols
                for j in 0..<ns { a[k * n + j] = d[index[k] * ns + j] }
            }
        }
        return AffineForms(uncheckedRows: m, symbols: n, slopes: .dense(a), low: lo, high: hi)
    }
}

extension Transpose: SymbolicOp {}
extension Reshape: SymbolicOp {}
extension Flatten: SymbolicOp {}
extension Squeeze: SymbolicOp {}
extension Unsqueeze: SymbolicOp {}
extension Identity: SymbolicOp {}
extension Concat: SymbolicOp {}
extension Slice: SymbolicOp {}
extension Gather: SymbolicOp {}
