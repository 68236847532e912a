import Foundation

/// Builds safetensors files (for tests, fixtures and small example models).
///
/// Tensors are laid out in the order added, contiguously, little-endian; the header is
/// compact JSON with keys in insertion order, padded with spaces to a multiple of 8 bytes.
public struct SafetensorsWriter: Sendable {
    public struct Tensor: Sendable {
        public var name: String
        /// The dtype string written to the header (may be one Certmax does not read,
        /// such as "I64", to build files like real checkpoints).
        public var dtype: String
        public var shape: [Int]
        /// Raw little-endian bytes; must hold product(shape) * itemsize bytes.
        public var bytes: [UInt8]
    }

    public private(set) var tensors: [Tensor] = []
    public var metadata: [(String, String)] = []

    public init() {}

    /// Adds a tensor of raw bytes (any dtype string).
    public mutating func add(_ name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
        tensors.append(Tensor(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds `values` as F64 (exact) or F32/BF16/F16 (each value rounded to nearest-even).
    ///
    /// Edge Cases: values that do not fill `shape` are written as given, like the raw
    /// `bytes` form: the file is then malformed, and `SafetensorsFile` rejects it with a
    /// one-line error (never a trap here).
    public mutating func add(_ name: String, dtype: SafetensorsDType = .f32, shape: [Int], values: [Double]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * dtype.byteCount)
        func put<T: FixedWidthInteger>(_ x: T) { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
        for v in values {
            switch dtype {
            case .f64: put(v.bitPattern)
            case .f32: put(Float(v).bitPattern)
            case .bf16: put(Self.bfloat16Bits(v))
            case .f16: put(Self.halfBits(v))
            }
        }
        add(name, dtype: dtype.rawValue, shape: shape, bytes: bytes)
    }

    /// The complete file contents.
    public func encoded() -> [UInt8] {
        var header: [(String, JSONOutput)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.map { ($0.0, .string($0.1)) })))
        }
        var offset = 0
        for t in tensors {
            header.append((t.name, .object([
                ("dtype", .string(t.dtype)),
                ("shape", .array(t.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + t.bytes.count)])),
            ])))
            offset += t.bytes.count
        }
        var json = Array(JSONOutput.object(header).serialized().utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for t in tensors { out.append(contentsOf: t.bytes) }
        return out
    }

    /// Writes the file; throws `InputError(.unreadable)` if it cannot be written.
    public func write(to path: String) throws(InputError) {
        do {
            try Data(encoded()).write(to: URL(fileURLWithPath: path))
        } catch {
            throw InputError(.unreadable, source: path, problem: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// Round-to-nearest-even Double -> bfloat16 bits (via Float; double rounding can
    /// differ from direct rounding only in halfway cases, irrelevant for test data).
    static func bfloat16Bits(_ v: Double) -> UInt16 {
        let bits = Float(v).bitPattern
        if Float(v).isNaN { return 0x7FC0 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// Round-to-nearest-even Double -> IEEE binary16 bits.
    static func halfBits(_ v: Double) -> UInt16 {
        if v.isNaN { return 0x7E00 }
        let sign: UInt16 = v.sign == .minus ? 0x8000 : 0
        let a = abs(v)
        if a >= 65520 { return sign | 0x7C00 }  // rounds to infinity
        // Scale so that the unit in the last place is 1, round to nearest even.
        let e = a < 0x1p-14 ? -14 : Int(a.exponent)
        let ulp = Double(sign: .plus, exponent: e - 10, significand: 1)
        let m = (a / ulp).rounded(.toNearestOrEven)  // exact scaling by a power of 2
        // m in [0, 2048]; value = m * 2^(e-10).
        if e == -14 && m < 1024 { return sign | UInt16(m) }  // subnormal (or zero)
        var exponent = e + 15
        var mant = Int(m)
        if mant == 2048 { mant = 1024; exponent += 1 }
        if exponent >= 31 { return sign | 0x7C00 }
        return sign | UInt16(exponent << 10) | UInt16(mant - 1024)
    }
}
