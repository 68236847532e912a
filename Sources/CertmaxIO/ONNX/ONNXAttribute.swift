/// A node attribute (`AttributeProto`), by kind.
public enum ONNXAttribute: Sendable, Equatable {
    case float(Float)
    case int(Int64)
    /// `s`, decoded as UTF-8 (invalid UTF-8 is a decoding error).
    case string(String)
    case tensor(ONNXTensor)
    case floats([Float])
    case ints([Int64])
    case strings([String])
    case tensors([ONNXTensor])
    /// A kind Certmax does not decode (GRAPH, GRAPHS, SPARSE_TENSOR(S), TYPE_PROTO(S)),
    /// named by its onnx.proto type name, e.g. `GRAPH` for the branches of an `If`.
    case unsupported(String)

    /// The onnx.proto name of the attribute's kind (`FLOAT`, `INTS`, ...).
    public var kindName: String {
        switch self {
        case .float: return "FLOAT"
        case .int: return "INT"
        case .string: return "STRING"
        case .tensor: return "TENSOR"
        case .floats: return "FLOATS"
        case .ints: return "INTS"
        case .strings: return "STRINGS"
        case .tensors: return "TENSORS"
        case .unsupported(let kind): return kind
        }
    }
}
