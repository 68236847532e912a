import Foundation

/// An operator set a model imports (`OperatorSetIdProto`).
public struct ONNXOperatorSet: Sendable, Equatable {
    /// "" (or "ai.onnx") is the default ONNX operator set.
    public var domain: String
    public var version: Int64

    public init(domain: String, version: Int64) {
        self.domain = domain
        self.version = version
    }
}

/// A key-value string pair (`StringStringEntryProto`), e.g. a model metadata entry.
public struct ONNXStringPair: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A decoded ONNX model file (`ModelProto`): the file layer of the ONNX front end. It
/// decodes and validates the protobuf content; it does not check operator semantics,
/// shapes or the topological order (the graph import does).
///
/// Decoding rules (each violation is an `InputError` naming the file, the place, e.g.
/// `graph.initializer[3] "w"`, and the problem; exit code 65 for invalid content, 66 for
/// an unreadable model or external data file):
/// - The protobuf wire format is checked as described for `ProtobufReader` (bounded
///   varints, every length checked, groups rejected, nesting depth <= 64). Unknown fields
///   are skipped. A singular sub-message that appears twice (which protobuf would merge)
///   is rejected. For repeated singular scalars and strings, the last value wins.
/// - Strings must be valid UTF-8.
/// - Tensors: see `ONNXTensor`; dims >= 0, the element count (product of dims, overflow
///   checked) must match the data exactly; data comes from exactly one of `raw_data`
///   (little-endian), the typed field of the data type, or external data.
/// - External data (`data_location = EXTERNAL`): `location` is a relative path inside
///   the model's folder (absolute paths and `..` components are rejected), `offset` and
///   `length` decimal strings checked against the data file's size. Symbolic links are
///   followed (not checked against the folder).
/// - Attributes: names unique within a node; the kind is the `type` field, or, in files
///   that omit it, the one value field that is set.
///
/// Edge Cases:
/// - gzip content is decompressed first (`readInputFile`), so `model.onnx.gz` works.
/// - Graph-valued and sparse attributes decode as `.unsupported(kind)`; non-tensor value
///   types as `ONNXValueType.unsupported`; sparse initializers, segmented tensors and
///   tensor types outside `ONNXTensorValues` are rejected with an error naming them.
/// - Model-local functions and training info are skipped (unknown to this decoder).
public struct ONNXModel: Sendable, Equatable {
    /// The ONNX IR version the file declares (`ir_version`; 0 when absent).
    public var irVersion: Int64
    /// The operator sets the model imports, in file order (see `opsetVersion(domain:)`).
    public var opsetImports: [ONNXOperatorSet]
    /// The tool that wrote the file (e.g. `pytorch`), and its version.
    public var producerName: String
    public var producerVersion: String
    /// The model's own namespace (`domain`) and version (`model_version`), rarely set.
    public var domain: String
    public var modelVersion: Int64
    /// `metadata_props`, in file order.
    public var metadata: [ONNXStringPair]
    /// The main graph.
    public var graph: ONNXGraph

    public init(irVersion: Int64, opsetImports: [ONNXOperatorSet], producerName: String, producerVersion: String,
                domain: String, modelVersion: Int64, metadata: [ONNXStringPair], graph: ONNXGraph) {
        self.irVersion = irVersion
        self.opsetImports = opsetImports
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.domain = domain
        self.modelVersion = modelVersion
        self.metadata = metadata
        self.graph = graph
    }

    /// Reads and decodes the model at `path` (`-` for standard input; gzip content is
    /// decompressed). External data files are resolved relative to the folder of `path`
    /// (not available for standard input).
    public init(path: String) throws(InputError) {
        let (data, source) = try readInputFile(path)
        let directory: String? = path == "-" ? nil : (path as NSString).deletingLastPathComponent
        try self.init(data: data, source: source, externalDataDirectory: directory.map { $0.isEmpty ? "." : $0 })
    }

    /// Decodes a model from its (uncompressed) bytes. `source` names the model in errors.
    /// `externalDataDirectory` is the folder that external data paths are relative to; a
    /// model with external data and no directory is rejected.
    public init(data: Data, source: String, externalDataDirectory: String? = nil) throws(InputError) {
        let decoder = ONNXDecoder(source: source, externalDataDirectory: externalDataDirectory)
        var reader = ProtobufReader(bytes: [UInt8](data), source: source, location: "")
        self = try decoder.decodeModel(&reader)
    }

    /// The version of the operator set imported for `domain` ("" and "ai.onnx" are the
    /// same domain), or nil if the model does not import it.
    public func opsetVersion(domain: String = "") -> Int64? {
        func normal(_ d: String) -> String { d == "ai.onnx" ? "" : d }
        return opsetImports.last { normal($0.domain) == normal(domain) }?.version
    }
}
