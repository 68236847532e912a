import Foundation

/// A dense row-major matrix of Doubles.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `rows * cols` entries.
    public var data: [Double]

    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(rows >= 0 && cols >= 0 && data.count == rows * cols, "Matrix: data has \(data.count) entries, expected \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, data: Array(repeating: value, count: rows * cols))
    }

    /// From an array of equal-length rows.
    public init(_ rowArrays: [[Double]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Matrix: ragged rows")
        self.init(rows: rowArrays.count, cols: c, data: rowArrays.flatMap { $0 })
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { data[i * cols + j] }
        set { data[i * cols + j] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(data[(i * cols)..<((i + 1) * cols)]) }

    /// Columns `range` of every row, as a new matrix (e.g. one head's slice).
    public func columns(_ range: Range<Int>) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(rows * range.count)
        for i in 0..<rows { out.append(contentsOf: data[(i * cols + range.lowerBound)..<(i * cols + range.upperBound)]) }
        return Matrix(rows: rows, cols: range.count, data: out)
    }

    /// Rows `range`, as a new matrix (e.g. one head's rows of a [out, in] weight).
    public func rowSlice(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, data: Array(data[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    public var transposed: Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { out[j, i] = self[i, j] } }
        return out
    }
}

/// An affine map y = W x + b with a PyTorch-style weight of shape [out, in].
public struct LinearMap: Sendable, Equatable {
    /// Shape [outFeatures, inFeatures].
    public var weight: Matrix
    /// Length outFeatures.
    public var bias: [Double]

    public init(weight: Matrix, bias: [Double]) {
        precondition(bias.count == weight.rows, "LinearMap: bias has \(bias.count) entries, weight has \(weight.rows) rows")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.cols }
    public var outFeatures: Int { weight.rows }

    /// Applies the map to every row of `x` ([tokens, in] -> [tokens, out]), in plain
    /// round-to-nearest Double arithmetic (the unperturbed forward pass; not a bound).
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.cols == inFeatures, "LinearMap.apply: input has \(x.cols) features, expected \(inFeatures)")
        var out = Matrix(rows: x.rows, cols: outFeatures)
        for t in 0..<x.rows {
            for o in 0..<outFeatures {
                var s = bias[o]
                for i in 0..<inFeatures { s += weight[o, i] * x[t, i] }
                out[t, o] = s
            }
        }
        return out
    }
}

/// LayerNorm over the feature dimension: y = gamma * (x - mean) / sqrt(var + eps) + beta,
/// with the biased variance (as PyTorch).
public struct LayerNormParameters: Sendable, Equatable {
    public var gamma: [Double]
    public var beta: [Double]
    public var epsilon: Double

    public init(gamma: [Double], beta: [Double], epsilon: Double = 1e-12) {
        precondition(gamma.count == beta.count, "LayerNorm: gamma and beta lengths differ")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    /// Plain Double forward pass on each row.
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.cols == gamma.count, "LayerNorm.apply: input has \(x.cols) features, expected \(gamma.count)")
        var out = x
        let n = Double(x.cols)
        for t in 0..<x.rows {
            var mean = 0.0
            for j in 0..<x.cols { mean += x[t, j] }
            mean /= n
            var v = 0.0
            for j in 0..<x.cols { let d = x[t, j] - mean; v += d * d }
            v /= n
            let inv = 1 / (v + epsilon).squareRoot()
            for j in 0..<x.cols { out[t, j] = gamma[j] * (x[t, j] - mean) * inv + beta[j] }
        }
        return out
    }
}

/// One multi-head self-attention block (DESIGN.md section 5):
/// Q = X Wq^T + bq, K = X Wk^T + bk, V = X Wv^T + bv; per head h,
/// S_h = Q_h K_h^T / sqrt(d_h), P_h = row-softmax(S_h), O_h = P_h V_h; O = concat_h O_h;
/// Y = O Wo^T + bo; if `residual`, Y += X; if `layerNorm` is set, Y = LayerNorm(Y)
/// (the BERT "attention.output" block: dense, dropout (identity), LayerNorm(Y + X)).
public struct AttentionLayer: Sendable, Equatable {
    public var query: LinearMap
    public var key: LinearMap
    public var value: LinearMap
    public var output: LinearMap
    public var heads: Int
    /// Add the input to the output projection (BERT: true).
    public var residual: Bool
    /// LayerNorm after the residual (BERT: the attention.output.LayerNorm parameters).
    public var layerNorm: LayerNormParameters?

    public init(query: LinearMap, key: LinearMap, value: LinearMap, output: LinearMap,
                heads: Int, residual: Bool = false, layerNorm: LayerNormParameters? = nil) {
        precondition(heads >= 1 && query.outFeatures % heads == 0, "AttentionLayer: hidden size \(query.outFeatures) not divisible by \(heads) heads")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.heads = heads
        self.residual = residual
        self.layerNorm = layerNorm
    }

    /// Model (input) dimension d.
    public var modelDimension: Int { query.inFeatures }
    /// Per-head dimension d_h.
    public var headDimension: Int { query.outFeatures / heads }

    /// The attention probabilities of every head for input `x` ([T, d]), plain Double.
    public func attentionWeights(_ x: Matrix) -> [Matrix] {
        let q = query.apply(x), k = key.apply(x)
        let dh = headDimension
        let scale = 1 / Double(dh).squareRoot()
        return (0..<heads).map { h in
            let cols = (h * dh)..<((h + 1) * dh)
            let qh = q.columns(cols), kh = k.columns(cols)
            var p = Matrix(rows: x.rows, cols: x.rows)
            for i in 0..<x.rows {
                var row = [Double](repeating: 0, count: x.rows)
                for j in 0..<x.rows {
                    var s = 0.0
                    for c in 0..<dh { s += qh[i, c] * kh[j, c] }
                    row[j] = s * scale
                }
                let m = row.max()!
                var z = 0.0
                for j in 0..<x.rows { row[j] = Foundation.exp(row[j] - m); z += row[j] }
                for j in 0..<x.rows { p[i, j] = row[j] / z }
            }
            return p
        }
    }

    /// The unperturbed forward pass in plain round-to-nearest Double (a reference value,
    /// not a bound): [T, d] -> [T, d_out].
    public func forward(_ x: Matrix) -> Matrix {
        let v = value.apply(x)
        let dh = headDimension
        let probs = attentionWeights(x)
        var o = Matrix(rows: x.rows, cols: value.outFeatures)
        for h in 0..<heads {
            let p = probs[h]
            for i in 0..<x.rows {
                for c in 0..<dh {
                    var s = 0.0
                    for j in 0..<x.rows { s += p[i, j] * v[j, h * dh + c] }
                    o[i, h * dh + c] = s
                }
            }
        }
        var y = output.apply(o)
        if residual {
            precondition(y.cols == x.cols, "AttentionLayer: residual needs output size == input size")
            for n in 0..<y.data.count { y.data[n] += x.data[n] }
        }
        if let ln = layerNorm { y = ln.apply(y) }
        return y
    }
}
