/// An operator application (`NodeProto`).
public struct ONNXNode: Sendable, Equatable {
    /// The node's name (may be empty: ONNX does not require one).
    public var name: String
    public var opType: String
    /// The operator set domain; "" (and "ai.onnx") is the default ONNX domain.
    public var domain: String
    /// Input value names in order; "" marks an omitted optional input.
    public var inputs: [String]
    /// Output value names in order; "" marks an omitted optional output.
    public var outputs: [String]
    /// Attributes by name (names are unique within a node; the decoder rejects duplicates).
    public var attributes: [String: ONNXAttribute]

    public init(name: String, opType: String, domain: String, inputs: [String], outputs: [String],
                attributes: [String: ONNXAttribute]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}
