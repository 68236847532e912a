import CertmaxNumerics

/// An op that only moves elements: each output element is one element of one input
/// (Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Identity, Concat, Slice, Gather).
///
/// Such ops are exact: `forward`, `interval` and `backward` all follow from the index
/// map, so the soundness contract holds trivially (no arithmetic, no rounding).
public protocol IndexMapOp: GraphOp {
    /// For every output element (row-major), the input it comes from and the flat index
    /// in that input. Precondition: shapes accepted by `outputShape`.
    func indexMap(_ inputs: [[Int]]) -> (input: [Int], index: [Int])
}

extension IndexMapOp {
    func gather<E: Sendable>(_ inputs: [Tensor<E>]) -> Tensor<E> {
        let shapes = inputs.map(\.shape)
        let outShape = (try? outputShape(shapes)) ?? []
        let (which, index) = indexMap(shapes)
        var data = [E](); data.reserveCapacity(which.count)
        if inputs.count == 1 {
            let src = inputs[0].data
            for k in 0..<index.count { data.append(src[index[k]]) }
        } else {
            for k in 0..<index.count { data.append(inputs[which[k]].data[index[k]]) }
        }
        return Tensor(uncheckedShape: outShape, data: data)
    }

    public func forward(_ inputs: [Tensor<Double>]) -> Tensor<Double> { gather(inputs) }
    public func interval(_ inputs: [Tensor<Interval>]) -> Tensor<Interval> { gather(inputs) }

    public func backward(_ g: Tensor<Double>, inputs: [Tensor<Double>], output: Tensor<Double>,
                         wrt: [Bool]) -> [Tensor<Double>?] {
        let (which, index) = indexMap(inputs.map(\.shape))
        var grads: [[Double]?] = inputs.indices.map { wrt[$0] ? [Double](repeating: 0, count: inputs[$0].count) : nil }
        for k in 0..<index.count where grads[which[k]] != nil {
            grads[which[k]]![index[k]] += g.data[k]
        }
        return inputs.indices.map { i in grads[i].map { Tensor(uncheckedShape: inputs[i].shape, data: $0) } }
    }
}
