import Foundation
import CertmaxIO

/// Named access to the tensors of a BERT-style checkpoint in a safetensors file.
///
/// Tensor names are the HuggingFace BERT names without the model prefix ("canonical"
/// names, e.g. `encoder.layer.0.attention.self.query.weight`). A canonical name is
/// resolved, in order:
/// 1. through `nameMap`: an exact key, or a key with the layer index written `{N}`
///    (`"encoder.layer.{N}.attention.self.query.weight": "h.{N}.attn.q.weight"`), whose
///    value (with `{N}` substituted) is the name in the file;
/// 2. as the canonical name itself;
/// 3. with the `bert.` prefix (checkpoints saved from `BertFor...` heads).
///
/// Shapes follow PyTorch: Linear weights are [out, in]. Every shape mismatch and every
/// missing tensor is an `InputError` naming the file and the tensor.
public struct BertWeights: Sendable {
    public let file: SafetensorsFile
    /// Canonical name (or `{N}` template) -> name in the file.
    public var nameMap: [String: String]
    /// Epsilon of every LayerNorm built from these weights (config `layer_norm_eps`).
    public var layerNormEpsilon: Double

    public init(file: SafetensorsFile, nameMap: [String: String] = [:], layerNormEpsilon: Double = 1e-12) {
        self.file = file
        self.nameMap = nameMap
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Opens `path`; the epsilon comes from `config` when given.
    public init(path: String, nameMap: [String: String] = [:], config: BertConfig? = nil) throws(InputError) {
        self.init(file: try SafetensorsFile(path: path), nameMap: nameMap,
                  layerNormEpsilon: config?.layerNormEpsilon ?? 1e-12)
    }

    /// The name in the file for a canonical name (see the type's documentation), or the
    /// first candidate tried when none is present (so an error can name it).
    public func resolve(_ canonical: String) -> (name: String, found: Bool) {
        if let mapped = nameMap[canonical] { return (mapped, file.contains(mapped)) }
        if let (template, index) = Self.template(of: canonical), let mapped = nameMap[template] {
            let name = mapped.replacingOccurrences(of: "{N}", with: String(index))
            return (name, file.contains(name))
        }
        if file.contains(canonical) { return (canonical, true) }
        if file.contains("bert." + canonical) { return ("bert." + canonical, true) }
        return (canonical, false)
    }

    /// `encoder.layer.7.x` -> (`encoder.layer.{N}.x`, 7).
    static func template(of name: String) -> (String, Int)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count > 2, parts[0] == "encoder", parts[1] == "layer", let n = Int(parts[2]) else { return nil }
        var t = parts.map(String.init)
        t[2] = "{N}"
        return (t.joined(separator: "."), n)
    }

    private func located(_ canonical: String) throws(InputError) -> (String, SafetensorsTensorInfo) {
        let (name, found) = resolve(canonical)
        guard found else {
            let also = nameMap[canonical] == nil && Self.template(of: canonical).flatMap({ nameMap[$0.0] }) == nil
                ? " (also tried \"bert.\(canonical)\")" : " (mapped from \"\(canonical)\")"
            throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "not in the file\(also)")
        }
        return (name, try file.info(name))
    }

    /// The shape of a tensor, or nil when it is absent.
    public func shape(_ canonical: String) -> [Int]? {
        let (name, found) = resolve(canonical)
        return found ? (try? file.info(name))?.shape : nil
    }

    /// A 2-D tensor as a Matrix; `rows`/`cols` (when given) must match.
    public func matrix(_ canonical: String, rows: Int? = nil, cols: Int? = nil) throws(InputError) -> Matrix {
        let (name, info) = try located(canonical)
        guard info.shape.count == 2, rows.map({ $0 == info.shape[0] }) ?? true, cols.map({ $0 == info.shape[1] }) ?? true else {
            let want = "[\(rows.map(String.init) ?? "*"), \(cols.map(String.init) ?? "*")]"
            throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "shape \(info.shape), expected \(want)")
        }
        return Matrix(uncheckedRows: info.shape[0], cols: info.shape[1], data: try file.doubles(name))
    }

    /// Rows `range` of a 2-D tensor (e.g. a few rows of an embedding table); reads only them.
    public func matrixRows(_ canonical: String, _ range: Range<Int>) throws(InputError) -> Matrix {
        let (name, info) = try located(canonical)
        guard info.shape.count == 2 else {
            throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "shape \(info.shape), expected 2 dimensions")
        }
        guard range.lowerBound >= 0, range.upperBound <= info.shape[0] else {
            throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "rows \(range.lowerBound)..<\(range.upperBound) requested, tensor has \(info.shape[0])")
        }
        let c = info.shape[1]
        return Matrix(uncheckedRows: range.count, cols: c, data: try file.doubles(name, elements: (range.lowerBound * c)..<(range.upperBound * c)))
    }

    /// A 1-D tensor; `count` (when given) must match.
    public func vector(_ canonical: String, count: Int? = nil) throws(InputError) -> [Double] {
        let (name, info) = try located(canonical)
        guard info.shape.count == 1, count.map({ $0 == info.shape[0] }) ?? true else {
            throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "shape \(info.shape), expected [\(count.map(String.init) ?? "*")]")
        }
        return try file.doubles(name)
    }

    /// A Linear layer `<prefix>.weight` [out, in] and `<prefix>.bias` [out].
    public func linear(_ prefix: String, out: Int? = nil, in inFeatures: Int? = nil) throws(InputError) -> LinearMap {
        let w = try matrix(prefix + ".weight", rows: out, cols: inFeatures)
        let b = try vector(prefix + ".bias", count: w.rows)
        return LinearMap(uncheckedWeight: w, bias: b)
    }

    /// A LayerNorm `<prefix>.weight` (gamma) and `<prefix>.bias` (beta), both [size].
    public func layerNorm(_ prefix: String, size: Int) throws(InputError) -> LayerNormParameters {
        LayerNormParameters(uncheckedGamma: try vector(prefix + ".weight", count: size),
                            beta: try vector(prefix + ".bias", count: size),
                            epsilon: layerNormEpsilon)
    }

    /// Number of `encoder.layer.N` blocks with a query weight (0, 1, ... without gaps).
    public var layerCount: Int {
        var n = 0
        while resolve("encoder.layer.\(n).attention.self.query.weight").found { n += 1 }
        return n
    }

    /// The self-attention block of encoder layer `index`:
    /// `encoder.layer.N.attention.self.{query,key,value}` and
    /// `encoder.layer.N.attention.output.dense`, plus (when `residualAndLayerNorm`) the
    /// residual connection and `encoder.layer.N.attention.output.LayerNorm`, exactly the
    /// HuggingFace `BertAttention` module in eval mode.
    ///
    /// Checks: query and key weights [dq, d], value weight [dq, d] (heads share d_h),
    /// output weight [dOut, dq], biases to match, `heads` >= 1 dividing dq; with the
    /// residual, dOut == d and LayerNorm parameters [d].
    public func attentionLayer(_ index: Int, heads: Int, residualAndLayerNorm: Bool = true) throws(InputError) -> AttentionLayer {
        let p = "encoder.layer.\(index).attention."
        guard index >= 0 else {
            throw InputError(source: file.path, location: "layer \(index)", problem: "layer index must be >= 0")
        }
        let query = try linear(p + "self.query")
        let d = query.inFeatures, dq = query.outFeatures
        guard heads >= 1, dq % heads == 0 else {
            throw InputError(source: file.path, location: "tensor \"\(resolve(p + "self.query.weight").name)\"",
                             problem: "\(dq) query features cannot be split into \(heads) heads")
        }
        let key = try linear(p + "self.key", out: dq, in: d)
        let value = try linear(p + "self.value", out: dq, in: d)
        let output = try linear(p + "output.dense", out: residualAndLayerNorm ? d : nil, in: dq)
        let norm = residualAndLayerNorm ? try layerNorm(p + "output.LayerNorm", size: d) : nil
        return AttentionLayer(uncheckedQuery: query, key: key, value: value, output: output, heads: heads,
                              residual: residualAndLayerNorm, layerNorm: norm)
    }
}
