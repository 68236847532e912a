import Foundation

/// A NumPy `.npy` array of floating-point numbers, converted to `Double`.
///
/// Format (NumPy NEP 1): the magic `\x93NUMPY`, a major/minor version byte pair, a
/// little-endian header length (2 bytes for version 1, 4 bytes for versions 2 and 3), an
/// ASCII/UTF-8 Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (B, K), }`
/// and the raw data.
///
/// Supported dtypes: float64 and float32, little or big endian (`<f8 >f8 <f4 >f4`, `=`
/// and `|` read as native little endian); float32 values convert to Double exactly.
/// Fortran-ordered arrays are transposed to C (row-major) order. Anything else (integer,
/// half, complex, object dtypes, truncated or oversized data, malformed headers) is an
/// `InputError` naming the file and the problem. Values are not checked for NaN/inf here;
/// consumers decide (e.g. `RadiusBatch` rejects them).
public struct NpyArray: Sendable, Equatable {
    public enum DType: String, Sendable { case float32, float64 }

    /// The shape (empty for a 0-d scalar).
    public let shape: [Int]
    /// The element type stored in the file.
    public let dtype: DType
    /// The values in C (row-major) order.
    public let values: [Double]

    public init(shape: [Int], dtype: DType, values: [Double]) {
        self.shape = shape
        self.dtype = dtype
        self.values = values
    }

    /// Reads a `.npy` file (`-` for standard input).
    public init(path: String) throws(InputError) {
        let (data, source) = try readInputFile(path)
        try self.init(data: data, source: source)
    }

    /// Parses `.npy` bytes; `source` names the file (or `archive.npz:member`) in errors.
    public init(data: Data, source: String) throws(InputError) {
        func bad(_ problem: String) -> InputError { InputError(source: source, problem: problem) }
        let bytes = [UInt8](data)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw bad("not a NumPy .npy file (bad magic)") }
        let major = bytes[6]
        let headerLen: Int, headerStart: Int
        switch major {
        case 1:
            headerLen = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated .npy header") }
            headerLen = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw bad("unsupported .npy format version \(major).\(bytes[7])")
        }
        guard headerStart + headerLen <= bytes.count else { throw bad("truncated .npy header") }
        guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLen)], encoding: .utf8) else {
            throw bad("the .npy header is not text")
        }
        let dict = try Self.parseHeader(header, source: source)
        let itemSize: Int
        let bigEndian: Bool
        switch dict.descr {
        case "<f8", "=f8", "|f8": (dtype, itemSize, bigEndian) = (.float64, 8, false)
        case ">f8": (dtype, itemSize, bigEndian) = (.float64, 8, true)
        case "<f4", "=f4", "|f4": (dtype, itemSize, bigEndian) = (.float32, 4, false)
        case ">f4": (dtype, itemSize, bigEndian) = (.float32, 4, true)
        default:
            throw InputError(source: source, location: "dtype",
                             problem: "unsupported dtype '\(dict.descr)' (expected float32 or float64)")
        }
        var count = 1
        for d in dict.shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o, p <= Int(Int32.max) else { throw bad("array too large: shape \(dict.shape)") }
            count = p
        }
        let dataStart = headerStart + headerLen
        let available = bytes.count - dataStart
        guard available == count * itemSize else {
            throw bad("data size mismatch: shape \(dict.shape) of \(dict.descr) needs \(count * itemSize) bytes, file has \(available)")
        }
        var vals = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let p = raw.baseAddress! + dataStart
            for i in 0..<count {
                if itemSize == 8 {
                    var bits = UnsafeRawPointer(p + 8 * i).loadUnaligned(as: UInt64.self)
                    bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                    vals[i] = Double(bitPattern: bits)
                } else {
                    var bits = UnsafeRawPointer(p + 4 * i).loadUnaligned(as: UInt32.self)
                    bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                    vals[i] = Double(Float(bitPattern: bits))
                }
            }
        }
        shape = dict.shape
        if dict.fortranOrder && dict.shape.count > 1 {
            values = Self.fortranToC(vals, shape: dict.shape)
        } else {
            values = vals
        }
    }

    /// Column-major (Fortran) to row-major (C) order.
    static func fortranToC(_ v: [Double], shape: [Int]) -> [Double] {
        let n = shape.count
        var out = [Double](repeating: 0, count: v.count)
        var idx = [Int](repeating: 0, count: n)
        for c in 0..<v.count {
            // Fortran linear index of the multi-index idx.
            var f = 0, stride = 1
            for d in 0..<n { f += idx[d] * stride; stride *= shape[d] }
            out[c] = v[f]
            var d = n - 1
            while d >= 0 { idx[d] += 1; if idx[d] < shape[d] { break }; idx[d] = 0; d -= 1 }
        }
        return out
    }

    struct Header { var descr: String; var fortranOrder: Bool; var shape: [Int] }

    /// Parses the Python dict literal of the header (only the three standard keys).
    static func parseHeader(_ text: String, source: String) throws(InputError) -> Header {
        func bad(_ p: String) -> InputError { InputError(source: source, location: "header", problem: p) }
        func value(after key: String) -> Substring? {
            for quote in ["'", "\""] {
                if let r = text.range(of: "\(quote)\(key)\(quote)") {
                    var rest = text[r.upperBound...].drop { $0 == " " }
                    guard rest.first == ":" else { return nil }
                    rest = rest.dropFirst().drop { $0 == " " }
                    return rest
                }
            }
            return nil
        }
        guard let d = value(after: "descr"), let q = d.first, q == "'" || q == "\"",
              let end = d.dropFirst().firstIndex(of: q) else { throw bad("missing or malformed 'descr'") }
        let descr = String(d[d.index(after: d.startIndex)..<end])
        guard let f = value(after: "fortran_order") else { throw bad("missing 'fortran_order'") }
        let fortran: Bool
        if f.hasPrefix("True") { fortran = true } else if f.hasPrefix("False") { fortran = false } else {
            throw bad("malformed 'fortran_order'")
        }
        guard let s = value(after: "shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw bad("missing or malformed 'shape'")
        }
        var dims: [Int] = []
        for part in s[s.index(after: s.startIndex)..<close].split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw bad("malformed 'shape' entry '\(t)'") }
            dims.append(n)
        }
        return Header(descr: descr, fortranOrder: fortran, shape: dims)
    }

    /// The array as B x K rows: a 2-d array as is, a 1-d array as one row.
    /// Throws for other ranks or an empty array.
    public func matrix(source: String, name: String) throws(InputError) -> (rows: Int, columns: Int, values: [Double]) {
        switch shape.count {
        case 1 where shape[0] > 0: return (1, shape[0], values)
        case 2 where shape[0] > 0 && shape[1] > 0: return (shape[0], shape[1], values)
        case 1, 2: throw InputError(source: source, location: name, problem: "empty batch (shape \(shape))")
        default: throw InputError(source: source, location: name, problem: "expected a 1-d or 2-d array, got shape \(shape)")
        }
    }
}
