/// The elements of an `ONNXTensor`, row-major, in the representation of its type.
public enum ONNXTensorValues: Sendable, Equatable {
    /// FLOAT, DOUBLE, FLOAT16 and BFLOAT16 elements, converted exactly to Double (every
    /// float32, half and bfloat16 value is a Double). NaN and infinities are kept as
    /// stored: a mask constant of -inf is legitimate, so rejecting them is left to the
    /// stage that knows what the tensor is for.
    case floating([Double])
    /// INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 and BOOL (0 or 1)
    /// elements, exactly. A UINT64 element above `Int64.max` is rejected when decoding.
    case integer([Int64])
    /// STRING elements (`string_data`), as the stored bytes (ONNX says UTF-8, unchecked).
    case strings([[UInt8]])

    /// The number of elements.
    public var count: Int {
        switch self {
        case .floating(let v): return v.count
        case .integer(let v): return v.count
        case .strings(let v): return v.count
        }
    }
}

/// A tensor of an ONNX file: an initializer, a `Constant` value or a tensor attribute.
///
/// Postconditions (established by the decoder): every dim is >= 0, the product of `dims`
/// does not overflow and equals `values.count`, and `values` has the representation of
/// `dataType` (see `ONNXTensorValues`).
public struct ONNXTensor: Sendable, Equatable {
    /// The tensor's name (empty for an unnamed attribute tensor).
    public var name: String
    /// The element type as stored in the file (`data_type`).
    public var dataType: ONNXDataType
    /// Dimensions, outermost first; `[]` is a scalar (one element).
    public var dims: [Int]
    /// The elements, row-major (see `ONNXTensorValues` for the representation by type).
    public var values: ONNXTensorValues

    /// A tensor from its parts (tests, constant folding); the caller keeps the
    /// postconditions above.
    public init(name: String, dataType: ONNXDataType, dims: [Int], values: ONNXTensorValues) {
        self.name = name
        self.dataType = dataType
        self.dims = dims
        self.values = values
    }

    /// The number of elements (the product of `dims`; 1 for a scalar).
    public var elementCount: Int { values.count }

    /// The elements as Double: floating-point tensors as stored; integer tensors only when
    /// every element converts exactly (|v| <= 2^53), else nil; nil for strings.
    public var doubles: [Double]? {
        switch values {
        case .floating(let v): return v
        case .integer(let v):
            var out = [Double]()
            out.reserveCapacity(v.count)
            for x in v {
                guard let d = Double(exactly: x) else { return nil }
                out.append(d)
            }
            return out
        case .strings: return nil
        }
    }

    /// The elements of an integer tensor (nil for floating-point and string tensors).
    public var integers: [Int64]? {
        if case .integer(let v) = values { return v }
        return nil
    }
}
