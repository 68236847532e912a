/// An ONNX tensor element type (`TensorProto.DataType`), kept as its raw number so that a
/// type this decoder does not know can still be named in an error.
public struct ONNXDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let undefined = ONNXDataType(rawValue: 0)
    public static let float = ONNXDataType(rawValue: 1)
    public static let uint8 = ONNXDataType(rawValue: 2)
    public static let int8 = ONNXDataType(rawValue: 3)
    public static let uint16 = ONNXDataType(rawValue: 4)
    public static let int16 = ONNXDataType(rawValue: 5)
    public static let int32 = ONNXDataType(rawValue: 6)
    public static let int64 = ONNXDataType(rawValue: 7)
    public static let string = ONNXDataType(rawValue: 8)
    public static let bool = ONNXDataType(rawValue: 9)
    public static let float16 = ONNXDataType(rawValue: 10)
    public static let double = ONNXDataType(rawValue: 11)
    public static let uint32 = ONNXDataType(rawValue: 12)
    public static let uint64 = ONNXDataType(rawValue: 13)
    public static let complex64 = ONNXDataType(rawValue: 14)
    public static let complex128 = ONNXDataType(rawValue: 15)
    public static let bfloat16 = ONNXDataType(rawValue: 16)

    static let names: [Int32: String] = [
        0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
        7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32",
        13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN",
        18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4",
        23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2",
    ]

    /// The onnx.proto name (`FLOAT`, `INT64`...), or `type 99` for an unknown number.
    public var description: String { Self.names[rawValue] ?? "type \(rawValue)" }

    /// Whether tensors of this type decode to `ONNXTensorValues.floating`.
    public var isFloatingPoint: Bool { self == .float || self == .double || self == .float16 || self == .bfloat16 }

    /// Whether tensors of this type decode to `ONNXTensorValues.integer`.
    public var isInteger: Bool {
        [.uint8, .int8, .uint16, .int16, .int32, .int64, .bool, .uint32, .uint64].contains(self)
    }

    /// Bytes per element in `raw_data` for the types Certmax decodes (nil otherwise).
    var rawByteWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .float, .int32, .uint32: return 4
        case .double, .int64, .uint64: return 8
        default: return nil
        }
    }
}
