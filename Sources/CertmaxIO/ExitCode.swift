/// The exit codes of the `certmax` tool. They are part of the command-line contract:
/// scripts and CI tell a verdict from an error by them.
public enum CertmaxExitCode: Int32, Sendable, CaseIterable {
    /// Success; for `verify`, the property is verified.
    case success = 0
    /// `verify`: the property is violated (a counterexample was found and re-checked).
    case violated = 10
    /// `verify`: neither verified nor violated within the method's power and budget.
    case unknown = 11
    /// `regress`: some bound got looser than its baseline beyond the tolerance.
    case regression = 12
    /// `regress` or a self-check: a soundness check failed (a bound excludes a value it
    /// must contain). Never expected; report it as a bug.
    case soundnessFailure = 13
    /// Command-line usage error (unknown flag, bad option value). ArgumentParser's own code.
    case usage = 64
    /// The input was read but its content is invalid: malformed JSON/safetensors/spec,
    /// NaN or infinite values, lower > upper, shape mismatch, empty vectors.
    case badInput = 65
    /// An input file could not be opened or read.
    case unreadableInput = 66
    /// The LP solver or another internal component failed.
    case internalFailure = 70
}
