import CertmaxIO
import Foundation

/// A minimal reader of safetensors tensors for the verifier's layer loading (F64, F32,
/// F16, BF16; little-endian). The model-input module's `SafetensorsFile` is the full
/// reader (memory-mapped, overlap checks); this one validates what loading a layer needs:
/// header length and JSON, dtype, shape and offsets inside the file, and the byte size
/// matching the shape. Every error is a one-line `InputError` naming the file and tensor.
struct LayerWeightsReader {
    let path: String
    let data: Data
    let headerEnd: Int
    let entries: [String: (dtype: String, shape: [Int], begin: Int, end: Int)]

    init(path: String) throws(InputError) {
        let (d, source) = try readInputFile(path)
        self.path = source
        data = d
        guard d.count >= 8 else { throw InputError(source: source, problem: "not a safetensors file (shorter than 8 bytes)") }
        var n: UInt64 = 0
        for b in (0..<8).reversed() { n = n << 8 | UInt64(d[d.startIndex + b]) }
        guard n >= 2, n <= UInt64(d.count - 8) else {
            throw InputError(source: source, location: "header", problem: "header length \(n) does not fit in the file (\(d.count) bytes)")
        }
        headerEnd = 8 + Int(n)
        let header = d.subdata(in: (d.startIndex + 8)..<(d.startIndex + headerEnd))
        guard let obj = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw InputError(source: source, location: "header", problem: "not a JSON object")
        }
        var e: [String: (String, [Int], Int, Int)] = [:]
        let dataSize = d.count - headerEnd
        for (name, value) in obj where name != "__metadata__" {
            guard let t = value as? [String: Any], let dtype = t["dtype"] as? String,
                  let shape = t["shape"] as? [Int], let offs = t["data_offsets"] as? [Int], offs.count == 2 else {
                throw InputError(source: source, location: "tensor \"\(name)\"", problem: "header entry needs dtype, shape and data_offsets")
            }
            guard let size = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2][dtype] else {
                throw InputError(source: source, location: "tensor \"\(name)\"", problem: "unsupported dtype \(dtype)")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offs[0] >= 0, offs[0] <= offs[1], offs[1] <= dataSize else {
                throw InputError(source: source, location: "tensor \"\(name)\"", problem: "data_offsets \(offs) outside the data section (\(dataSize) bytes)")
            }
            let count = shape.reduce(1, *)
            guard offs[1] - offs[0] == count * size else {
                throw InputError(source: source, location: "tensor \"\(name)\"", problem: "shape \(shape) needs \(count * size) bytes, offsets give \(offs[1] - offs[0])")
            }
            e[name] = (dtype, shape, offs[0], offs[1])
        }
        entries = e
    }

    var tensorNames: [String] { entries.keys.sorted() }

    /// The tensor's shape and values as Doubles (exact conversion from every dtype).
    func tensor(_ name: String) throws(InputError) -> (shape: [Int], values: [Double]) {
        guard let t = entries[name] else {
            throw InputError(source: path, location: "tensor \"\(name)\"", problem: "missing")
        }
        let base = data.startIndex + headerEnd + t.begin
        let bytes = data.subdata(in: base..<(data.startIndex + headerEnd + t.end))
        var out = [Double]()
        let count = t.shape.reduce(1, *)
        out.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                switch t.dtype {
                case "F64": out.append(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                case "F32": out.append(Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))))
                case "F16": out.append(Self.half(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                default: out.append(Double(Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)))
                }
            }
        }
        if let bad = out.firstIndex(where: { !$0.isFinite }) {
            throw InputError(source: path, location: "tensor \"\(name)\"[\(bad)]", problem: "not a finite number")
        }
        return (t.shape, out)
    }

    static func half(_ h: UInt16) -> Double {
        let sign: Double = (h & 0x8000) != 0 ? -1 : 1
        let e = Int((h >> 10) & 0x1F), f = Double(h & 0x3FF)
        if e == 0 { return sign * f * 0x1p-24 }
        if e == 31 { return f == 0 ? sign * .infinity : .nan }
        return sign * (1 + f / 1024) * Double(sign: .plus, exponent: e - 15, significand: 1)
    }
}
