import CertmaxGraph
import CertmaxIO
import CertmaxNumerics

/// Builds a `Graph` from a decoded ONNX model (`ONNXModel`, CertmaxIO).
///
/// - Opsets 9-17 of the default domain for the ops listed in `ONNXOpTable`; parameters
///   that ONNX passes as inputs in later opsets (Reshape's shape, Slice's starts/ends,
///   Unsqueeze/Squeeze axes, ReduceSum axes, Pow's exponent, Gather's indices) must be
///   constants once the shape plumbing is folded; they become op parameters.
/// - Static shapes, batch 1: a symbolic or zero dimension of a graph input is taken as 1.
/// - Initializers become constants; `Constant`, `ConstantOfShape` and every node whose
///   inputs are all constants and whose sound evaluation is exact fold at load
///   (`Graph.addNode`), so Shape/Gather/Unsqueeze/Concat chains disappear.
/// - Float32 weights are converted exactly to Double: the graph computes the model's real
///   function on the stored weights (what `unsat` is claimed about).
///
/// Errors: an `InputError` naming the model file, the node (name or first output) and
/// the op, e.g. `vit.onnx: node "/0/Conv" (Conv): auto_pad SAME_UPPER is not supported`;
/// an op outside the supported set is named as such.
public enum ONNXImporter {
    /// Reads (gzip-compressed or not), decodes and imports `path`.
    public static func load(path: String) throws(InputError) -> Graph {
        let model = try ONNXModel(path: path)
        return try graph(from: model, source: path)
    }

    /// Imports a decoded model; `source` names the file in errors.
    public static func graph(from model: ONNXModel, source: String) throws(InputError) -> Graph {
        var b = Builder(source: source, opset: model.defaultOpset)
        return try b.build(model.graph)
    }
}

extension ONNXModel {
    /// The opset version of the default ONNX domain ("" or "ai.onnx"); 1 if absent.
    var defaultOpset: Int { Int(clamping: opsetVersion() ?? 1) }
}
