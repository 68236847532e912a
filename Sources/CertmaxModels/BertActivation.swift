import CertmaxIO

/// The feed-forward activation of a BERT checkpoint (config.json `hidden_act`).
///
/// Supported: `gelu` (the exact erf form x Phi(x), HuggingFace's "gelu", built as the
/// graph's `Gelu` op) and `relu`. The tanh approximations ("gelu_new",
/// "gelu_pytorch_tanh") and others are rejected: building them as exact GELU would
/// verify a different function than the checkpoint computes.
public enum BertActivation: String, Sendable, CaseIterable {
    case gelu
    case relu

    /// The activation named in the config.json at `configPath` (`gelu` when the field is
    /// absent, the BERT default). Throws an `InputError` naming the file for an
    /// unsupported or malformed value.
    public static func fromConfig(path configPath: String) throws(InputError) -> BertActivation {
        let doc = try JSONDocument(path: configPath)
        guard let name = try doc.optionalString("hidden_act") else { return .gelu }
        guard let a = BertActivation(rawValue: name) else {
            throw doc.error("hidden_act", "\"\(name)\" is not supported (supported: gelu (exact erf form), relu)")
        }
        return a
    }
}
