import CertmaxAttention
import CertmaxGraph
import CertmaxIO
import CertmaxModels
import Foundation

/// A loaded spec that names a range of encoder layers (`"layers": [first, last]`) or the
/// whole model (`"scope": "model"`) of a BERT checkpoint: the graph, the input region and
/// the property (specs/README.md, "Layers and whole models").
///
/// Fields as in `VerificationSpec` (model, config, heads, layer_norm_eps, input,
/// perturbation, property, description), plus `layers` / `scope`; `layer` and
/// `residual_layernorm` (one-block fields) are rejected, `tensor_names` maps canonical
/// HuggingFace names (optionally with `{N}` for the layer index) to names in the file,
/// attention properties are rejected (they name one block). Token-id and text inputs are
/// embedded; for `layers` starting at `first` > 0 they are then carried through layers
/// 0..<first by the plain Double forward pass, which defines the region's center (a
/// reference point, not a bound: the region is the set around those Double numbers).
public struct GraphVerificationSpec: Sendable {
    /// The graph and its stages.
    public var model: BertGraph
    public var scope: BertGraphScope
    public var region: InputRegion
    public var property: PropertyFormula
    /// The graph output's shape as the property sees it: [tokens, width].
    public var outputTokens: Int
    public var outputWidth: Int
    public var source: String
    public var description: String?

    public static let knownFields: Set<String> = ["description", "model", "config", "heads", "layer_norm_eps", "tensor_names",
                                                  "input", "perturbation", "property", "layers", "scope"]

    /// Reads a spec file (relative paths against its folder, `-` for standard input).
    public init(path: String) throws(InputError) {
        try self.init(document: try JSONDocument(path: path), baseDirectory: VerificationSpec.baseDirectory(ofSpecAt: path))
    }

    /// - Throws: `InputError` naming the file, the field (or tensor) and the problem for
    ///   every malformed or inconsistent input (bad layer range, missing tensor, shape
    ///   mismatch, property index out of range).
    public init(document doc: JSONDocument, baseDirectory: String) throws(InputError) {
        source = doc.source
        for field in ["layer", "residual_layernorm"] where doc.has(field) {
            throw doc.error(field, "names one attention block; a spec with \"layers\" or \"scope\" covers whole encoder layers")
        }
        if let unknown = doc.unknownFields(known: Self.knownFields).first {
            throw doc.error(unknown, "unknown field (known: \(Self.knownFields.sorted().joined(separator: ", ")))")
        }
        description = try doc.optionalString("description")
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: baseDirectory).appendingPathComponent(p).path
        }
        // Tensor names: canonical (or {N} template) -> name in the file.
        var nameMap: [String: String] = [:]
        if doc.has("tensor_names") {
            let m = try doc.object("tensor_names")
            for key in m.root.keys.sorted() { nameMap[key] = try m.string(key) }
        }
        let modelPath = resolve(try doc.string("model"))
        let inputDoc = doc.has("input") ? try doc.object("input") : nil
        let configPath = try doc.optionalString("config").map(resolve)
        let checkpoint = try BertCheckpoint(weightsPath: modelPath, configPath: configPath,
                                            vocabPath: try inputDoc?.optionalString("vocab").map(resolve), nameMap: nameMap)
        let heads: Int
        if doc.has("heads") {
            let h = try doc.double("heads")
            guard h == h.rounded(), h >= 1, h < 1e6 else { throw doc.error("heads", "expected an integer >= 1") }
            heads = Int(h)
        } else {
            guard let h = checkpoint.config?.numAttentionHeads else {
                throw doc.error("heads", "missing (and no config.json with num_attention_heads next to the weights)")
            }
            heads = h
        }
        let configFile = configPath ?? URL(fileURLWithPath: modelPath).deletingLastPathComponent().appendingPathComponent("config.json").path
        let activation = FileManager.default.fileExists(atPath: configFile) ? try BertActivation.fromConfig(path: configFile) : .gelu
        var epsilon: Double? = nil
        if doc.has("layer_norm_eps") {
            let e = try doc.double("layer_norm_eps")
            guard e > 0, e.isFinite else { throw doc.error("layer_norm_eps", "must be finite and > 0") }
            epsilon = e
        }
        scope = try Self.scope(doc, layerCount: checkpoint.weights.layerCount, modelPath: modelPath)

        // Property first (a VNN-LIB file may carry the input box, which fixes T). The
        // input and output widths come from a 1-token build of the same scope (the
        // tensors fix them; T does not).
        let propDoc = try doc.object("property")
        let probe = try BertGraph.build(weights: checkpoint.weights, heads: heads, activation: activation, scope: scope,
                                        tokens: 1, layerNormEpsilon: epsilon)
        let d = probe.graph.values[probe.input].shape[1]
        outputWidth = probe.graph.values[probe.output].shape[1]
        let (property, vnnBox) = try VerificationSpec.property(propDoc, resolve: resolve, outputDimension: outputWidth, heads: nil)
        self.property = property

        if let vnnBox {
            if doc.has("perturbation") || doc.has("input") {
                throw doc.error("perturbation", "the VNN-LIB file bounds X (the input box); remove \"input\" and \"perturbation\"")
            }
            guard vnnBox.lower.count % d == 0 else {
                throw InputError(source: source, location: "field \"property\"", problem: "VNN-LIB declares \(vnnBox.lower.count) X variables, not a multiple of the model dimension \(d)")
            }
            let T = vnnBox.lower.count / d
            region = try InputRegion(lower: Matrix(uncheckedRows: T, cols: d, data: vnnBox.lower),
                                     upper: Matrix(uncheckedRows: T, cols: d, data: vnnBox.upper), source: source)
        } else {
            guard let inputDoc else { throw doc.error("input", "missing") }
            var x = try VerificationSpec.input(inputDoc, resolve: resolve, modelDimension: d, checkpoint: checkpoint)
            let first = scope.firstLayer
            if first > 0 && (inputDoc.has("token_ids") || inputDoc.has("text")) {
                // Embeddings enter layer 0: carry them to layer `first` (plain Double).
                let prefix = try BertGraph.build(weights: checkpoint.weights, heads: heads, activation: activation,
                                                 scope: .layers(0...(first - 1)), tokens: x.rows, layerNormEpsilon: epsilon)
                let y = prefix.graph.uncheckedForward([Tensor(uncheckedShape: [x.rows, x.cols], data: x.data)])[0]
                x = Matrix(uncheckedRows: y.shape[0], cols: y.shape[1], data: y.data)
            }
            region = try VerificationSpec.region(try doc.object("perturbation"), center: x)
        }
        model = try BertGraph.build(weights: checkpoint.weights, heads: heads, activation: activation, scope: scope,
                                    tokens: region.tokens, layerNormEpsilon: epsilon)
        outputTokens = model.graph.values[model.output].shape[0]
        try VerificationSpec.check(property, tokens: outputTokens, outputDimension: outputWidth, source: source)
    }

    /// Parses `layers` / `scope` against a checkpoint with `layerCount` encoder layers.
    static func scope(_ doc: JSONDocument, layerCount: Int, modelPath: String) throws(InputError) -> BertGraphScope {
        if doc.has("layers") && doc.has("scope") {
            throw doc.error("scope", "give either \"layers\": [first, last] or \"scope\": \"model\", not both")
        }
        if doc.has("scope") {
            let s = try doc.string("scope")
            guard s == "model" else { throw doc.error("scope", "unknown scope \"\(s)\" (supported: \"model\")") }
            guard layerCount >= 1 else {
                throw InputError(source: modelPath, location: "encoder.layer.0", problem: "the checkpoint has no encoder layers")
            }
            return .model
        }
        let xs = try doc.doubles("layers")
        guard xs.count == 2, xs.allSatisfy({ $0 == $0.rounded() && $0 >= 0 && $0 < 1e6 }) else {
            throw doc.error("layers", "expected [first, last], two integers >= 0")
        }
        let first = Int(xs[0]), last = Int(xs[1])
        guard first <= last else { throw doc.error("layers", "first \(first) > last \(last)") }
        guard last < layerCount else {
            throw doc.error("layers", "[\(first), \(last)] out of range: \(modelPath) has encoder layers 0...\(layerCount - 1)")
        }
        return .layers(first...last)
    }
}
