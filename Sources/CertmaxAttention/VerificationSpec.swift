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
        let base = path == "-" ? FileManager.default.currentDirectoryPath
            : URL(fileURLWithPath: path).deletingLastPathComponent().path
        try self.init(document: doc, baseDirectory: base)
    }

    public init(document doc: JSONDocument, baseDirectory: String) throws(InputError) {
        source = doc.source
        if let unknown = doc.unknownFields(known: Self.knownFields).first {
            throw doc.error(unknown, "unknown field (known: \(Self.knownFields.sorted().joined(separator: ", ")))")
        }
        description = try doc.optionalString("description")
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: baseDirectory).appendingPathComponent(p).path
        }
        // Model.
        let modelPath = resolve(try doc.string("model"))
        let layerIndex = try Self.integer(doc, "layer", default: 0, minimum: 0)
        let configPath = resolve(try doc.optionalString("config")
            ?? URL(fileURLWithPath: modelPath).deletingLastPathComponent().appendingPathComponent("config.json").path)
        var config: JSONDocument? = nil
        if FileManager.default.fileExists(atPath: configPath) { config = try JSONDocument(path: configPath) }
        let heads: Int
        if doc.has("heads") {
            heads = try Self.integer(doc, "heads", default: 1, minimum: 1)
        } else if let config, config.has("num_attention_heads") {
            heads = try Self.integer(config, "num_attention_heads", default: 1, minimum: 1)
        } else {
            throw doc.error("heads", "missing (and no num_attention_heads in \(configPath))")
        }
        var eps = 1e-12
        if let e = try doc.optionalDouble("layer_norm_eps") { eps = e }
        else if let config, let e = try config.optionalDouble("layer_norm_eps") { eps = e }
        let bertBlock = doc.has("residual_layernorm") ? try doc.bool("residual_layernorm") : true
        var names = LayerTensorNames.bert(layer: layerIndex)
        if doc.has("tensor_names") {
            let m = try doc.object("tensor_names")
            for key in m.root.keys.sorted() {
                guard LayerTensorNames.roles.contains(key) else {
                    throw m.error("tensor_names.\(key)", "unknown role (known: \(LayerTensorNames.roles.joined(separator: ", ")))")
                }
                names.names[key] = try m.string(key)
            }
        }
        let layer = try LayerTensorNames.load(path: modelPath, names: names, heads: heads, residualAndLayerNorm: bertBlock, epsilon: eps)
        self.layer = layer

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
            region = try InputRegion(lower: Matrix(rows: T, cols: d, data: vnnBox.lower),
                                     upper: Matrix(rows: T, cols: d, data: vnnBox.upper), source: source)
        } else {
            let x = try Self.input(try doc.object("input"), resolve: resolve, layer: layer)
            region = try Self.region(try doc.object("perturbation"), center: x)
        }
        try Self.check(property, region: region, layer: layer, source: source)
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

    static func input(_ doc: JSONDocument, resolve: (String) -> String, layer: AttentionLayer) throws(InputError) -> Matrix {
        let d = layer.modelDimension
        let m: Matrix
        if doc.has("matrix") {
            m = Matrix(try doc.matrix("matrix"))
        } else if doc.has("file") {
            let file = try JSONDocument(path: resolve(try doc.string("file")))
            m = Matrix(try file.matrix("matrix"))
        } else if doc.has("token_ids") || doc.has("text") {
            throw doc.error(doc.has("text") ? "input.text" : "input.token_ids",
                            "token and text inputs need the BERT embedding loader, which this build does not include yet")
        } else {
            throw doc.error("input", "expected one of \"matrix\", \"file\", \"token_ids\", \"text\"")
        }
        guard m.cols == d else {
            throw doc.error("input", "rows have \(m.cols) entries, the model dimension is \(d)")
        }
        return m
    }

    // MARK: Region

    static func region(_ doc: JSONDocument, center x: Matrix) throws(InputError) -> InputRegion {
        if doc.has("box") {
            let box = try doc.object("box")
            let lo = Matrix(try box.matrix("lower")), hi = Matrix(try box.matrix("upper"))
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
        var radius = Matrix(rows: x.rows, cols: x.cols)
        for t in tokens { for j in dims { radius[t, j] = r } }
        return try InputRegion(center: x, radius: radius, source: doc.source)
    }

    // MARK: Property

    static func property(_ doc: JSONDocument, resolve: (String) -> String, layer: AttentionLayer) throws(InputError) -> (PropertyFormula, (lower: [Double], upper: [Double])?) {
        let type = try doc.string("type")
        let dout = layer.output.outFeatures
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
            guard h < layer.heads else { throw doc.error("property.head", "\(h) out of range 0..<\(layer.heads)") }
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
    static func check(_ f: PropertyFormula, region: InputRegion, layer: AttentionLayer, source: String) throws(InputError) {
        let T = region.tokens, n = T * layer.output.outFeatures
        for a in f.atoms {
            switch a {
            case .linear(let terms, _, _):
                if let bad = terms.first(where: { $0.index >= n }) {
                    throw InputError(source: source, location: "field \"property\"", problem: "output index \(bad.index) (token \(bad.index / layer.output.outFeatures)) out of range: the input has \(T) tokens")
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

    /// Loads the block from a safetensors file (a name missing as given is also tried
    /// with a "bert." prefix). Checks every shape.
    public static func load(path: String, names: LayerTensorNames, heads: Int, residualAndLayerNorm: Bool,
                            epsilon: Double) throws(InputError) -> AttentionLayer {
        let file = try LayerWeightsReader(path: path)
        func get(_ role: String) throws(InputError) -> (shape: [Int], values: [Double], name: String) {
            var name = names.names[role]!
            if file.entries[name] == nil, file.entries["bert." + name] != nil { name = "bert." + name }
            let t = try file.tensor(name)
            return (t.shape, t.values, name)
        }
        func linear(_ role: String, inFeatures: Int?) throws(InputError) -> LinearMap {
            let w = try get(role + ".weight"), b = try get(role + ".bias")
            guard w.shape.count == 2 else {
                throw InputError(source: file.path, location: "tensor \"\(w.name)\"", problem: "expected a 2-d weight [out, in], shape is \(w.shape)")
            }
            if let inFeatures, w.shape[1] != inFeatures {
                throw InputError(source: file.path, location: "tensor \"\(w.name)\"", problem: "shape \(w.shape) does not match input size \(inFeatures)")
            }
            guard b.shape == [w.shape[0]] else {
                throw InputError(source: file.path, location: "tensor \"\(b.name)\"", problem: "shape \(b.shape), expected [\(w.shape[0])]")
            }
            return LinearMap(weight: Matrix(rows: w.shape[0], cols: w.shape[1], data: w.values), bias: b.values)
        }
        let q = try linear("query", inFeatures: nil)
        let d = q.inFeatures
        let k = try linear("key", inFeatures: d)
        let v = try linear("value", inFeatures: d)
        guard k.outFeatures == q.outFeatures else {
            throw InputError(source: file.path, location: "tensor \"\(names.names["key.weight"]!)\"", problem: "key size \(k.outFeatures) differs from query size \(q.outFeatures)")
        }
        guard q.outFeatures % heads == 0 else {
            throw InputError(source: file.path, location: "tensor \"\(names.names["query.weight"]!)\"", problem: "query size \(q.outFeatures) is not divisible by \(heads) heads")
        }
        guard v.outFeatures == q.outFeatures else {
            throw InputError(source: file.path, location: "tensor \"\(names.names["value.weight"]!)\"", problem: "value size \(v.outFeatures) differs from query size \(q.outFeatures) (one head size assumed)")
        }
        let o = try linear("output", inFeatures: v.outFeatures)
        var ln: LayerNormParameters? = nil
        if residualAndLayerNorm {
            guard o.outFeatures == d else {
                throw InputError(source: file.path, location: "tensor \"\(names.names["output.weight"]!)\"", problem: "residual needs output size \(o.outFeatures) == input size \(d)")
            }
            let g = try get("layernorm.weight"), b = try get("layernorm.bias")
            guard g.shape == [d] else { throw InputError(source: file.path, location: "tensor \"\(g.name)\"", problem: "shape \(g.shape), expected [\(d)]") }
            guard b.shape == [d] else { throw InputError(source: file.path, location: "tensor \"\(b.name)\"", problem: "shape \(b.shape), expected [\(d)]") }
            ln = LayerNormParameters(gamma: g.values, beta: b.values, epsilon: epsilon)
        }
        return AttentionLayer(query: q, key: k, value: v, output: o, heads: heads, residual: residualAndLayerNorm, layerNorm: ln)
    }
}
