import Foundation

/// Builds small ONNX model files (ModelProto bytes) for tests: handcrafted graphs for the
/// graph import, and malformed tensors for the decoder's error paths. Field numbers are
/// those of onnx.proto. Data types are raw `TensorProto.DataType` numbers so that invalid
/// ones can be written too (FLOAT = 1, INT64 = 7, DOUBLE = 11, ...).
public struct ONNXTestModel: Sendable {
    /// Where a tensor's elements are written.
    public enum TensorData: Sendable {
        /// No data field at all.
        case none
        case floatData([Float])
        case doubleData([Double])
        case int32Data([Int32])
        case int64Data([Int64])
        case uint64Data([UInt64])
        case stringData([String])
        /// `raw_data` bytes as given (see `rawFloats` etc. for little-endian encodings).
        case raw([UInt8])
        /// `data_location = EXTERNAL` with these `external_data` entries (e.g.
        /// `[("location", "w.bin"), ("offset", "0"), ("length", "12")]`).
        case external([(String, String)])
    }

    public struct Tensor: Sendable {
        public var name: String
        public var dataType: Int32
        public var dims: [Int64]
        public var data: TensorData
        /// Write typed fields unpacked (one tag per element) instead of packed.
        public var unpacked = false

        public init(name: String, dataType: Int32, dims: [Int64], data: TensorData, unpacked: Bool = false) {
            self.name = name
            self.dataType = dataType
            self.dims = dims
            self.data = data
            self.unpacked = unpacked
        }

        /// A FLOAT tensor stored as raw_data.
        public static func float(_ name: String, dims: [Int64], _ values: [Float]) -> Tensor {
            Tensor(name: name, dataType: 1, dims: dims, data: .raw(rawFloats(values)))
        }

        /// An INT64 tensor stored in int64_data.
        public static func int64(_ name: String, dims: [Int64], _ values: [Int64]) -> Tensor {
            Tensor(name: name, dataType: 7, dims: dims, data: .int64Data(values))
        }

        public func encoded() -> ProtobufWriter {
            var w = ProtobufWriter()
            if unpacked {
                for d in dims { w.int(1, d) }
            } else if !dims.isEmpty {
                w.packedVarints(1, dims.map { UInt64(bitPattern: $0) })
            }
            w.int(2, Int64(dataType))
            w.string(8, name)
            switch data {
            case .none: break
            case .floatData(let v):
                if unpacked { for x in v { w.float(4, x) } } else { w.packedFixed32(4, v.map(\.bitPattern)) }
            case .doubleData(let v):
                if unpacked {
                    for x in v { w.tag(10, wireType: 1); w.fixed64(x.bitPattern) }
                } else {
                    w.packedFixed64(10, v.map(\.bitPattern))
                }
            case .int32Data(let v):
                if unpacked { for x in v { w.int(5, Int64(x)) } } else { w.packedVarints(5, v.map { UInt64(bitPattern: Int64($0)) }) }
            case .int64Data(let v):
                if unpacked { for x in v { w.int(7, x) } } else { w.packedVarints(7, v.map { UInt64(bitPattern: $0) }) }
            case .uint64Data(let v):
                if unpacked { for x in v { w.uint(11, x) } } else { w.packedVarints(11, v) }
            case .stringData(let v):
                for s in v { w.string(6, s) }
            case .raw(let b):
                w.bytesField(9, b)
            case .external(let entries):
                for (k, v) in entries {
                    var e = ProtobufWriter()
                    e.string(1, k)
                    e.string(2, v)
                    w.message(13, e)
                }
                w.int(14, 1)
            }
            return w
        }
    }

    /// A dimension of a value's shape.
    public enum Dim: Sendable {
        case value(Int64), param(String), unknown
    }

    /// A graph input or output: a tensor type with an optional shape.
    public struct ValueInfo: Sendable {
        public var name: String
        public var elementType: Int32
        /// nil: no shape (unknown rank).
        public var shape: [Dim]?

        public init(name: String, elementType: Int32 = 1, shape: [Dim]?) {
            self.name = name
            self.elementType = elementType
            self.shape = shape
        }

        public func encoded() -> ProtobufWriter {
            var tensorType = ProtobufWriter()
            tensorType.int(1, Int64(elementType))
            if let shape {
                var s = ProtobufWriter()
                for d in shape {
                    var dim = ProtobufWriter()
                    switch d {
                    case .value(let v): dim.int(1, v)
                    case .param(let p): dim.string(2, p)
                    case .unknown: break
                    }
                    s.message(1, dim)
                }
                tensorType.message(2, s)
            }
            var type = ProtobufWriter()
            type.message(1, tensorType)
            var w = ProtobufWriter()
            w.string(1, name)
            w.message(2, type)
            return w
        }
    }

    public enum AttributeValue: Sendable {
        case float(Float), int(Int64), string(String), tensor(Tensor)
        case floats([Float]), ints([Int64]), strings([String]), tensors([Tensor])
        /// A GRAPH attribute holding the given graph (nodes only).
        case graph([Node])
    }

    public struct Node: Sendable {
        public var name: String
        public var opType: String
        public var domain: String
        public var inputs: [String]
        public var outputs: [String]
        public var attributes: [(String, AttributeValue)]

        public init(_ opType: String, inputs: [String], outputs: [String], name: String = "", domain: String = "",
                    attributes: [(String, AttributeValue)] = []) {
            self.name = name
            self.opType = opType
            self.domain = domain
            self.inputs = inputs
            self.outputs = outputs
            self.attributes = attributes
        }

        public func encoded() -> ProtobufWriter {
            var w = ProtobufWriter()
            for i in inputs { w.string(1, i) }
            for o in outputs { w.string(2, o) }
            if !name.isEmpty { w.string(3, name) }
            w.string(4, opType)
            if !domain.isEmpty { w.string(7, domain) }
            for (attributeName, value) in attributes {
                var a = ProtobufWriter()
                a.string(1, attributeName)
                switch value {
                case .float(let f): a.int(20, 1); a.float(2, f)
                case .int(let i): a.int(20, 2); a.int(3, i)
                case .string(let s): a.int(20, 3); a.string(4, s)
                case .tensor(let t): a.int(20, 4); a.message(5, t.encoded())
                case .graph(let nodes):
                    a.int(20, 5)
                    var g = ProtobufWriter()
                    for n in nodes { g.message(1, n.encoded()) }
                    a.message(6, g)
                case .floats(let v): a.int(20, 6); a.packedFixed32(7, v.map(\.bitPattern))
                case .ints(let v): a.int(20, 7); a.packedVarints(8, v.map { UInt64(bitPattern: $0) })
                case .strings(let v): a.int(20, 8); for s in v { a.string(9, s) }
                case .tensors(let v): a.int(20, 9); for t in v { a.message(10, t.encoded()) }
                }
                w.message(5, a)
            }
            return w
        }
    }

    public var irVersion: Int64 = 8
    /// (domain, version) pairs; "" is the default ONNX domain.
    public var opsets: [(String, Int64)] = [("", 17)]
    public var producerName = "certmax-tests"
    public var graphName = "test_graph"
    public var nodes: [Node] = []
    public var initializers: [Tensor] = []
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []

    public init() {}

    /// The GraphProto bytes.
    public func encodedGraph() -> ProtobufWriter {
        var g = ProtobufWriter()
        for n in nodes { g.message(1, n.encoded()) }
        g.string(2, graphName)
        for t in initializers { g.message(5, t.encoded()) }
        for i in inputs { g.message(11, i.encoded()) }
        for o in outputs { g.message(12, o.encoded()) }
        return g
    }

    /// The ModelProto bytes.
    public func encoded() -> Data {
        var m = ProtobufWriter()
        m.int(1, irVersion)
        m.string(2, producerName)
        m.message(7, encodedGraph())
        for (domain, version) in opsets {
            var o = ProtobufWriter()
            o.string(1, domain)
            o.int(2, version)
            m.message(8, o)
        }
        return Data(m.bytes)
    }

    /// Little-endian bytes of float32 values (raw_data of a FLOAT tensor).
    public static func rawFloats(_ v: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    /// Little-endian bytes of float64 values.
    public static func rawDoubles(_ v: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    /// Little-endian bytes of int64 values.
    public static func rawInt64s(_ v: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        for x in v { withUnsafeBytes(of: x.littleEndian) { out += $0 } }
        return out
    }
}
