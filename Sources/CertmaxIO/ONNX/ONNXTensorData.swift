import Foundation

/// Turns the fields of one `TensorProto` into an `ONNXTensor`: checks the dims and the
/// data type, picks the one data source (raw_data, the typed field, or external data),
/// checks the element count and converts the elements.
///
/// Rules:
/// - Supported types: FLOAT, DOUBLE, FLOAT16, BFLOAT16 (to Double, exactly), INT8, UINT8,
///   INT16, UINT16, INT32, UINT32, INT64, UINT64 (<= Int64.max), BOOL (0 or 1) (to
///   Int64), STRING (string_data only). Others (complex, 8/4/2-bit types) are rejected.
/// - Typed fields: float_data for FLOAT; double_data for DOUBLE; int64_data for INT64;
///   uint64_data for UINT32/UINT64; int32_data for INT32, INT16, INT8, UINT16, UINT8,
///   BOOL and the bit patterns of FLOAT16/BFLOAT16. Each value must be in its type's range.
///   A typed field that does not belong to the data type is an error.
/// - raw_data: exactly count * itemsize bytes, little-endian.
/// - No data at all is accepted only for an empty tensor (a zero dim).
struct ONNXTensorData: Sendable {
    let source: String
    /// Where the tensor is, e.g. `graph.initializer[3] "w"`.
    let location: String
    let externalDataDirectory: String?

    func fail(_ problem: String, _ kind: InputError.Kind = .invalid) -> InputError {
        InputError(kind, source: source, location: location, problem: problem)
    }

    func materialise(_ t: ONNXTensorFields, bytes: [UInt8]) throws(InputError) -> ONNXTensor {
        let type = ONNXDataType(rawValue: t.dataType)
        guard type != .undefined else { throw fail("data_type is not set (UNDEFINED)") }
        guard type.isFloatingPoint || type.isInteger || type == .string else {
            throw fail("data type \(type) (\(type.rawValue)) is not supported")
        }
        guard !t.hasSegment else { throw fail("segmented tensors (field segment) are not supported") }
        // Dims and element count.
        var dims: [Int] = []
        dims.reserveCapacity(t.dims.count)
        var count = 1
        var overflow = false
        for (k, raw) in t.dims.enumerated() {
            let d = Int64(bitPattern: raw)
            guard d >= 0 else { throw fail("dims[\(k)] = \(d) is negative") }
            dims.append(Int(d))
            let (p, o) = count.multipliedReportingOverflow(by: Int(d))
            overflow = overflow || o
            count = p
        }
        // A zero dim makes the tensor empty even if another dim overflowed the product.
        if dims.contains(0) { count = 0; overflow = false }
        guard !overflow else { throw fail("dims \(dims) have an element count that overflows") }
        let shapeText = "dims \(dims) \(type)"

        // The data sources present.
        let typed: [(String, Int, Bool)] = [
            ("float_data", t.floatData.count, type == .float),
            ("int32_data", t.int32Data.count, [.int32, .int16, .int8, .uint16, .uint8, .bool, .float16, .bfloat16].contains(type)),
            ("string_data", t.stringData.count, type == .string),
            ("int64_data", t.int64Data.count, type == .int64),
            ("double_data", t.doubleData.count, type == .double),
            ("uint64_data", t.uint64Data.count, type == .uint32 || type == .uint64),
        ]
        for (field, n, allowed) in typed where n > 0 && !allowed {
            throw fail("\(field) is present but the data type is \(type)")
        }
        let typedCount = typed.first { $0.1 > 0 }?.1
        switch t.dataLocation {
        case 0:
            guard t.externalData.isEmpty else { throw fail("external_data entries are given but data_location is not EXTERNAL") }
        case 1:
            guard t.rawData == nil, typedCount == nil else { throw fail("data_location is EXTERNAL but the tensor also has data in the file") }
            guard type != .string else { throw fail("STRING tensors must use string_data, not external data") }
            let (expectedBytes, overflow) = count.multipliedReportingOverflow(by: type.rawByteWidth ?? 1)
            guard !overflow else { throw fail("external data would need an overflowing number of bytes for \(shapeText)") }
            let external = try readExternal(t.externalData, expectedBytes: expectedBytes, shapeText: shapeText)
            return ONNXTensor(name: t.name, dataType: type, dims: dims,
                              values: try decodeRaw(external, 0..<external.count, type: type, count: count, shapeText: shapeText, field: "external data"))
        default:
            throw fail("data_location = \(t.dataLocation) is unknown (0 DEFAULT, 1 EXTERNAL)")
        }
        if let raw = t.rawData {
            guard typedCount == nil else { throw fail("both raw_data and a typed data field are present") }
            return ONNXTensor(name: t.name, dataType: type, dims: dims,
                              values: try decodeRaw(bytes, raw, type: type, count: count, shapeText: shapeText, field: "raw_data"))
        }
        let n = typedCount ?? 0
        guard n == count else {
            if typedCount == nil { throw fail("has no data, expected \(count) elements for \(shapeText)") }
            let field = typed.first { $0.1 > 0 }?.0 ?? ""
            throw fail("\(field) has \(n) elements, expected \(count) for \(shapeText)")
        }
        return ONNXTensor(name: t.name, dataType: type, dims: dims, values: try decodeTyped(t, type: type))
    }

    // MARK: typed fields

    private func decodeTyped(_ t: ONNXTensorFields, type: ONNXDataType) throws(InputError) -> ONNXTensorValues {
        switch type {
        case .float: return .floating(t.floatData.map { Double(Float(bitPattern: $0)) })
        case .double: return .floating(t.doubleData.map { Double(bitPattern: $0) })
        case .string: return .strings(t.stringData)
        case .int64: return .integer(t.int64Data.map { Int64(bitPattern: $0) })
        case .uint32, .uint64:
            let limit: UInt64 = type == .uint32 ? UInt64(UInt32.max) : UInt64(Int64.max)
            var out = [Int64]()
            out.reserveCapacity(t.uint64Data.count)
            for (k, v) in t.uint64Data.enumerated() {
                guard v <= limit else { throw fail("uint64_data[\(k)] = \(v) is out of range for \(type)\(type == .uint64 ? " as supported (<= Int64.max)" : "")") }
                out.append(Int64(v))
            }
            return .integer(out)
        case .float16, .bfloat16:
            var out = [Double]()
            out.reserveCapacity(t.int32Data.count)
            for (k, v) in t.int32Data.enumerated() {
                guard v <= 0xFFFF else { throw fail("int32_data[\(k)] = \(Int64(bitPattern: v)) is not a 16-bit pattern for \(type)") }
                out.append(type == .float16 ? SafetensorsFile.halfToDouble(UInt16(v)) : Double(Float(bitPattern: UInt32(v) << 16)))
            }
            return .floating(out)
        default:
            let range: ClosedRange<Int64>
            switch type {
            case .int8: range = -128...127
            case .uint8: range = 0...255
            case .int16: range = -32768...32767
            case .uint16: range = 0...65535
            case .bool: range = 0...1
            default: range = Int64(Int32.min)...Int64(Int32.max)
            }
            var out = [Int64]()
            out.reserveCapacity(t.int32Data.count)
            for (k, raw) in t.int32Data.enumerated() {
                let v = Int64(bitPattern: raw)
                guard range.contains(v) else { throw fail("int32_data[\(k)] = \(v) is out of range for \(type)") }
                out.append(v)
            }
            return .integer(out)
        }
    }

    // MARK: raw data

    /// Decodes `count` little-endian elements of `type` from `bytes[range]`.
    private func decodeRaw(_ bytes: [UInt8], _ range: Range<Int>, type: ONNXDataType, count: Int,
                           shapeText: String, field: String) throws(InputError) -> ONNXTensorValues {
        guard type != .string else { throw fail("STRING tensors must use string_data, not \(field)") }
        let width = type.rawByteWidth ?? 1
        let (expected, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, expected == range.count else {
            throw fail("\(field) has \(range.count) bytes, expected \(overflow ? "an overflowing number" : String(expected)) for \(shapeText)")
        }
        let (values, bad) = bytes.withUnsafeBytes { (whole: UnsafeRawBufferPointer) -> (ONNXTensorValues, Int?) in
            let raw = UnsafeRawBufferPointer(rebasing: whole[range])
            if type.isFloatingPoint {
                var out = [Double](repeating: 0, count: count)
                out.withUnsafeMutableBufferPointer { o in
                    switch type {
                    case .float:
                        for k in 0..<count { o[k] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))) }
                    case .double:
                        for k in 0..<count { o[k] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))) }
                    case .float16:
                        for k in 0..<count { o[k] = SafetensorsFile.halfToDouble(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))) }
                    default:  // bfloat16
                        for k in 0..<count { o[k] = Double(Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))) << 16)) }
                    }
                }
                return (.floating(out), nil)
            }
            var out = [Int64](repeating: 0, count: count)
            var bad: Int? = nil
            out.withUnsafeMutableBufferPointer { o in
                for k in 0..<count {
                    switch type {
                    case .int8: o[k] = Int64(Int8(bitPattern: raw[k]))
                    case .uint8: o[k] = Int64(raw[k])
                    case .bool:
                        o[k] = Int64(raw[k])
                        if raw[k] > 1, bad == nil { bad = k }
                    case .int16: o[k] = Int64(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: Int16.self)))
                    case .uint16: o[k] = Int64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self)))
                    case .int32: o[k] = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: Int32.self)))
                    case .uint32: o[k] = Int64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
                    case .int64: o[k] = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: Int64.self))
                    default:  // uint64
                        let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
                        if v > UInt64(Int64.max), bad == nil { bad = k }
                        o[k] = Int64(bitPattern: v)
                    }
                }
            }
            return (.integer(out), bad)
        }
        if let bad, case .integer(let out) = values {
            throw fail(type == .bool ? "\(field) element \(bad) is \(out[bad]), not a BOOL (0 or 1)"
                                     : "\(field) element \(bad) = \(UInt64(bitPattern: out[bad])) exceeds Int64.max (UINT64 values above it are not supported)")
        }
        return values
    }

    // MARK: external data

    /// Reads the bytes an `external_data` description points to, after checking that they
    /// are inside the file and exactly `expectedBytes` long (so a wrong length never makes
    /// it read a large file).
    private func readExternal(_ entries: [ONNXStringPair], expectedBytes: Int, shapeText: String) throws(InputError) -> [UInt8] {
        var fields: [String: String] = [:]
        for e in entries {
            guard fields[e.key] == nil else { throw fail("external_data key \(quotedName(e.key)) appears more than once") }
            fields[e.key] = e.value
        }
        guard let location = fields["location"], !location.isEmpty else {
            throw fail("data_location is EXTERNAL but external_data has no \"location\"")
        }
        guard !location.hasPrefix("/") else { throw fail("external data location \(quotedName(location)) is an absolute path; it must be relative to the model's folder") }
        guard !location.split(separator: "/").contains("..") else {
            throw fail("external data location \(quotedName(location)) leaves the model's folder (\"..\")")
        }
        guard !location.contains("\0") else { throw fail("external data location contains a NUL byte") }
        guard let directory = externalDataDirectory else {
            throw fail("external data \(quotedName(location)) cannot be resolved: the model was not read from a file")
        }
        func number(_ key: String) throws(InputError) -> Int? {
            guard let text = fields[key] else { return nil }
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let v = Int(text) else {
                throw fail("external_data \"\(key)\" = \(quotedName(text)) is not a non-negative integer")
            }
            return v
        }
        let offset = try number("offset") ?? 0
        let length = try number("length")
        let path = directory.hasSuffix("/") ? directory + location : directory + "/" + location
        let shownPath = "external data file \(quotedName(location))"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("\(shownPath): no such file (looked for \(quotedName(path, limit: 300)))", .unreadable)
        }
        guard !isDirectory.boolValue else { throw fail("\(shownPath) is a directory", .unreadable) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw fail("\(shownPath) cannot be opened", .unreadable) }
        defer { try? handle.close() }
        let end: UInt64
        do {
            end = try handle.seekToEnd()
        } catch {
            throw fail("\(shownPath) cannot be read", .unreadable)
        }
        guard let size = Int(exactly: end) else { throw fail("\(shownPath) is too large", .unreadable) }
        guard offset <= size else { throw fail("\(shownPath): offset \(offset) is beyond its end (\(size) bytes)") }
        let count = length ?? (size - offset)
        guard count <= size - offset else {
            throw fail("\(shownPath): offset \(offset) + length \(count) is beyond its end (\(size) bytes)")
        }
        guard count == expectedBytes else { throw fail("external data has \(count) bytes, expected \(expectedBytes) for \(shapeText)") }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw fail("\(shownPath): read \(data.count) of \(count) bytes", .unreadable) }
            return [UInt8](data)
        } catch let e as InputError {
            throw e
        } catch {
            throw fail("\(shownPath) cannot be read (\(error.localizedDescription))", .unreadable)
        }
    }
}
