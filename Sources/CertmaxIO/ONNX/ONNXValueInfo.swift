/// One dimension of a tensor type: a fixed size, a symbolic name (`batch`), or neither.
public enum ONNXDimension: Sendable, Equatable, CustomStringConvertible {
    /// `dim_value`: a fixed size (ONNX allows any int64 here; a negative value is kept as
    /// stored for the graph stage to reject).
    case value(Int64)
    /// `dim_param`: a symbolic size, e.g. `batch`.
    case param(String)
    /// Neither is set: an unknown size.
    case unknown

    public var description: String {
        switch self {
        case .value(let v): return String(v)
        case .param(let p): return p
        case .unknown: return "?"
        }
    }
}

/// The type of a graph input, output or intermediate value.
public enum ONNXValueType: Sendable, Equatable {
    /// `tensor_type`: the element type and, when the file gives it, the shape (nil when
    /// the shape is absent, i.e. of unknown rank; `[]` is a scalar).
    case tensor(elementType: ONNXDataType, shape: [ONNXDimension]?)
    /// Any other `TypeProto` kind (sequence, map, optional, sparse tensor, opaque), named
    /// by its onnx.proto field, for a later stage to reject by name.
    case unsupported(String)
}

/// A graph input, output or `value_info` entry (`ValueInfoProto`).
public struct ONNXValueInfo: Sendable, Equatable {
    public var name: String
    /// nil when the file gives no type (allowed for `value_info`).
    public var type: ONNXValueType?

    public init(name: String, type: ONNXValueType?) {
        self.name = name
        self.type = type
    }
}
