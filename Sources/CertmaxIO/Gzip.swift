import CZlib
import Foundation

/// Whether `data` starts with the gzip magic bytes `1f 8b` (RFC 1952).
public func isGzip(_ data: Data) -> Bool {
    data.count >= 2 && data.starts(with: [0x1f, 0x8b])
}

/// The largest decompressed size `readInputFile` accepts for gzip content: 2 GiB.
public let maximumDecompressedInputSize = 1 << 31

/// Decompresses gzip content (RFC 1952) read from `source`.
///
/// Several concatenated gzip members (as `cat a.gz b.gz` produces) are supported: their
/// outputs are concatenated, as `gunzip` does.
///
/// Edge Cases:
/// - Bytes after a complete member that do not start another member (`1f 8b`), a corrupt
///   header or deflate stream, a CRC-32 or length trailer mismatch, and a stream that ends
///   inside a member are all `InputError(.invalid)` naming `source`.
/// - Output larger than `limit` bytes is rejected as soon as it is produced (decompression
///   stops there; a "zip bomb" never allocates more than `limit + 1` bytes).
///
/// Postconditions: the result is the complete decompressed content, at most `limit` bytes.
public func gunzip(_ data: Data, source: String, limit: Int = maximumDecompressedInputSize) throws(InputError) -> Data {
    var out: UnsafeMutablePointer<UInt8>? = nil
    var count = 0
    var message: UnsafePointer<CChar>? = nil
    let rc = data.withUnsafeBytes { raw -> Int32 in
        let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return cm_gunzip(base, raw.count, max(0, limit), &out, &count, &message)
    }
    switch rc {
    case Int32(CM_GZ_OK):
        guard let out, count > 0 else { return Data() }
        return Data(bytesNoCopy: out, count: count, deallocator: .custom { p, _ in cm_free(p) })
    case Int32(CM_GZ_TOO_LARGE):
        throw InputError(source: source, problem: "gzip content decompresses to more than \(limit) bytes (the limit)")
    case Int32(CM_GZ_TRUNCATED):
        throw InputError(source: source, problem: "gzip stream is truncated (file cut short?)")
    case Int32(CM_GZ_TRAILING):
        throw InputError(source: source, problem: "unexpected bytes after the end of the gzip stream")
    case Int32(CM_GZ_NOMEM):
        throw InputError(source: source, problem: "out of memory while decompressing gzip content")
    default:
        let detail = message.map { ": " + String(cString: $0) } ?? ""
        throw InputError(source: source, problem: "corrupt gzip stream\(detail)")
    }
}
