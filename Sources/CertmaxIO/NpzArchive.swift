import CZlib
import Foundation

/// A NumPy `.npz` archive (a zip file of `.npy` members), as written by `np.savez`
/// (stored members) and `np.savez_compressed` (deflated members, inflated with the system
/// zlib).
///
/// Parsing: the end-of-central-directory record is located from the end of the file
/// (ZIP64 records are followed when present); each central-directory entry gives the
/// member name, method, sizes (ZIP64 extra field when a size is 0xFFFFFFFF) and the
/// offset of its local header, whose own name/extra lengths give the data offset. Every
/// offset and size is checked against the file size; the CRC-32 of every member read is
/// verified. Encrypted members and methods other than 0 (stored) and 8 (deflate) are
/// rejected with an `InputError`.
public struct NpzArchive: Sendable {
    public let source: String
    /// Member names with the `.npy` suffix removed (the keyword names given to np.savez).
    public var names: [String] { entries.map(\.name) }

    struct Entry: Sendable {
        var name: String
        var method: Int
        var flags: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localOffset: Int
    }

    let data: Data
    let entries: [Entry]

    public init(path: String) throws(InputError) {
        let (data, source) = try readInputFile(path)
        try self.init(data: data, source: source)
    }

    public init(data: Data, source: String) throws(InputError) {
        self.source = source
        self.data = data
        func bad(_ p: String) -> InputError { InputError(source: source, problem: p) }
        let b = [UInt8](data)
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> Int {
            let lo = UInt64(u32(o)), hi = UInt64(u32(o + 4))
            let v = lo | hi << 32
            return v > UInt64(Int.max) ? Int.max : Int(v)
        }
        guard b.count >= 22 else { throw bad("not a .npz (zip) file: too short") }
        var eocd = -1
        var i = b.count - 22
        let stop = Swift.max(0, b.count - 22 - 65535)
        while i >= stop {
            if b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw bad("not a .npz (zip) file: no end-of-central-directory record") }
        var count = u16(eocd + 10)
        var cdSize = u32(eocd + 12)
        var cdOffset = u32(eocd + 16)
        if (count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF), eocd >= 20,
           u32(eocd - 20) == 0x0706_4B50 {
            let rec = u64(eocd - 20 + 8)
            guard rec >= 0, rec + 56 <= b.count, u32(rec) == 0x0606_4B50 else { throw bad("corrupt ZIP64 end record") }
            count = u64(rec + 32)
            cdSize = u64(rec + 40)
            cdOffset = u64(rec + 48)
        }
        guard cdOffset >= 0, cdSize >= 0, cdOffset <= b.count, cdSize <= b.count - cdOffset else {
            throw bad("corrupt zip: central directory outside the file")
        }
        var list: [Entry] = []
        var p = cdOffset
        for _ in 0..<count {
            guard p + 46 <= cdOffset + cdSize, u32(p) == 0x0201_4B50 else { throw bad("corrupt zip central directory") }
            let flags = u16(p + 8), method = u16(p + 10)
            let crc = UInt32(u32(p + 16))
            var csize = u32(p + 20), usize = u32(p + 24)
            let nlen = u16(p + 28), xlen = u16(p + 30), clen = u16(p + 32)
            var loff = u32(p + 42)
            guard p + 46 + nlen + xlen + clen <= cdOffset + cdSize else { throw bad("corrupt zip central directory") }
            let rawName = String(decoding: b[(p + 46)..<(p + 46 + nlen)], as: UTF8.self)
            // ZIP64 extra field (id 1): present values in order usize, csize, offset.
            var x = p + 46 + nlen
            let xend = x + xlen
            while x + 4 <= xend {
                let id = u16(x), len = u16(x + 2)
                if id == 1 {
                    var q = x + 4
                    if usize == 0xFFFF_FFFF, q + 8 <= x + 4 + len { usize = u64(q); q += 8 }
                    if csize == 0xFFFF_FFFF, q + 8 <= x + 4 + len { csize = u64(q); q += 8 }
                    if loff == 0xFFFF_FFFF, q + 8 <= x + 4 + len { loff = u64(q); q += 8 }
                }
                x += 4 + len
            }
            let name = rawName.hasSuffix(".npy") ? String(rawName.dropLast(4)) : rawName
            list.append(Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: csize, size: usize, localOffset: loff))
            p += 46 + nlen + xlen + clen
        }
        entries = list
    }

    /// The raw bytes of member `name` (without `.npy`), decompressed and CRC-checked.
    public func memberData(_ name: String) throws(InputError) -> Data {
        let loc = "array \"\(name)\""
        func bad(_ p: String) -> InputError { InputError(source: source, location: loc, problem: p) }
        guard let e = entries.first(where: { $0.name == name }) else {
            throw bad("missing (the archive has \(names.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        if e.flags & 1 != 0 { throw bad("encrypted zip members are not supported") }
        let b = data
        let base = b.startIndex
        func u16(_ o: Int) -> Int { Int(b[base + o]) | Int(b[base + o + 1]) << 8 }
        guard e.localOffset >= 0, e.localOffset + 30 <= b.count, u16(e.localOffset) | u16(e.localOffset + 2) << 16 == 0x0403_4B50 else {
            throw bad("corrupt zip: bad local header offset")
        }
        let start = e.localOffset + 30 + u16(e.localOffset + 26) + u16(e.localOffset + 28)
        guard e.compressedSize >= 0, e.size >= 0, start <= b.count, e.compressedSize <= b.count - start else {
            throw bad("corrupt zip: member data outside the file")
        }
        let raw = b.subdata(in: (base + start)..<(base + start + e.compressedSize))
        var out: Data
        switch e.method {
        case 0:
            guard e.compressedSize == e.size else { throw bad("corrupt zip: stored member size mismatch") }
            out = raw
        case 8:
            guard e.size <= 1 << 31 else { throw bad("compressed member too large") }
            // Deflate expands at most 1032:1, so a larger claimed size is corrupt; checked
            // before the output is allocated (a 100-byte archive claiming 2 GB allocated
            // and zeroed 2 GB: found by the npz fuzz target, out of memory).
            guard e.size <= e.compressedSize * 1032 + 1024 else {
                throw bad("corrupt zip: the member claims \(e.size) bytes from \(e.compressedSize) compressed bytes (deflate expands at most 1032:1)")
            }
            var buf = [UInt8](repeating: 0, count: e.size)
            let rc = raw.withUnsafeBytes { rp in
                buf.withUnsafeMutableBufferPointer { bp in
                    cm_inflate_raw(rp.bindMemory(to: UInt8.self).baseAddress, raw.count, bp.baseAddress, e.size)
                }
            }
            guard rc == 0 else { throw bad("corrupt deflate data (zlib error \(rc))") }
            out = Data(buf)
        default:
            throw bad("unsupported zip compression method \(e.method) (np.savez and np.savez_compressed write 0 and 8)")
        }
        let crc = out.withUnsafeBytes { cm_crc32($0.bindMemory(to: UInt8.self).baseAddress, out.count) }
        guard crc == e.crc else { throw bad("CRC-32 mismatch: the member is corrupt") }
        return out
    }

    /// Member `name` parsed as a `.npy` array.
    public func array(_ name: String) throws(InputError) -> NpyArray {
        try NpyArray(data: try memberData(name), source: "\(source): array \"\(name)\"")
    }
}
