import CertmaxIO
import Foundation

/// A dense row-major matrix of Doubles.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `rows * cols` entries.
    public var data: [Double]

    /// A `rows` x `cols` matrix over row-major `data`.
    ///
    /// Checked: throws `InputError` (source "Matrix") on negative dimensions, a size beyond
    /// `Int` or `data.count != rows * cols`; `init(uncheckedRows:cols:data:)` skips the check.
    public init(rows: Int, cols: Int, data: [Double]) throws(InputError) {
        let n = try Self.entryCount(rows: rows, cols: cols)
        if data.count != n { throw InputError(source: "Matrix", location: "data", problem: "has \(data.count) entries, expected \(rows)x\(cols)") }
        self.init(uncheckedRows: rows, cols: cols, data: data)
    }

    /// Unchecked `init(rows:cols:data:)`: traps on a size mismatch.
    public init(uncheckedRows rows: Int, cols: Int, data: [Double]) {
        precondition(rows >= 0 && cols >= 0 && data.count == rows * cols, "Matrix: data has \(data.count) entries, expected \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// A `rows` x `cols` matrix with every entry `value`. Checked as `init(rows:cols:data:)`
    /// (negative or overflowing sizes throw); `init(uncheckedRows:cols:repeating:)` skips it.
    public init(rows: Int, cols: Int, repeating value: Double = 0) throws(InputError) {
        let n = try Self.entryCount(rows: rows, cols: cols)
        self.init(uncheckedRows: rows, cols: cols, data: Array(repeating: value, count: n))
    }

    /// Unchecked `init(rows:cols:repeating:)`: traps on negative sizes.
    public init(uncheckedRows rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(uncheckedRows: rows, cols: cols, data: Array(repeating: value, count: rows * cols))
    }

    /// From an array of equal-length rows.
    ///
    /// Checked: throws `InputError` (source "Matrix") on ragged rows;
    /// `init(uncheckedRowArrays:)` skips the check.
    public init(_ rowArrays: [[Double]]) throws(InputError) {
        let c = rowArrays.first?.count ?? 0
        if let i = rowArrays.firstIndex(where: { $0.count != c }) {
            throw InputError(source: "Matrix", location: "row \(i)", problem: "has \(rowArrays[i].count) entries, row 0 has \(c)")
        }
        self.init(uncheckedRowArrays: rowArrays)
    }

    /// Unchecked `init(_:)`: traps on ragged rows.
    public init(uncheckedRowArrays rowArrays: [[Double]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Matrix: ragged rows")
        self.init(uncheckedRows: rowArrays.count, cols: c, data: rowArrays.flatMap { $0 })
    }

    /// rows * cols, or an `InputError` for negative sizes or a product beyond `Int`.
    static func entryCount(rows: Int, cols: Int) throws(InputError) -> Int {
        if rows < 0 || cols < 0 { throw InputError(source: "Matrix", location: "shape", problem: "negative size \(rows)x\(cols)") }
        let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
        if overflow { throw InputError(source: "Matrix", location: "shape", problem: "\(rows)x\(cols) has more entries than Int can count") }
        return n
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
        return Matrix(uncheckedRows: rows, cols: range.count, data: out)
    }

    /// Rows `range`, as a new matrix (e.g. one head's rows of a [out, in] weight).
    public func rowSlice(_ range: Range<Int>) -> Matrix {
        Matrix(uncheckedRows: range.count, cols: cols, data: Array(data[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    /// An argument check: the data fill rows x cols and there are `cols` columns;
    /// an `InputError` naming `function` and `name` otherwise.
    public func check(_ function: String, _ name: String, cols expected: Int) throws(InputError) {
        if rows < 0 || cols < 0 || data.count != rows * cols {
            throw InputError(source: function, location: name, problem: "has \(data.count) entries, expected \(rows)x\(cols)")
        }
        if cols != expected { throw InputError(source: function, location: name, problem: "has \(cols) columns, expected \(expected)") }
    }

    public var transposed: Matrix {
        var out = Matrix(uncheckedRows: cols, cols: rows)
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

    /// Checked: throws `InputError` (source "LinearMap") unless `bias.count == weight.rows`
    /// and the weight's data fill its shape; `init(uncheckedWeight:bias:)` skips the check.
    public init(weight: Matrix, bias: [Double]) throws(InputError) {
        if weight.data.count != weight.rows * weight.cols {
            throw InputError(source: "LinearMap", location: "weight", problem: "has \(weight.data.count) entries, expected \(weight.rows)x\(weight.cols)")
        }
        if bias.count != weight.rows {
            throw InputError(source: "LinearMap", location: "bias", problem: "has \(bias.count) entries, weight has \(weight.rows) rows")
        }
        self.init(uncheckedWeight: weight, bias: bias)
    }

    /// Unchecked `init(weight:bias:)`: traps on a bias of the wrong length.
    public init(uncheckedWeight weight: Matrix, bias: [Double]) {
        precondition(bias.count == weight.rows, "LinearMap: bias has \(bias.count) entries, weight has \(weight.rows) rows")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.cols }
    public var outFeatures: Int { weight.rows }

    /// Applies the map to every row of `x` ([tokens, in] -> [tokens, out]), in plain
    /// round-to-nearest Double arithmetic (the unperturbed forward pass; not a bound).
    ///
    /// Checked: throws `InputError` (source "LinearMap.apply") unless `x` has `inFeatures`
    /// columns (and the map and `x` are consistent); `uncheckedApply` skips the check.
    public func apply(_ x: Matrix) throws(InputError) -> Matrix {
        try check("LinearMap.apply")
        try x.check("LinearMap.apply", "x", cols: inFeatures)
        return uncheckedApply(x)
    }

    /// The map's own consistency (its fields are public and mutable).
    func check(_ function: String) throws(InputError) {
        if weight.data.count != weight.rows * weight.cols || bias.count != weight.rows {
            throw InputError(source: function, location: "map", problem: "weight \(weight.rows)x\(weight.cols) (\(weight.data.count) entries) and bias (\(bias.count)) do not match")
        }
    }

    /// Unchecked `apply`: traps on an input of the wrong width.
    public func uncheckedApply(_ x: Matrix) -> Matrix {
        precondition(x.cols == inFeatures, "LinearMap.apply: input has \(x.cols) features, expected \(inFeatures)")
        var out = Matrix(uncheckedRows: x.rows, cols: outFeatures)
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

    /// Checked: throws `InputError` (source "LayerNormParameters") unless gamma and beta have
    /// the same length and epsilon is finite and >= 0; `init(uncheckedGamma:beta:epsilon:)`
    /// skips the check.
    public init(gamma: [Double], beta: [Double], epsilon: Double = 1e-12) throws(InputError) {
        if gamma.count != beta.count {
            throw InputError(source: "LayerNormParameters", location: "beta", problem: "has \(beta.count) entries, gamma has \(gamma.count)")
        }
        if !(epsilon.isFinite && epsilon >= 0) {
            throw InputError(source: "LayerNormParameters", location: "epsilon", problem: "must be finite and >= 0, got \(epsilon)")
        }
        self.init(uncheckedGamma: gamma, beta: beta, epsilon: epsilon)
    }

    /// Unchecked `init(gamma:beta:epsilon:)`: traps on lengths that differ.
    public init(uncheckedGamma gamma: [Double], beta: [Double], epsilon: Double = 1e-12) {
        precondition(gamma.count == beta.count, "LayerNorm: gamma and beta lengths differ")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    /// Plain Double forward pass on each row.
    ///
    /// Checked: throws `InputError` (source "LayerNormParameters.apply") unless `x` has
    /// `gamma.count` columns and gamma, beta agree; `uncheckedApply` skips the check.
    public func apply(_ x: Matrix) throws(InputError) -> Matrix {
        if gamma.count != beta.count {
            throw InputError(source: "LayerNormParameters.apply", location: "beta", problem: "has \(beta.count) entries, gamma has \(gamma.count)")
        }
        try x.check("LayerNormParameters.apply", "x", cols: gamma.count)
        return uncheckedApply(x)
    }

    /// Unchecked `apply`: traps on an input of the wrong width.
    public func uncheckedApply(_ x: Matrix) -> Matrix {
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

    ///
    /// Checked: throws `InputError` (source "AttentionLayer") unless the maps fit together
    /// (`validate`): heads >= 1 dividing the query width, key and value of the query's
    /// shape, output taking the value width, with the residual an output of the input
    /// width, LayerNorm parameters of the output width. `init(uncheckedQuery:...)` skips it.
    public init(query: LinearMap, key: LinearMap, value: LinearMap, output: LinearMap,
                heads: Int, residual: Bool = false, layerNorm: LayerNormParameters? = nil) throws(InputError) {
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.heads = heads
        self.residual = residual
        self.layerNorm = layerNorm
        try validate("AttentionLayer")
    }

    /// Checks that the layer's maps fit together (see `init`): the fields are public and
    /// mutable, so `forward` and `attentionWeights` check again. `InputError` naming `function`.
    public func validate(_ function: String) throws(InputError) {
        func fail(_ location: String, _ problem: String) -> InputError { InputError(source: function, location: location, problem: problem) }
        for (name, m) in [("query", query), ("key", key), ("value", value), ("output", output)] {
            do throws(InputError) { try m.check(function) } catch { throw fail(name, error.problem) }
        }
        let d = query.inFeatures, dq = query.outFeatures
        if heads < 1 || dq % heads != 0 { throw fail("heads", "hidden size \(dq) is not divisible by \(heads) heads") }
        if key.inFeatures != d || key.outFeatures != dq { throw fail("key", "is \(key.outFeatures)x\(key.inFeatures), expected \(dq)x\(d) (the query's shape)") }
        if value.inFeatures != d || value.outFeatures != dq { throw fail("value", "is \(value.outFeatures)x\(value.inFeatures), expected \(dq)x\(d) (the query's shape)") }
        if output.inFeatures != dq { throw fail("output", "takes \(output.inFeatures) features, the heads give \(dq)") }
        if residual && output.outFeatures != d { throw fail("output", "gives \(output.outFeatures) features, the residual needs \(d)") }
        if let ln = layerNorm, ln.gamma.count != output.outFeatures || ln.beta.count != output.outFeatures {
            throw fail("layerNorm", "has \(ln.gamma.count)/\(ln.beta.count) parameters, the output has \(output.outFeatures) features")
        }
    }

    /// Unchecked `init`: traps on a head count that does not divide the query width (other
    /// mismatches trap later, in `uncheckedForward`).
    public init(uncheckedQuery query: LinearMap, key: LinearMap, value: LinearMap, output: LinearMap,
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
    public var headDimension: Int { heads > 0 ? query.outFeatures / heads : 0 }

    /// The attention probabilities of every head for input `x` ([T, d]), plain Double.
    ///
    /// Checked: throws `InputError` (source "AttentionLayer.attentionWeights") on an
    /// inconsistent layer or an `x` without d columns; `uncheckedAttentionWeights` skips it.
    public func attentionWeights(_ x: Matrix) throws(InputError) -> [Matrix] {
        try validate("AttentionLayer.attentionWeights")
        try x.check("AttentionLayer.attentionWeights", "x", cols: modelDimension)
        return uncheckedAttentionWeights(x)
    }

    /// Unchecked `attentionWeights`.
    public func uncheckedAttentionWeights(_ x: Matrix) -> [Matrix] {
        let q = query.uncheckedApply(x), k = key.uncheckedApply(x)
        let dh = headDimension
        let scale = 1 / Double(dh).squareRoot()
        return (0..<heads).map { h in
            let cols = (h * dh)..<((h + 1) * dh)
            let qh = q.columns(cols), kh = k.columns(cols)
            var p = Matrix(uncheckedRows: x.rows, cols: x.rows)
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
    ///
    /// Checked: throws `InputError` (source "AttentionLayer.forward") on an inconsistent
    /// layer (`validate`) or an `x` without d columns; `uncheckedForward` skips the checks.
    public func forward(_ x: Matrix) throws(InputError) -> Matrix {
        try validate("AttentionLayer.forward")
        try x.check("AttentionLayer.forward", "x", cols: modelDimension)
        return uncheckedForward(x)
    }

    /// Unchecked `forward`: for a layer and input validated already (traps otherwise).
    public func uncheckedForward(_ x: Matrix) -> Matrix {
        let v = value.uncheckedApply(x)
        let dh = headDimension
        let probs = uncheckedAttentionWeights(x)
        var o = Matrix(uncheckedRows: x.rows, cols: value.outFeatures)
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
        var y = output.uncheckedApply(o)
        if residual {
            precondition(y.cols == x.cols, "AttentionLayer: residual needs output size == input size")
            for n in 0..<y.data.count { y.data[n] += x.data[n] }
        }
        if let ln = layerNorm { y = ln.uncheckedApply(y) }
        return y
    }
}
