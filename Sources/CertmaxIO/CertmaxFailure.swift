/// An internal failure that is not the user's input's fault (e.g. the LP solver failed
/// and no fallback applies). The CLI maps it to exit code 70.
public struct CertmaxFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
