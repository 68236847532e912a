import CertmaxAttention
import CertmaxGraph
import CertmaxIO

extension BertGraphBuilder {
    /// True when the checkpoint has a pooler (`pooler.dense.weight`).
    public var hasPooler: Bool { weights.resolve("pooler.dense.weight").found }
    /// True when the checkpoint has a classifier head (`classifier.weight`, as
    /// HuggingFace `BertForSequenceClassification` saves it).
    public var hasClassifier: Bool { weights.resolve("classifier.weight").found }

    /// Appends the HuggingFace `BertPooler` to `x` ([T, d]): the first ([CLS]) token's
    /// row (Gather, exact), then `pooler.dense` ([d, d]) and tanh: output [1, d].
    /// Records the stage `pooler`.
    public mutating func addPooler(input x: Int) throws(InputError) -> Int {
        let d = width(x)
        let dense = try weights.linear("pooler.dense", out: d, in: d)
        let cls = try add("pooler.cls", Gather(axis: 0, indices: [0], indicesShape: [1]), [x])
        let h = try linear(cls, dense, role: "pooler.dense")
        let y = try add("pooler.tanh", Tanh(), [h])
        recordStage("pooler", y)
        return y
    }

    /// Appends the classifier head `classifier` (weight [labels, d], bias [labels]) to
    /// the pooled output `x` ([1, d]): logits [1, labels]. Records the stage `classifier`.
    public mutating func addClassifier(input x: Int) throws(InputError) -> Int {
        let head = try weights.linear("classifier", in: width(x))
        let y = try linear(x, head, role: "classifier")
        recordStage("classifier", y)
        return y
    }
}
