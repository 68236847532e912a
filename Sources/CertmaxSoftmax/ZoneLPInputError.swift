/// A problem with the input of a zone or joint LP bound: which field (JSON name), where
/// in it, and what is wrong. CLI-side parsing turns it into an `InputError` with the
/// file name.
public struct SoftmaxLPInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var index: [Int]
    public var problem: String

    public init(field: String, index: [Int] = [], problem: String) {
        self.field = field
        self.index = index
        self.problem = problem
    }

    /// `field "A"[2][3]`-style location.
    public var location: String { "field \"\(field)\"" + index.map { "[\($0)]" }.joined() }
    public var description: String { "\(location): \(problem)" }
}
