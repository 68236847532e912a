import CertmaxIO

/// `--shard I/N`: the instances at positions `k` (0-based, in CSV order) with
/// `k % N == I`, so N machines can split one CSV without coordination (round robin
/// spreads the models and the slow instances evenly).
///
/// Edge Cases: `I/N` with `0 <= I < N`, N >= 1, else `InputError` naming `--shard`
/// (Slurm arrays: use `--array=0-(N-1)` and `--shard $SLURM_ARRAY_TASK_ID/N`).
public struct BatchShard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws(InputError) {
        guard count >= 1, index >= 0, index < count else {
            throw InputError(source: "--shard", problem: "\(index)/\(count): expected I/N with 0 <= I < N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw InputError(source: "--shard", problem: "\"\(text.prefix(30))\": expected I/N, e.g. 0/4")
        }
        try self.init(index: i, count: n)
    }

    /// Whether the instance at 0-based position `k` belongs to this shard.
    public func contains(position k: Int) -> Bool { k % count == index }
}
