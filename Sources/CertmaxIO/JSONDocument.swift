import Foundation

/// A parsed JSON value. Numbers are kept as Double; booleans are distinct from numbers.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "unsupported JSON value")
    }

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON input document with strict, typed field access.
///
/// Every accessor throws an `InputError` that names the source file and the field path,
/// so the CLI can print one line such as `box.json: field "upper"[2]: not a finite number`.
/// Numbers must be finite (JSON has no NaN; overflowing literals such as 1e999 are
/// rejected as not finite). Parsing is strict (`StrictJSON`): RFC 8259 syntax only (no
/// trailing commas, comments, BOM or UTF-16), no duplicate keys, and no top-level field
/// set to null (omit it instead).
public struct JSONDocument: Sendable {
    public let source: String
    public let root: [String: JSONValue]

    /// Parses `data` as a JSON object.
    public init(data: Data, source: String) throws(InputError) {
        self.source = source
        try StrictJSON.check(data, source: source)
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw InputError(source: source, problem: "malformed JSON (\(Self.describe(error)))")
        }
        guard case .object(let o) = value else {
            throw InputError(source: source, problem: "expected a JSON object at the top level, found \(value.kindName)")
        }
        // An explicit null would silently mean "use the default" (issue 15): reject it.
        if let key = o.keys.sorted().first(where: { o[$0] == .null }) {
            throw InputError(source: source, location: "field \"\(key)\"", problem: "null is not allowed (omit the field to use its default)")
        }
        root = o
    }

    /// Reads and parses a file (`-` for standard input).
    public init(path: String) throws(InputError) {
        let (data, source) = try readInputFile(path)
        try self.init(data: data, source: source)
    }

    /// Builds a document over an already-parsed object (used for nested objects).
    public init(object: [String: JSONValue], source: String) {
        self.source = source
        self.root = object
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            let under = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return under ?? ctx.debugDescription
        }
        return "\(error)"
    }

    public func error(_ field: String, _ problem: String) -> InputError {
        InputError(source: source, location: "field \"\(field)\"", problem: problem)
    }

    public func has(_ field: String) -> Bool {
        if let v = root[field], v != .null { return true }
        return false
    }

    /// Fields present in the document that are not in `known` (callers may reject them
    /// to catch typos such as "lowr").
    public func unknownFields(known: Set<String>) -> [String] {
        root.keys.filter { !known.contains($0) }.sorted()
    }

    public func value(_ field: String) throws(InputError) -> JSONValue {
        guard let v = root[field], v != .null else { throw error(field, "missing") }
        return v
    }

    public func double(_ field: String) throws(InputError) -> Double {
        try Self.finite(try value(field), location: "field \"\(field)\"", source: source)
    }

    public func optionalDouble(_ field: String) throws(InputError) -> Double? {
        has(field) ? try double(field) : nil
    }

    public func string(_ field: String) throws(InputError) -> String {
        guard case .string(let s) = try value(field) else { throw error(field, "expected a string") }
        return s
    }

    public func optionalString(_ field: String) throws(InputError) -> String? {
        has(field) ? try string(field) : nil
    }

    public func bool(_ field: String) throws(InputError) -> Bool {
        guard case .bool(let b) = try value(field) else { throw error(field, "expected true or false") }
        return b
    }

    /// A non-empty array of finite numbers.
    public func doubles(_ field: String, allowEmpty: Bool = false) throws(InputError) -> [Double] {
        try Self.vector(try value(field), location: "field \"\(field)\"", source: source, allowEmpty: allowEmpty)
    }

    public func optionalDoubles(_ field: String) throws(InputError) -> [Double]? {
        has(field) ? try doubles(field) : nil
    }

    /// A non-empty rectangular array of arrays of finite numbers (rows x columns).
    public func matrix(_ field: String) throws(InputError) -> [[Double]] {
        guard case .array(let rows) = try value(field) else { throw error(field, "expected an array of arrays of numbers") }
        if rows.isEmpty { throw error(field, "is empty") }
        var out: [[Double]] = []
        out.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            let row = try Self.vector(r, location: "field \"\(field)\"[\(i)]", source: source, allowEmpty: false)
            if let first = out.first, first.count != row.count {
                throw error(field, "row \(i) has \(row.count) entries, row 0 has \(first.count)")
            }
            out.append(row)
        }
        return out
    }

    public func optionalMatrix(_ field: String) throws(InputError) -> [[Double]]? {
        has(field) ? try matrix(field) : nil
    }

    public func object(_ field: String) throws(InputError) -> JSONDocument {
        guard case .object(let o) = try value(field) else { throw error(field, "expected an object") }
        return JSONDocument(object: o, source: source)
    }

    static func finite(_ v: JSONValue, location: String, source: String) throws(InputError) -> Double {
        guard case .number(let d) = v else {
            throw InputError(source: source, location: location, problem: "expected a number, found \(v.kindName)")
        }
        guard d.isFinite else { throw InputError(source: source, location: location, problem: "not a finite number") }
        return d
    }

    static func vector(_ v: JSONValue, location loc: String, source: String, allowEmpty: Bool) throws(InputError) -> [Double] {
        guard case .array(let items) = v else {
            throw InputError(source: source, location: loc, problem: "expected an array of numbers, found \(v.kindName)")
        }
        if items.isEmpty && !allowEmpty { throw InputError(source: source, location: loc, problem: "is empty") }
        var out = [Double]()
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            out.append(try finite(item, location: "\(loc)[\(i)]", source: source))
        }
        return out
    }
}
