import Foundation

/// A minimal protobuf wire-format writer for tests: builds messages field by field,
/// including malformed ones (any tag, any wire type, any length).
public struct ProtobufWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func rawVarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func tag(_ field: Int, wireType: UInt8) { rawVarint(UInt64(field) << 3 | UInt64(wireType)) }

    /// An int64/int32/enum/bool field (negative values as 10-byte two's complement).
    public mutating func int(_ field: Int, _ v: Int64) {
        tag(field, wireType: 0)
        rawVarint(UInt64(bitPattern: v))
    }

    public mutating func uint(_ field: Int, _ v: UInt64) {
        tag(field, wireType: 0)
        rawVarint(v)
    }

    public mutating func float(_ field: Int, _ v: Float) {
        tag(field, wireType: 5)
        fixed32(v.bitPattern)
    }

    public mutating func fixed32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    public mutating func fixed64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }

    public mutating func bytesField(_ field: Int, _ b: [UInt8]) {
        tag(field, wireType: 2)
        rawVarint(UInt64(b.count))
        bytes += b
    }

    public mutating func string(_ field: Int, _ s: String) { bytesField(field, Array(s.utf8)) }
    public mutating func message(_ field: Int, _ m: ProtobufWriter) { bytesField(field, m.bytes) }

    public mutating func packedVarints(_ field: Int, _ values: [UInt64]) {
        var inner = ProtobufWriter()
        for v in values { inner.rawVarint(v) }
        bytesField(field, inner.bytes)
    }

    public mutating func packedFixed32(_ field: Int, _ values: [UInt32]) {
        var inner = ProtobufWriter()
        for v in values { inner.fixed32(v) }
        bytesField(field, inner.bytes)
    }

    public mutating func packedFixed64(_ field: Int, _ values: [UInt64]) {
        var inner = ProtobufWriter()
        for v in values { inner.fixed64(v) }
        bytesField(field, inner.bytes)
    }
}
