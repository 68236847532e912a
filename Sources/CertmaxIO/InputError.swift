/// An error in a user-supplied input: a file that cannot be read, or content that is not
/// acceptable (malformed, NaN, lower > upper, a shape mismatch...).
///
/// `description` is the one-line message the CLI prints: it names the file, the place in
/// it (field, tensor, line) and the problem, e.g.
/// `box.json: field "lower"[3]: NaN is not allowed`.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened or read.
        case unreadable
        /// The content is invalid.
        case invalid
    }

    public var kind: Kind
    /// The file path, or `<stdin>`.
    public var source: String
    /// Where in the file: a field path, tensor name or line; nil for the whole file.
    public var location: String?
    /// What is wrong, in a few words.
    public var problem: String

    public init(_ kind: Kind = .invalid, source: String, location: String? = nil, problem: String) {
        self.kind = kind
        self.source = source
        self.location = location
        self.problem = problem
    }

    public var description: String {
        let oneLine = problem.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let location {
            let place = location.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "\(source): \(place): \(oneLine)"
        }
        return "\(source): \(oneLine)"
    }

    /// The exit code the CLI uses for this error.
    public var exitCode: CertmaxExitCode { kind == .unreadable ? .unreadableInput : .badInput }
}
