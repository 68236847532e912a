/// Decodes the ONNX protobuf messages (field numbers of onnx.proto) into the `ONNX*`
/// types. See `ONNXModel` for the rules; tensor data are materialised by
/// `ONNXTensorData` (ONNXTensorData.swift).
struct ONNXDecoder: Sendable {
    let source: String
    let externalDataDirectory: String?

    /// Rejects a second occurrence of a singular sub-message (protobuf would merge them).
    private func once(_ seen: inout Bool, _ field: ProtobufField, name: String, _ reader: ProtobufReader) throws(InputError) {
        if seen { throw reader.error("field \(name) (\(field.number)) appears more than once", at: field.offset) }
        seen = true
    }

    // MARK: ModelProto

    func decodeModel(_ r: inout ProtobufReader) throws(InputError) -> ONNXModel {
        var irVersion: Int64 = 0, modelVersion: Int64 = 0
        var opsets: [ONNXOperatorSet] = []
        var producerName = "", producerVersion = "", domain = ""
        var metadata: [ONNXStringPair] = []
        var graph: ONNXGraph? = nil
        var seenGraph = false
        while let f = try r.nextField() {
            switch f.number {
            case 1: irVersion = try r.readInt64(f, name: "ir_version")
            case 2: producerName = try r.readString(f, name: "producer_name")
            case 3: producerVersion = try r.readString(f, name: "producer_version")
            case 4: domain = try r.readString(f, name: "domain")
            case 5: modelVersion = try r.readInt64(f, name: "model_version")
            case 7:
                try once(&seenGraph, f, name: "graph", r)
                var sub = try r.subMessage(f, name: "graph", location: "graph")
                graph = try decodeGraph(&sub, path: "graph")
            case 8:
                var sub = try r.subMessage(f, name: "opset_import", location: "opset_import[\(opsets.count)]")
                opsets.append(try decodeOpset(&sub))
            case 14:
                var sub = try r.subMessage(f, name: "metadata_props", location: "metadata_props[\(metadata.count)]")
                metadata.append(try decodeStringPair(&sub))
            default: try r.skip(f)
            }
        }
        guard let graph else { throw r.error("the model has no graph (field 7); not an ONNX model?") }
        return ONNXModel(irVersion: irVersion, opsetImports: opsets, producerName: producerName,
                         producerVersion: producerVersion, domain: domain, modelVersion: modelVersion,
                         metadata: metadata, graph: graph)
    }

    func decodeOpset(_ r: inout ProtobufReader) throws(InputError) -> ONNXOperatorSet {
        var domain = "", version: Int64 = 0
        while let f = try r.nextField() {
            switch f.number {
            case 1: domain = try r.readString(f, name: "domain")
            case 2: version = try r.readInt64(f, name: "version")
            default: try r.skip(f)
            }
        }
        return ONNXOperatorSet(domain: domain, version: version)
    }

    func decodeStringPair(_ r: inout ProtobufReader) throws(InputError) -> ONNXStringPair {
        var key = "", value = ""
        while let f = try r.nextField() {
            switch f.number {
            case 1: key = try r.readString(f, name: "key")
            case 2: value = try r.readString(f, name: "value")
            default: try r.skip(f)
            }
        }
        return ONNXStringPair(key: key, value: value)
    }

    // MARK: GraphProto

    func decodeGraph(_ r: inout ProtobufReader, path: String) throws(InputError) -> ONNXGraph {
        var name = ""
        var nodes: [ONNXNode] = []
        var initializers: [ONNXTensor] = []
        var inputs: [ONNXValueInfo] = [], outputs: [ONNXValueInfo] = [], valueInfo: [ONNXValueInfo] = []
        while let f = try r.nextField() {
            switch f.number {
            case 1:
                let place = "\(path).node[\(nodes.count)]"
                var sub = try r.subMessage(f, name: "node", location: place)
                nodes.append(try decodeNode(&sub, path: place))
            case 2: name = try r.readString(f, name: "name")
            case 5:
                let place = "\(path).initializer[\(initializers.count)]"
                var sub = try r.subMessage(f, name: "initializer", location: place)
                initializers.append(try decodeTensor(&sub, path: place))
            case 11:
                var sub = try r.subMessage(f, name: "input", location: "\(path).input[\(inputs.count)]")
                inputs.append(try decodeValueInfo(&sub))
            case 12:
                var sub = try r.subMessage(f, name: "output", location: "\(path).output[\(outputs.count)]")
                outputs.append(try decodeValueInfo(&sub))
            case 13:
                var sub = try r.subMessage(f, name: "value_info", location: "\(path).value_info[\(valueInfo.count)]")
                valueInfo.append(try decodeValueInfo(&sub))
            case 15:
                throw r.error("sparse_initializer (15) is not supported", at: f.offset)
            default: try r.skip(f)
            }
        }
        return ONNXGraph(name: name, nodes: nodes, initializers: initializers, inputs: inputs,
                         outputs: outputs, valueInfo: valueInfo)
    }

    // MARK: NodeProto, AttributeProto

    func decodeNode(_ r: inout ProtobufReader, path: String) throws(InputError) -> ONNXNode {
        var inputs: [String] = [], outputs: [String] = []
        var name = "", opType = "", domain = ""
        var attributes: [String: ONNXAttribute] = [:]
        var attributeCount = 0
        while let f = try r.nextField() {
            switch f.number {
            case 1: inputs.append(try r.readString(f, name: "input"))
            case 2: outputs.append(try r.readString(f, name: "output"))
            case 3: name = try r.readString(f, name: "name")
            case 4: opType = try r.readString(f, name: "op_type")
            case 7: domain = try r.readString(f, name: "domain")
            case 5:
                let place = "\(path).attribute[\(attributeCount)]"
                attributeCount += 1
                var sub = try r.subMessage(f, name: "attribute", location: place)
                let (attributeName, value) = try decodeAttribute(&sub, path: place)
                guard attributes[attributeName] == nil else {
                    throw r.error("attribute \(quotedName(attributeName)) appears more than once", at: f.offset)
                }
                attributes[attributeName] = value
            default: try r.skip(f)
            }
        }
        guard !opType.isEmpty else { throw r.error("node has no op_type") }
        return ONNXNode(name: name, opType: opType, domain: domain, inputs: inputs, outputs: outputs, attributes: attributes)
    }

    func decodeAttribute(_ r: inout ProtobufReader, path: String) throws(InputError) -> (String, ONNXAttribute) {
        var name = "", refName = ""
        var type: Int32 = 0
        var f32: Float = 0, int: Int64 = 0, string = ""
        var tensor: ONNXTensor? = nil
        var floats: [UInt32] = [], ints: [UInt64] = [], strings: [String] = [], tensors: [ONNXTensor] = []
        // Which value fields occur (for files that omit `type`).
        var present: [Int32] = []
        var seenT = false
        while let f = try r.nextField() {
            switch f.number {
            case 1: name = try r.readString(f, name: "name")
            case 21: refName = try r.readString(f, name: "ref_attr_name")
            case 20: type = try r.readInt32(f, name: "type")
            case 2: f32 = try r.readFloat(f, name: "f"); present.append(1)
            case 3: int = try r.readInt64(f, name: "i"); present.append(2)
            case 4: string = try r.readString(f, name: "s"); present.append(3)
            case 5:
                try once(&seenT, f, name: "t", r)
                let place = "\(path).t"
                var sub = try r.subMessage(f, name: "t", location: place)
                tensor = try decodeTensor(&sub, path: place)
                present.append(4)
            case 6: try r.skip(f); present.append(5)
            case 22: try r.skip(f); present.append(11)
            case 14: try r.skip(f); present.append(13)
            case 7: try r.appendFixed32(f, name: "floats", to: &floats); present.append(6)
            case 8: try r.appendVarints(f, name: "ints", to: &ints); present.append(7)
            case 9: strings.append(try r.readString(f, name: "strings")); present.append(8)
            case 10:
                let place = "\(path).tensors[\(tensors.count)]"
                var sub = try r.subMessage(f, name: "tensors", location: place)
                tensors.append(try decodeTensor(&sub, path: place))
                present.append(9)
            case 11: try r.skip(f); present.append(10)
            case 23: try r.skip(f); present.append(12)
            case 15: try r.skip(f); present.append(14)
            default: try r.skip(f)
            }
        }
        guard !name.isEmpty else { throw r.error("attribute has no name") }
        let place = "attribute \(quotedName(name))"
        func fail(_ problem: String) -> InputError {
            InputError(source: source, location: "\(path) \(quotedName(name))", problem: problem)
        }
        if !refName.isEmpty { return (name, .unsupported("reference to function attribute \(quotedName(refName))")) }
        if type == 0 {
            let kinds = Set(present)
            guard kinds.count == 1, let only = kinds.first else {
                throw fail(kinds.isEmpty ? "\(place) has no type and no value" : "\(place) has no type and values of several kinds")
            }
            type = only
        }
        switch type {
        case 1: return (name, .float(f32))
        case 2: return (name, .int(int))
        case 3: return (name, .string(string))
        case 4:
            guard let tensor else { throw fail("TENSOR attribute has no tensor (t)") }
            return (name, .tensor(tensor))
        case 6: return (name, .floats(floats.map { Float(bitPattern: $0) }))
        case 7: return (name, .ints(ints.map { Int64(bitPattern: $0) }))
        case 8: return (name, .strings(strings))
        case 9: return (name, .tensors(tensors))
        case 5: return (name, .unsupported("GRAPH"))
        case 10: return (name, .unsupported("GRAPHS"))
        case 11: return (name, .unsupported("SPARSE_TENSOR"))
        case 12: return (name, .unsupported("SPARSE_TENSORS"))
        case 13: return (name, .unsupported("TYPE_PROTO"))
        case 14: return (name, .unsupported("TYPE_PROTOS"))
        default: throw fail("unknown attribute type \(type)")
        }
    }

    // MARK: ValueInfoProto, TypeProto, TensorShapeProto

    func decodeValueInfo(_ r: inout ProtobufReader) throws(InputError) -> ONNXValueInfo {
        var name = ""
        var type: ONNXValueType? = nil
        var seenType = false
        while let f = try r.nextField() {
            switch f.number {
            case 1: name = try r.readString(f, name: "name")
            case 2:
                try once(&seenType, f, name: "type", r)
                var sub = try r.subMessage(f, name: "type", location: r.location + ".type")
                type = try decodeType(&sub)
            default: try r.skip(f)
            }
        }
        return ONNXValueInfo(name: name, type: type)
    }

    func decodeType(_ r: inout ProtobufReader) throws(InputError) -> ONNXValueType? {
        var result: ONNXValueType? = nil
        var seenValue = false
        let others: [Int: String] = [4: "sequence_type", 5: "map_type", 7: "opaque_type", 8: "sparse_tensor_type", 9: "optional_type"]
        while let f = try r.nextField() {
            switch f.number {
            case 1:
                try once(&seenValue, f, name: "tensor_type", r)
                var sub = try r.subMessage(f, name: "tensor_type", location: r.location + ".tensor_type")
                result = try decodeTensorType(&sub)
            case let n where others[n] != nil:
                try once(&seenValue, f, name: others[n] ?? "", r)
                try r.skip(f)
                result = .unsupported(others[n] ?? "")
            default: try r.skip(f)
            }
        }
        return result
    }

    func decodeTensorType(_ r: inout ProtobufReader) throws(InputError) -> ONNXValueType {
        var elementType: Int32 = 0
        var shape: [ONNXDimension]? = nil
        var seenShape = false
        while let f = try r.nextField() {
            switch f.number {
            case 1: elementType = try r.readInt32(f, name: "elem_type")
            case 2:
                try once(&seenShape, f, name: "shape", r)
                var sub = try r.subMessage(f, name: "shape", location: r.location + ".shape")
                var dims: [ONNXDimension] = []
                while let g = try sub.nextField() {
                    if g.number == 1 {
                        var dim = try sub.subMessage(g, name: "dim", location: sub.location + ".dim[\(dims.count)]")
                        dims.append(try decodeDimension(&dim))
                    } else {
                        try sub.skip(g)
                    }
                }
                shape = dims
            default: try r.skip(f)
            }
        }
        return .tensor(elementType: ONNXDataType(rawValue: elementType), shape: shape)
    }

    func decodeDimension(_ r: inout ProtobufReader) throws(InputError) -> ONNXDimension {
        var dim = ONNXDimension.unknown
        while let f = try r.nextField() {
            switch f.number {
            case 1: dim = .value(try r.readInt64(f, name: "dim_value"))
            case 2: dim = .param(try r.readString(f, name: "dim_param"))
            default: try r.skip(f)
            }
        }
        return dim
    }

    // MARK: TensorProto

    func decodeTensor(_ r: inout ProtobufReader, path: String) throws(InputError) -> ONNXTensor {
        var t = ONNXTensorFields()
        while let f = try r.nextField() {
            switch f.number {
            case 1: try r.appendVarints(f, name: "dims", to: &t.dims)
            case 2: t.dataType = try r.readInt32(f, name: "data_type")
            case 3: try r.skip(f); t.hasSegment = true
            case 4: try r.appendFixed32(f, name: "float_data", to: &t.floatData)
            case 5: try r.appendVarints(f, name: "int32_data", to: &t.int32Data)
            case 6: t.stringData.append(Array(try r.readBytes(f, name: "string_data")))
            case 7: try r.appendVarints(f, name: "int64_data", to: &t.int64Data)
            case 8: t.name = try r.readString(f, name: "name")
            case 9:
                try r.expect(f, .lengthDelimited, name: "raw_data")
                t.rawData = try r.readLengthDelimited(f, name: "raw_data")
            case 10: try r.appendFixed64(f, name: "double_data", to: &t.doubleData)
            case 11: try r.appendVarints(f, name: "uint64_data", to: &t.uint64Data)
            case 13:
                var sub = try r.subMessage(f, name: "external_data", location: r.location + ".external_data[\(t.externalData.count)]")
                t.externalData.append(try decodeStringPair(&sub))
            case 14: t.dataLocation = try r.readInt32(f, name: "data_location")
            default: try r.skip(f)
            }
        }
        let data = ONNXTensorData(source: source, location: t.name.isEmpty ? path : "\(path) \(quotedName(t.name))",
                                  externalDataDirectory: externalDataDirectory)
        return try data.materialise(t, bytes: r.bytes)
    }
}

/// The raw fields of a `TensorProto`, before validation.
struct ONNXTensorFields {
    var name = ""
    var dims: [UInt64] = []
    var dataType: Int32 = 0
    var hasSegment = false
    var floatData: [UInt32] = []
    var int32Data: [UInt64] = []
    var stringData: [[UInt8]] = []
    var int64Data: [UInt64] = []
    var doubleData: [UInt64] = []
    var uint64Data: [UInt64] = []
    /// The byte range of `raw_data` in the buffer, when present (even if empty).
    var rawData: Range<Int>? = nil
    var externalData: [ONNXStringPair] = []
    var dataLocation: Int32 = 0
}
