import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The floating-point element types Certmax reads from a safetensors file.
///
/// A file may also hold tensors of other safetensors dtypes (BOOL, U8, I8, I16, U16, I32,
/// U32, I64, U64, F8_E4M3, F8_E5M2): their header entries are validated like all others
/// (a BERT checkpoint carries an I64 `embeddings.position_ids`), but asking for such a
/// tensor's `info`, `doubles` or `floats` throws an `InputError` naming the dtype. A dtype
/// string that safetensors does not define makes the whole file invalid.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f16 = "F16", bf16 = "BF16", f32 = "F32", f64 = "F64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f16, .bf16: return 2
        case .f32: return 4
        case .f64: return 8
        }
    }
}

/// One tensor's header entry.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first (row-major data); `[]` is a scalar.
    public let shape: [Int]
    /// Byte offsets of the tensor's data, relative to the start of the FILE (not the data
    /// section), so `byteRange.count == elementCount * dtype.byteCount`.
    public let byteRange: Range<Int>

    /// The product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file, memory-mapped read-only (the tensor data is not copied on open;
/// pages are read on demand when a tensor is converted).
///
/// Format: an 8-byte little-endian header length N, N bytes of JSON (an object mapping
/// tensor names to `{"dtype", "shape", "data_offsets": [begin, end]}` plus an optional
/// `"__metadata__"` object of strings), then the data section; offsets are relative to
/// the start of the data section; data are little-endian, row-major.
///
/// Validation on `init` (each failure is an `InputError` naming the file and, where there
/// is one, the tensor): the file is at least 8 bytes; the header length fits in the file
/// and is at most 100 MB; the header is UTF-8 JSON whose top level is an object; every
/// entry is an object with a known `dtype` string, a `shape` of non-negative integers and
/// `data_offsets` of two non-negative integers with begin <= end <= size of the data
/// section; `end - begin == product(shape) * itemsize` (without overflow); no two
/// non-empty tensors share a byte; `__metadata__`, when present, maps strings to strings.
/// Holes between tensors are allowed.
///
/// Edge Cases:
/// - A file that is changed or truncated by another process while it is mapped can fault
///   on access (SIGBUS); Certmax does not defend against concurrent writers.
/// - Tensor data are not checked on open; `doubles`/`floats` reject non-finite elements.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path given to `init`, used as the source of every error.
    public let path: String
    private let region: MappedRegion
    private let entries: [String: Entry]
    private let metadataStorage: [String: String]
    /// Largest header accepted (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    struct Entry {
        var name: String
        var dtypeName: String
        var itemSize: Int
        var shape: [Int]
        var byteRange: Range<Int>
    }

    /// Itemsizes of every dtype the safetensors format defines.
    static let knownDTypeSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "I64": 8, "U64": 8, "F64": 8,
    ]

    /// Opens, maps and validates `path`.
    ///
    /// Throws `InputError(.unreadable)` when the file cannot be opened or mapped, and
    /// `InputError(.invalid)` for every malformation listed in the type's documentation.
    public init(path: String) throws(InputError) {
        self.path = path
        let region = try MappedRegion(path: path)
        self.region = region
        let size = region.count
        guard size >= 8 else {
            throw InputError(source: path, problem: "file is \(size) bytes, shorter than the 8-byte safetensors header length")
        }
        let base = region.base!
        let rawLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard rawLength <= UInt64(Self.maximumHeaderLength) else {
            throw InputError(source: path, problem: "header length \(rawLength) is absurd (limit \(Self.maximumHeaderLength) bytes); not a safetensors file?")
        }
        let headerLength = Int(rawLength)
        guard headerLength <= size - 8 else {
            throw InputError(source: path, problem: "header length \(headerLength) exceeds the \(size - 8) bytes after the length field (file truncated?)")
        }
        let headerData = Data(bytes: base + 8, count: headerLength)
        let dataStart = 8 + headerLength
        let dataSize = size - dataStart
        let (entries, metadata) = try Self.parseHeader(headerData, path: path, dataStart: dataStart, dataSize: dataSize)
        self.entries = entries
        self.metadataStorage = metadata
    }

    /// Names of all tensors in the file (including those of unsupported dtypes), sorted.
    public var tensorNames: [String] { entries.keys.sorted() }

    /// The `__metadata__` strings (empty if absent).
    public var metadata: [String: String] { metadataStorage }

    /// Whether the file holds a tensor of this name (of any dtype).
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The header entry of `name`; throws if it is missing or of an unsupported dtype.
    public func info(_ name: String) throws(InputError) -> SafetensorsTensorInfo {
        guard let e = entries[name] else {
            throw InputError(source: path, location: "tensor \"\(name)\"", problem: "not in the file (\(entries.count) tensors)")
        }
        guard let dtype = SafetensorsDType(rawValue: e.dtypeName) else {
            throw InputError(source: path, location: "tensor \"\(name)\"", problem: "dtype \(e.dtypeName) is not supported (supported: F16, BF16, F32, F64)")
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: e.shape, byteRange: e.byteRange)
    }

    /// All elements of `name`, row-major, converted to Double. F16, BF16 and F32 values
    /// convert exactly; F64 values are returned as stored.
    ///
    /// Throws if the tensor is missing, of an unsupported dtype, or holds a NaN or an
    /// infinity (model weights must be finite for any bound to mean something).
    public func doubles(_ name: String) throws(InputError) -> [Double] {
        let i = try info(name)
        return try doubles(name, elements: 0..<i.elementCount)
    }

    /// The elements `elements` (indices into the row-major flattening) of `name`, as
    /// Double, converted as by `doubles(_:)`. Reads only those bytes (e.g. a few rows of
    /// a large embedding table).
    public func doubles(_ name: String, elements: Range<Int>) throws(InputError) -> [Double] {
        let i = try info(name)
        try checkRange(elements, i)
        let p = region.base! + i.byteRange.lowerBound
        var out = [Double](repeating: 0, count: elements.count)
        var bad: (Int, Double)? = nil
        out.withUnsafeMutableBufferPointer { buf in
            switch i.dtype {
            case .f64:
                for k in 0..<buf.count {
                    let bits = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: (elements.lowerBound + k) * 8, as: UInt64.self))
                    buf[k] = Double(bitPattern: bits)
                }
            case .f32:
                for k in 0..<buf.count {
                    let bits = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: (elements.lowerBound + k) * 4, as: UInt32.self))
                    buf[k] = Double(Float(bitPattern: bits))
                }
            case .bf16:
                for k in 0..<buf.count {
                    let bits = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: (elements.lowerBound + k) * 2, as: UInt16.self))
                    buf[k] = Double(Float(bitPattern: UInt32(bits) << 16))
                }
            case .f16:
                for k in 0..<buf.count {
                    let bits = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: (elements.lowerBound + k) * 2, as: UInt16.self))
                    buf[k] = Self.halfToDouble(bits)
                }
            }
            for k in 0..<buf.count where !buf[k].isFinite {
                bad = (elements.lowerBound + k, buf[k])
                break
            }
        }
        if let (index, value) = bad {
            throw InputError(source: path, location: "tensor \"\(name)\"", problem: "element \(index) is \(value.isNaN ? "NaN" : "infinite"); tensor values must be finite")
        }
        return out
    }

    /// All elements of `name` as Float. F16, BF16 and F32 convert exactly; F64 values are
    /// rounded to the nearest Float (throws if one overflows the Float range).
    public func floats(_ name: String) throws(InputError) -> [Float] {
        let d = try doubles(name)
        var out = [Float](repeating: 0, count: d.count)
        for k in 0..<d.count {
            let f = Float(d[k])
            if !f.isFinite {
                throw InputError(source: path, location: "tensor \"\(name)\"", problem: "element \(k) = \(d[k]) overflows Float")
            }
            out[k] = f
        }
        return out
    }

    private func checkRange(_ r: Range<Int>, _ i: SafetensorsTensorInfo) throws(InputError) {
        guard r.lowerBound >= 0, r.upperBound <= i.elementCount else {
            throw InputError(source: path, location: "tensor \"\(i.name)\"", problem: "elements \(r.lowerBound)..<\(r.upperBound) requested, tensor has \(i.elementCount)")
        }
    }

    /// IEEE binary16 -> Double, exact (every half value is a Double).
    static func halfToDouble(_ h: UInt16) -> Double {
        let negative = (h & 0x8000) != 0
        let exponent = Int((h >> 10) & 0x1F)
        let fraction = Int(h & 0x3FF)
        let magnitude: Double
        if exponent == 0 {
            magnitude = Double(fraction) * 0x1p-24  // subnormal: fraction * 2^-24
        } else if exponent == 31 {
            magnitude = fraction == 0 ? .infinity : .nan
        } else {
            // (1024 + fraction) * 2^(exponent - 25)
            magnitude = Double(1024 + fraction) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    // MARK: header validation

    private static func parseHeader(_ data: Data, path: String, dataStart: Int, dataSize: Int)
        throws(InputError) -> ([String: Entry], [String: String])
    {
        func fail(_ tensor: String?, _ problem: String) -> InputError {
            InputError(source: path, location: tensor.map { "tensor \"\($0)\"" }, problem: problem)
        }
        let bytes = [UInt8](data)
        guard String(bytes: bytes, encoding: .utf8) != nil else {
            throw fail(nil, "header is not valid UTF-8")
        }
        let value: SafetensorsHeaderValue
        do {
            value = try SafetensorsHeaderValue.parse(bytes)
        } catch {
            throw fail(nil, "header is not valid JSON: \(error.message) at header byte \(error.offset)")
        }
        guard case .object(let object) = value else {
            throw fail(nil, "header is \(value.kindName), expected a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, v) in object {
            if name == "__metadata__" {
                guard case .object(let m) = v else { throw InputError(source: path, location: "__metadata__", problem: "expected an object of strings, found \(v.kindName)") }
                for (k, mv) in m {
                    guard case .string(let s) = mv else {
                        throw InputError(source: path, location: "__metadata__", problem: "value of \"\(k)\" is \(mv.kindName), expected a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            guard case .object(let members) = v else { throw fail(name, "entry is \(v.kindName), expected an object") }
            let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard let dtypeValue = fields["dtype"] else { throw fail(name, "missing \"dtype\"") }
            guard case .string(let dtypeName) = dtypeValue else { throw fail(name, "\"dtype\" is \(dtypeValue.kindName), expected a string") }
            guard let itemSize = knownDTypeSizes[dtypeName] else { throw fail(name, "unknown dtype \"\(dtypeName)\"") }
            guard let shapeValue = fields["shape"] else { throw fail(name, "missing \"shape\"") }
            guard case .array(let dims) = shapeValue else { throw fail(name, "\"shape\" is \(shapeValue.kindName), expected an array") }
            var shape: [Int] = []
            var count = 1
            var overflow = false
            for (k, d) in dims.enumerated() {
                let n = try integer(d, what: "shape[\(k)]", tensor: name, fail: fail)
                shape.append(n)
                let (p, o) = count.multipliedReportingOverflow(by: n)
                overflow = overflow || o
                count = p
            }
            guard let offsetsValue = fields["data_offsets"] else { throw fail(name, "missing \"data_offsets\"") }
            guard case .array(let offsets) = offsetsValue, offsets.count == 2 else {
                throw fail(name, "\"data_offsets\" must be an array of two integers [begin, end]")
            }
            let begin = try integer(offsets[0], what: "data_offsets[0]", tensor: name, fail: fail)
            let end = try integer(offsets[1], what: "data_offsets[1]", tensor: name, fail: fail)
            guard begin <= end else { throw fail(name, "data_offsets begin \(begin) > end \(end)") }
            guard end <= dataSize else {
                throw fail(name, "data_offsets end \(end) is beyond the data section (\(dataSize) bytes; file truncated?)")
            }
            let (bytes, o2) = count.multipliedReportingOverflow(by: itemSize)
            guard !overflow, !o2, bytes == end - begin else {
                throw fail(name, "data_offsets span \(end - begin) bytes, shape \(shape) of \(dtypeName) needs \(overflow || o2 ? "an overflowing number of" : String(bytes))")
            }
            entries[name] = Entry(name: name, dtypeName: dtypeName, itemSize: itemSize, shape: shape,
                                  byteRange: (dataStart + begin)..<(dataStart + end))
        }
        // No two non-empty tensors may share a byte.
        let sorted = entries.values.filter { !$0.byteRange.isEmpty }
            .sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
        for k in sorted.indices.dropFirst() where sorted[k].byteRange.lowerBound < sorted[k - 1].byteRange.upperBound {
            throw fail(sorted[k].name, "data overlaps tensor \"\(sorted[k - 1].name)\"")
        }
        return (entries, metadata)
    }

    /// A non-negative integer literal (no fraction, no exponent) at most 2^53.
    private static func integer(_ v: SafetensorsHeaderValue, what: String, tensor: String,
                                fail: (String?, String) -> InputError) throws(InputError) -> Int {
        if case .integer(let n) = v {
            guard n >= 0 else { throw fail(tensor, "\(what) = \(n) is negative") }
            guard n <= 1 << 53 else { throw fail(tensor, "\(what) = \(n) is too large") }
            return n
        }
        guard case .number(let d) = v else { throw fail(tensor, "\(what) is \(v.kindName), expected an integer") }
        guard d.isFinite, d == d.rounded(.towardZero) else { throw fail(tensor, "\(what) = \(d) is not an integer") }
        guard d >= 0 else { throw fail(tensor, "\(what) = \(Int(exactly: d).map(String.init) ?? String(d)) is negative") }
        guard d <= 0x1p53 else { throw fail(tensor, "\(what) = \(d) is too large") }
        // An integral value written with a fraction or exponent (2.0, 1e0): the reference
        // implementation (Rust, usize) rejects it, so reading it would accept a file other
        // tools refuse (issue 15).
        throw fail(tensor, "\(what) = \(d) is written as a float, expected an integer literal")
    }
}

/// A read-only private memory mapping of a whole file, unmapped on deinit.
final class MappedRegion: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int

    init(path: String) throws(InputError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let e = errno
            let problem = e == ENOENT ? "no such file" : e == EACCES ? "permission denied" : "cannot be opened (\(String(cString: strerror(e))))"
            throw InputError(.unreadable, source: path, problem: problem)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw InputError(.unreadable, source: path, problem: "cannot stat (\(String(cString: strerror(errno))))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(.unreadable, source: path, problem: (st.st_mode & S_IFMT) == S_IFDIR ? "is a directory, expected a file" : "is not a regular file")
        }
        let size = Int(st.st_size)
        count = size
        if size == 0 {
            base = nil
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw InputError(.unreadable, source: path, problem: "cannot be memory-mapped (\(String(cString: strerror(errno))))")
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }
}
