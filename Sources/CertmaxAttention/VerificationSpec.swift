import CertmaxIO
import Foundation

/// A loaded verification problem: the layer, the input region and the property
/// (specs/README.md documents the JSON format).
public struct VerificationSpec: Sendable {
    public var layer: AttentionLayer
    public var region: InputRegion
    public var property: PropertyFormula
    /// The spec file (for messages).
    public var source: String
    /// A short description from the spec's optional "description" field.
    public var description: String?
    /// The checkpoint the layer was read from (nil for specs built in code); the graph
    /// front end names it in errors.
    public var weights: BertWeights?

    public init(layer: AttentionLayer, region: InputRegion, property: PropertyFormula, source: String = "<spec>", description: String? = nil) {
        self.layer = layer
        self.region = region
        self.property = property
        self.source = source
        self.description = description
    }

    static let knownFields: Set<String> = ["description", "model", "config", "layer", "heads", "residual_layernorm",
                                           "layer_norm_eps", "tensor_names", "input", "perturbation", "property"]

    /// Reads and resolves a spec file: loads the layer's tensors, the input, the region
    /// and the property. Relative paths are relative to the spec file's folder (the
    /// current folder for `-`).
    ///
    /// - Throws: `InputError` naming the file, the field (or tensor, or line) and the
    ///   problem, for every malformed or inconsistent input.
    public init(path: String) throws(InputError) {
        let doc = try JSONDocument(path: path)
        try self.init(document: doc, baseDirectory: Self.baseDirectory(ofSpecAt: path))
    }

    /// The folder relative paths of the spec at `path` are resolved against (the current
    /// folder for `-`, standard input).
    public static func baseDirectory(ofSpecAt path: String) -> String {
        path == "-" ? FileManager.default.currentDirectoryPath
            : URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// The spec fields that name more than one attention block (`"layers": [first, last]`,
    /// `"scope": "model"`). Such specs are verified through the model graph
    /// (`GraphVerificationSpec` and `GraphSpecVerifier` in CertmaxVerifier), not by this type.
    public static let graphScopeFields = ["layers", "scope"]

    /// True when the spec names layers or the whole model (see `graphScopeFields`).
    public static func namesGraphScope(_ doc: JSONDocument) -> Bool { graphScopeFields.contains { doc.has($0) } }

    public init(document doc: JSONDocument, baseDirectory: String) throws(InputError) {
        source = doc.source
        if let field = Self.graphScopeFields.first(where: { doc.has($0) }) {
            throw doc.error(field, "a spec naming layers or the whole model is verified through the model graph (GraphVerificationSpec; `certmax verify` routes it), not as one attention block")
        }
        if let unknown = doc.unknownFields(known: Self.knownFields).first {
            throw doc.error(unknown, "unknown field (known: \(Self.knownFields.sorted().joined(separator: ", ")))")
        }
        description = try doc.optionalString("description")
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: baseDirectory).appendingPathComponent(p).path
        }
        // Model (the model-input module's BertCheckpoint: safetensors, config, vocab).
        let modelPath = resolve(try doc.string("model"))
        let layerIndex = try Self.integer(doc, "layer", default: 0, minimum: 0)
        var nameMap: [String: String] = [:]
        if doc.has("tensor_names") {
            let m = try doc.object("tensor_names")
            let canonical = LayerTensorNames.bert(layer: layerIndex).names
            for key in m.root.keys.sorted() {
                guard let c = canonical[key] else {
                    throw m.error("tensor_names.\(key)", "unknown role (known: \(LayerTensorNames.roles.joined(separator: ", ")))")
                }
                nameMap[c] = try m.string(key)
            }
        }
        let inputDoc = doc.has("input") ? try doc.object("input") : nil
        let vocab = try inputDoc?.optionalString("vocab").map(resolve)
        let checkpoint = try BertCheckpoint(weightsPath: modelPath, configPath: try doc.optionalString("config").map(resolve),
                                            vocabPath: vocab, nameMap: nameMap)
        let heads: Int? = doc.has("heads") ? try Self.integer(doc, "heads", default: 1, minimum: 1) : nil
        if heads == nil && checkpoint.config == nil {
            throw doc.error("heads", "missing (and no config.json with num_attention_heads next to the weights)")
        }
        let bertBlock = doc.has("residual_layernorm") ? try doc.bool("residual_layernorm") : true
        var layer = try checkpoint.attentionLayer(layerIndex, heads: heads, residualAndLayerNorm: bertBlock)
        if doc.has("layer_norm_eps") {
            let eps = try doc.double("layer_norm_eps")
            guard eps > 0 else { throw doc.error("layer_norm_eps", "must be > 0") }
            layer.layerNorm?.epsilon = eps
        }
        try Self.checkFinite(layer, source: modelPath)
        self.layer = layer
        self.weights = checkpoint.weights

        // Property (may carry the input box, for VNN-LIB).
        let propDoc = try doc.object("property")
        let (property, vnnBox) = try Self.property(propDoc, resolve: resolve, layer: layer)
        self.property = property

        // Input and region.
        if let vnnBox {
            if doc.has("perturbation") || doc.has("input") {
                throw doc.error("perturbation", "the VNN-LIB file bounds X (the input box); remove \"input\" and \"perturbation\"")
            }
            let d = layer.modelDimension
            guard vnnBox.lower.count % d == 0 else {
                throw InputError(source: source, location: "field \"property\"", problem: "VNN-LIB declares \(vnnBox.lower.count) X variables, not a multiple of the model dimension \(d)")
            }
            let T = vnnBox.lower.count / d
            region = try InputRegion(lower: Matrix(uncheckedRows: T, cols: d, data: vnnBox.lower),
                                     upper: Matrix(uncheckedRows: T, cols: d, data: vnnBox.upper), source: source)
        } else {
            let x = try Self.input(try doc.object("input"), resolve: resolve, modelDimension: layer.modelDimension, checkpoint: checkpoint)
            region = try Self.region(try doc.object("perturbation"), center: x)
        }
        try Self.check(property, tokens: region.tokens, outputDimension: layer.output.outFeatures, source: source)
    }

    /// Rejects NaN or infinite weights (a bound computed from them would be meaningless).
    static func checkFinite(_ layer: AttentionLayer, source: String) throws(InputError) {
        var parts: [(String, [Double])] = [
            ("query.weight", layer.query.weight.data), ("query.bias", layer.query.bias),
            ("key.weight", layer.key.weight.data), ("key.bias", layer.key.bias),
            ("value.weight", layer.value.weight.data), ("value.bias", layer.value.bias),
            ("output.weight", layer.output.weight.data), ("output.bias", layer.output.bias),
        ]
        if let ln = layer.layerNorm { parts += [("layernorm.weight", ln.gamma), ("layernorm.bias", ln.beta)] }
        for (role, values) in parts {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw InputError(source: source, location: "\(role)[\(bad)]", problem: "not a finite number")
            }
        }
    }

    static func integer(_ doc: JSONDocument, _ field: String, default d: Int, minimum: Int) throws(InputError) -> Int {
        guard doc.has(field) else { return d }
        let v = try doc.double(field)
        guard v == v.rounded(), v >= Double(minimum), v < 1e9 else { throw doc.error(field, "expected an integer >= \(minimum)") }
        return Int(v)
    }

    static func indices(_ doc: JSONDocument, _ field: String, below limit: Int, what: String) throws(InputError) -> [Int] {
        let xs = try doc.doubles(field)
        var out: [Int] = []
        for (n, v) in xs.enumerated() {
            guard v == v.rounded(), v >= 0, v < Double(limit) else {
                throw doc.error("\(field)[\(n)]", "\(what) index \(v) out of range 0..<\(limit)")
            }
            out.append(Int(v))
        }
        return out
    }

    // MARK: Input

    /// The spec's `input` object (see specs/README.md) as a [T, d] matrix; token ids and
    /// text are embedded with `checkpoint`. Throws when the rows do not have
    /// `modelDimension` entries or the input is malformed.
    public static func input(_ doc: JSONDocument, resolve: (String) -> String, modelDimension d: Int, checkpoint: BertCheckpoint) throws(InputError) -> Matrix {
        let m: Matrix
        if doc.has("matrix") {
            m = Matrix(uncheckedRowArrays: try doc.matrix("matrix"))
        } else if doc.has("file") {
            let file = try JSONDocument(path: resolve(try doc.string("file")))
            m = Matrix(uncheckedRowArrays: try file.matrix("matrix"))
        } else if doc.has("safetensors") {
            let file = try SafetensorsFile(path: resolve(try doc.string("safetensors")))
            let name = try doc.string("tensor")
            let info = try file.info(name)
            guard info.shape.count == 2 else {
                throw InputError(source: file.path, location: "tensor \"\(name)\"", problem: "shape \(info.shape), expected [T, d]")
            }
            let values = try file.doubles(name)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw InputError(source: file.path, location: "tensor \"\(name)\"[\(bad)]", problem: "not a finite number")
            }
            m = Matrix(uncheckedRows: info.shape[0], cols: info.shape[1], data: values)
        } else if doc.has("token_ids") {
            let ids = try doc.doubles("token_ids")
            var out: [Int] = []
            for (n, v) in ids.enumerated() {
                guard v == v.rounded(), v >= 0, v < 1e9 else { throw doc.error("input.token_ids[\(n)]", "expected a non-negative integer") }
                out.append(Int(v))
            }
            m = try checkpoint.embed(tokenIDs: out, source: doc.source)
        } else if doc.has("text") {
            m = try checkpoint.embed(text: try doc.string("text"), source: doc.source).embeddings
        } else {
            throw doc.error("input", "expected one of \"matrix\", \"file\", \"safetensors\" (with \"tensor\"), \"token_ids\", \"text\"")
        }
        guard m.cols == d else {
            throw doc.error("input", "rows have \(m.cols) entries, the model dimension is \(d)")
        }
        return m
    }

    // MARK: Region

    /// The spec's `perturbation` object around the input `x`.
    public static func region(_ doc: JSONDocument, center x: Matrix) throws(InputError) -> InputRegion {
        if doc.has("box") {
            let box = try doc.object("box")
            let lo = Matrix(uncheckedRowArrays: try box.matrix("lower")), hi = Matrix(uncheckedRowArrays: try box.matrix("upper"))
            guard lo.rows == x.rows, lo.cols == x.cols, hi.rows == x.rows, hi.cols == x.cols else {
                throw doc.error("perturbation.box", "lower and upper must be \(x.rows)x\(x.cols) like the input")
            }
            for n in 0..<x.data.count where !(lo.data[n] <= x.data[n] && x.data[n] <= hi.data[n]) {
                throw doc.error("perturbation.box", "the input entry [\(n / x.cols)][\(n % x.cols)] lies outside the box")
            }
            return try InputRegion(lower: lo, upper: hi, source: doc.source)
        }
        let r = try doc.double("linf")
        guard r >= 0 else { throw doc.error("perturbation.linf", "radius must be >= 0") }
        let tokens = doc.has("tokens") ? try indices(doc, "tokens", below: x.rows, what: "token") : Array(0..<x.rows)
        let dims = doc.has("dims") ? try indices(doc, "dims", below: x.cols, what: "dimension") : Array(0..<x.cols)
        var radius = Matrix(uncheckedRows: x.rows, cols: x.cols)
        for t in tokens { for j in dims { radius[t, j] = r } }
        return try InputRegion(center: x, radius: radius, source: doc.source)
    }

    // MARK: Property

    static func property(_ doc: JSONDocument, resolve: (String) -> String, layer: AttentionLayer) throws(InputError) -> (PropertyFormula, (lower: [Double], upper: [Double])?) {
        try property(doc, resolve: resolve, outputDimension: layer.output.outFeatures, heads: layer.heads)
    }

    /// The spec's `property` object for outputs [T, `outputDimension`] (flattened
    /// row-major); `heads` is nil when the model has no single attention block, and then
    /// attention properties are rejected. Also returns the input box of a VNN-LIB file
    /// that bounds X.
    public static func property(_ doc: JSONDocument, resolve: (String) -> String, outputDimension dout: Int, heads: Int?) throws(InputError) -> (PropertyFormula, (lower: [Double], upper: [Double])?) {
        let type = try doc.string("type")
        switch type {
        case "output_bounds":
            guard case .array(let items) = try doc.value("bounds"), !items.isEmpty else { throw doc.error("property.bounds", "expected a non-empty array") }
            var atoms: [PropertyFormula] = []
            for (n, item) in items.enumerated() {
                guard case .object(let o) = item else { throw doc.error("property.bounds[\(n)]", "expected an object") }
                let b = JSONDocument(object: o, source: doc.source)
                let t = try integer(b, "token", default: -1, minimum: 0), m = try integer(b, "dim", default: -1, minimum: 0)
                guard b.has("token"), b.has("dim") else { throw doc.error("property.bounds[\(n)]", "needs \"token\" and \"dim\"") }
                guard m < dout else { throw doc.error("property.bounds[\(n)].dim", "\(m) out of range 0..<\(dout)") }
                let idx = t * dout + m
                if b.has("upper") { atoms.append(.atom(.linear(terms: [LinearTerm(index: idx, coefficient: 1)], bound: try b.double("upper"), strict: false))) }
                if b.has("lower") { atoms.append(.atom(.linear(terms: [LinearTerm(index: idx, coefficient: -1)], bound: -(try b.double("lower")), strict: false))) }
                if !b.has("upper") && !b.has("lower") { throw doc.error("property.bounds[\(n)]", "needs \"lower\" or \"upper\"") }
                if b.has("upper"), b.has("lower"), try b.double("lower") > b.double("upper") {
                    throw doc.error("property.bounds[\(n)]", "lower > upper")
                }
            }
            return (.all(atoms), nil)
        case "linear":
            if doc.has("any") {
                guard case .array(let items) = try doc.value("any"), !items.isEmpty else { throw doc.error("property.any", "expected a non-empty array") }
                var fs: [PropertyFormula] = []
                for (n, item) in items.enumerated() {
                    guard case .object(let o) = item else { throw doc.error("property.any[\(n)]", "expected an object with \"all\"") }
                    fs.append(try conjunction(JSONDocument(object: o, source: doc.source), path: "property.any[\(n)]", dout: dout))
                }
                return (.any(fs), nil)
            }
            return (try conjunction(doc, path: "property", dout: dout), nil)
        case "vnnlib":
            let file = resolve(try doc.string("file"))
            let (data, src) = try readInputFile(file)
            let v = try VNNLibProperty(text: String(decoding: data, as: UTF8.self), source: src)
            if let lo = v.inputLower, let hi = v.inputUpper { return (v.property, (lo, hi)) }
            return (v.property, nil)
        case "attention":
            let h = try integer(doc, "head", default: -1, minimum: 0)
            let i = try integer(doc, "query", default: -1, minimum: 0)
            let k = try integer(doc, "key", default: -1, minimum: 0)
            guard doc.has("head"), doc.has("query"), doc.has("key") else { throw doc.error("property", "attention needs \"head\", \"query\" and \"key\"") }
            guard let heads else { throw doc.error("property.type", "attention properties name one attention block; this spec names several layers or the whole model") }
            guard h < heads else { throw doc.error("property.head", "\(h) out of range 0..<\(heads)") }
            if doc.has("min_weight") {
                let theta = try doc.double("min_weight")
                return (.atom(.attentionAtLeast(head: h, query: i, key: k, threshold: theta)), nil)
            }
            if doc.has("largest"), try doc.bool("largest") {
                return (.atom(.attentionArgmax(head: h, query: i, key: k)), nil)
            }
            throw doc.error("property", "attention needs \"min_weight\": number or \"largest\": true")
        default:
            throw doc.error("property.type", "unknown type \"\(type)\" (output_bounds, linear, vnnlib, attention)")
        }
    }

    static func conjunction(_ doc: JSONDocument, path: String, dout: Int) throws(InputError) -> PropertyFormula {
        guard case .array(let items) = try doc.value("all"), !items.isEmpty else { throw doc.error("\(path).all", "expected a non-empty array of constraints") }
        var atoms: [PropertyFormula] = []
        for (n, item) in items.enumerated() {
            let here = "\(path).all[\(n)]"
            guard case .object(let o) = item else { throw doc.error(here, "expected an object") }
            let c = JSONDocument(object: o, source: doc.source)
            let rows = try c.matrix("terms")
            var terms: [LinearTerm] = []
            for (r, row) in rows.enumerated() {
                guard row.count == 3, row[0] == row[0].rounded(), row[0] >= 0, row[1] == row[1].rounded(), row[1] >= 0, row[1] < Double(dout), row[0] < 1e9 else {
                    throw doc.error("\(here).terms[\(r)]", "expected [token, dim, coefficient] with dim < \(dout)")
                }
                terms.append(LinearTerm(index: Int(row[0]) * dout + Int(row[1]), coefficient: row[2]))
            }
            let strict = c.has("strict") ? try c.bool("strict") : false
            if c.has("<=") == c.has(">=") { throw doc.error(here, "needs exactly one of \"<=\" and \">=\"") }
            if c.has("<=") {
                atoms.append(.atom(.linear(terms: terms, bound: try c.double("<="), strict: strict)))
            } else {
                atoms.append(.atom(.linear(terms: terms.map { LinearTerm(index: $0.index, coefficient: -$0.coefficient) }, bound: -(try c.double(">=")), strict: strict)))
            }
        }
        return .all(atoms)
    }

    /// Checks the property's indices against the region's token count.
    /// Checks the property's indices against outputs [tokens, outputDimension].
    public static func check(_ f: PropertyFormula, tokens T: Int, outputDimension dout: Int, source: String) throws(InputError) {
        let n = T * dout
        for a in f.atoms {
            switch a {
            case .linear(let terms, _, _):
                if let bad = terms.first(where: { $0.index >= n }) {
                    throw InputError(source: source, location: "field \"property\"", problem: "output index \(bad.index) (token \(bad.index / dout)) out of range: the output has \(T) tokens")
                }
            case .attentionAtLeast(_, let i, let k, _), .attentionArgmax(_, let i, let k):
                if i >= T || k >= T {
                    throw InputError(source: source, location: "field \"property\"", problem: "query \(i) / key \(k) out of range: the input has \(T) tokens")
                }
            }
        }
    }
}

/// The tensor names of one attention block, by role.
public struct LayerTensorNames: Sendable {
    public static let roles = ["query.weight", "query.bias", "key.weight", "key.bias", "value.weight", "value.bias",
                               "output.weight", "output.bias", "layernorm.weight", "layernorm.bias"]
    public var names: [String: String]

    /// HuggingFace BERT names of layer N (`encoder.layer.N.attention...`).
    public static func bert(layer n: Int) -> LayerTensorNames {
        let p = "encoder.layer.\(n).attention."
        return LayerTensorNames(names: [
            "query.weight": p + "self.query.weight", "query.bias": p + "self.query.bias",
            "key.weight": p + "self.key.weight", "key.bias": p + "self.key.bias",
            "value.weight": p + "self.value.weight", "value.bias": p + "self.value.bias",
            "output.weight": p + "output.dense.weight", "output.bias": p + "output.dense.bias",
            "layernorm.weight": p + "output.LayerNorm.weight", "layernorm.bias": p + "output.LayerNorm.bias",
        ])
    }
}
