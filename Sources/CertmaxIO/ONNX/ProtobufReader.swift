/// The wire types of the protobuf encoding (the low 3 bits of a field's tag).
enum ProtobufWireType: UInt8, Sendable {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5

    var name: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "fixed64"
        case .lengthDelimited: return "length-delimited"
        case .startGroup: return "start-group"
        case .endGroup: return "end-group"
        case .fixed32: return "fixed32"
        }
    }
}

/// One field's tag: its number, wire type and the byte offset of the tag in the buffer.
struct ProtobufField: Sendable {
    var number: Int
    var wireType: ProtobufWireType
    var offset: Int
}

/// A bounds-checked reader of the protobuf wire format over one message (a byte range of
/// a shared buffer). Hand-written: ONNX needs only a few message types, and no input may
/// make it trap.
///
/// Errors are `InputError`s naming `source`, the reader's `location` (a message path such
/// as `graph.node[5]`) and the byte offset in the (decompressed) buffer.
///
/// Rules:
/// - A varint has at most 10 bytes and must fit in 64 bits (a 10th byte above 1 is
///   rejected as an overflow).
/// - A tag's field number is 1 ... 2^29 - 1; wire types 6 and 7 are invalid; groups
///   (wire types 3 and 4, deprecated in proto2 and unused by ONNX) are rejected.
/// - Every length is checked against the bytes remaining in the enclosing message before
///   anything is read; fixed-width values likewise.
/// - Sub-messages nest at most `maximumDepth` levels.
///
/// Edge Cases: an empty message (zero bytes) is valid and has no fields.
struct ProtobufReader: Sendable {
    /// The whole buffer (shared, never copied by sub-readers).
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var position: Int
    /// One past the last byte of this message.
    let end: Int
    /// Nesting level of this message (0 for the top-level message).
    let depth: Int
    let source: String
    let location: String

    /// Deepest sub-message nesting accepted.
    static let maximumDepth = 64

    init(bytes: [UInt8], source: String, location: String) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
        self.depth = 0
        self.source = source
        self.location = location
    }

    private init(parent: ProtobufReader, range: Range<Int>, location: String) {
        bytes = parent.bytes
        position = range.lowerBound
        end = range.upperBound
        depth = parent.depth + 1
        source = parent.source
        self.location = location
    }

    var isAtEnd: Bool { position >= end }

    /// An error at this reader's location, mentioning byte `offset` when given.
    func error(_ problem: String, at offset: Int? = nil) -> InputError {
        let place = location.isEmpty ? nil : location
        if let offset { return InputError(source: source, location: place, problem: "\(problem) (at byte \(offset))") }
        return InputError(source: source, location: place, problem: problem)
    }

    // MARK: primitives

    /// Reads a varint ending before `limit`.
    mutating func readVarint(limit: Int? = nil) throws(InputError) -> UInt64 {
        let limit = limit ?? end
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while true {
            guard index < limit else {
                throw error("truncated varint", at: start)
            }
            let byte = bytes[index]
            index += 1
            if shift == 63 {
                // The 10th byte may only contribute bit 63.
                guard byte & 0x7F <= 1 else { throw error("varint overflows 64 bits", at: start) }
                guard byte & 0x80 == 0 else { throw error("varint longer than 10 bytes", at: start) }
                result |= UInt64(byte & 0x7F) << shift
                break
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        position = index
        return result
    }

    /// Reads the next field's tag, or nil at the end of the message.
    mutating func nextField() throws(InputError) -> ProtobufField? {
        guard position < end else { return nil }
        let offset = position
        let tag = try readVarint()
        guard tag <= UInt64(UInt32.max) else { throw error("field tag \(tag) is out of range", at: offset) }
        let number = Int(tag >> 3)
        guard number >= 1 else { throw error("field number 0 is invalid", at: offset) }
        guard let wireType = ProtobufWireType(rawValue: UInt8(tag & 7)) else {
            throw error("field \(number) has invalid wire type \(tag & 7)", at: offset)
        }
        if wireType == .startGroup || wireType == .endGroup {
            throw error("field \(number) uses the deprecated group encoding (wire type \(wireType.rawValue)), which ONNX files do not use", at: offset)
        }
        return ProtobufField(number: number, wireType: wireType, offset: offset)
    }

    /// Consumes `count` bytes and returns their range; throws if fewer remain.
    mutating func take(_ count: Int, what: String, at offset: Int) throws(InputError) -> Range<Int> {
        let remaining = end - position
        guard count >= 0, count <= remaining else {
            throw error("\(what) needs \(count) bytes, only \(remaining) remain in the message (truncated or corrupt)", at: offset)
        }
        let r = position..<(position + count)
        position += count
        return r
    }

    /// Reads a length prefix and consumes that many bytes.
    mutating func readLengthDelimited(_ field: ProtobufField, name: String) throws(InputError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw error("field \(name) (\(field.number)) claims \(length) bytes, only \(end - position) remain in the message (truncated or corrupt)", at: field.offset)
        }
        return try take(Int(length), what: "field \(name) (\(field.number))", at: field.offset)
    }

    mutating func readFixed32Raw() throws(InputError) -> UInt32 {
        let r = try take(4, what: "fixed32 value", at: position)
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[r.lowerBound + k]) << (8 * UInt32(k)) }
        return v
    }

    mutating func readFixed64Raw() throws(InputError) -> UInt64 {
        let r = try take(8, what: "fixed64 value", at: position)
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[r.lowerBound + k]) << (8 * UInt64(k)) }
        return v
    }

    /// Skips a field this decoder does not use.
    mutating func skip(_ field: ProtobufField) throws(InputError) {
        switch field.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try take(8, what: "fixed64 field \(field.number)", at: field.offset)
        case .fixed32: _ = try take(4, what: "fixed32 field \(field.number)", at: field.offset)
        case .lengthDelimited: _ = try readLengthDelimited(field, name: "#\(field.number)")
        case .startGroup, .endGroup:
            throw error("field \(field.number) uses the deprecated group encoding", at: field.offset)
        }
    }

    // MARK: typed fields

    func expect(_ field: ProtobufField, _ wireType: ProtobufWireType, name: String) throws(InputError) {
        guard field.wireType == wireType else {
            throw error("field \(name) (\(field.number)) has wire type \(field.wireType.name), expected \(wireType.name)", at: field.offset)
        }
    }

    /// A sub-message reader over a length-delimited field, one level deeper.
    mutating func subMessage(_ field: ProtobufField, name: String, location: String) throws(InputError) -> ProtobufReader {
        try expect(field, .lengthDelimited, name: name)
        guard depth + 1 <= Self.maximumDepth else {
            throw error("messages nest deeper than \(Self.maximumDepth) levels", at: field.offset)
        }
        let r = try readLengthDelimited(field, name: name)
        return ProtobufReader(parent: self, range: r, location: location)
    }

    /// An `int64` (or `uint64`, `enum`) field: a varint reinterpreted as two's complement.
    mutating func readInt64(_ field: ProtobufField, name: String) throws(InputError) -> Int64 {
        try expect(field, .varint, name: name)
        return Int64(bitPattern: try readVarint())
    }

    /// An `int32` or enum field; the value must fit in 32 bits (negative values are
    /// sign-extended to 64 bits on the wire).
    mutating func readInt32(_ field: ProtobufField, name: String) throws(InputError) -> Int32 {
        let v = try readInt64(field, name: name)
        guard let w = Int32(exactly: v) else { throw error("field \(name) (\(field.number)) = \(v) does not fit in int32", at: field.offset) }
        return w
    }

    mutating func readFloat(_ field: ProtobufField, name: String) throws(InputError) -> Float {
        try expect(field, .fixed32, name: name)
        return Float(bitPattern: try readFixed32Raw())
    }

    /// A `bytes` field's content.
    mutating func readBytes(_ field: ProtobufField, name: String) throws(InputError) -> ArraySlice<UInt8> {
        try expect(field, .lengthDelimited, name: name)
        return bytes[try readLengthDelimited(field, name: name)]
    }

    /// A `string` (or `bytes` holding UTF-8) field; invalid UTF-8 is an error.
    mutating func readString(_ field: ProtobufField, name: String) throws(InputError) -> String {
        let b = try readBytes(field, name: name)
        guard let s = String(validating: b, as: UTF8.self) else {
            throw error("field \(name) (\(field.number)) is not valid UTF-8", at: field.offset)
        }
        return s
    }

    /// Appends a repeated varint field, packed (one length-delimited run) or not.
    mutating func appendVarints(_ field: ProtobufField, name: String, to values: inout [UInt64]) throws(InputError) {
        switch field.wireType {
        case .varint:
            values.append(try readVarint())
        case .lengthDelimited:
            let r = try readLengthDelimited(field, name: name)
            var sub = ProtobufReader(parent: self, range: r, location: location)
            values.reserveCapacity(values.count + min(r.count, 1 << 20))
            while !sub.isAtEnd { values.append(try sub.readVarint()) }
        default:
            throw error("field \(name) (\(field.number)) has wire type \(field.wireType.name), expected varint or packed", at: field.offset)
        }
    }

    /// Appends a repeated fixed32 field (float), packed or not.
    mutating func appendFixed32(_ field: ProtobufField, name: String, to values: inout [UInt32]) throws(InputError) {
        switch field.wireType {
        case .fixed32:
            values.append(try readFixed32Raw())
        case .lengthDelimited:
            let r = try readLengthDelimited(field, name: name)
            guard r.count % 4 == 0 else {
                throw error("packed field \(name) (\(field.number)) has \(r.count) bytes, not a multiple of 4", at: field.offset)
            }
            values.reserveCapacity(values.count + r.count / 4)
            var k = r.lowerBound
            while k < r.upperBound {
                values.append(UInt32(bytes[k]) | UInt32(bytes[k + 1]) << 8 | UInt32(bytes[k + 2]) << 16 | UInt32(bytes[k + 3]) << 24)
                k += 4
            }
        default:
            throw error("field \(name) (\(field.number)) has wire type \(field.wireType.name), expected fixed32 or packed", at: field.offset)
        }
    }

    /// Appends a repeated fixed64 field (double), packed or not.
    mutating func appendFixed64(_ field: ProtobufField, name: String, to values: inout [UInt64]) throws(InputError) {
        switch field.wireType {
        case .fixed64:
            values.append(try readFixed64Raw())
        case .lengthDelimited:
            let r = try readLengthDelimited(field, name: name)
            guard r.count % 8 == 0 else {
                throw error("packed field \(name) (\(field.number)) has \(r.count) bytes, not a multiple of 8", at: field.offset)
            }
            values.reserveCapacity(values.count + r.count / 8)
            var k = r.lowerBound
            while k < r.upperBound {
                var v: UInt64 = 0
                for j in 0..<8 { v |= UInt64(bytes[k + j]) << (8 * UInt64(j)) }
                values.append(v)
                k += 8
            }
        default:
            throw error("field \(name) (\(field.number)) has wire type \(field.wireType.name), expected fixed64 or packed", at: field.offset)
        }
    }
}
