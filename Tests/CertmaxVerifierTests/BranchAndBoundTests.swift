import CertmaxBounds
import CertmaxGraph
import CertmaxNumerics
import CertmaxVerifier
import Foundation
import Testing
import TestSupport

/// Branch and bound over input splits on small graphs built in code, with answers known
/// by construction (a Lipschitz argument over a dense grid for `unsat`, a point for
/// `sat`), and checks of the search's contracts (never `proved` with a violating point,
/// deadline, memory cap, pluggable bounder, excluded disjuncts not re-bounded).
@Suite("Branch and bound")
struct BranchAndBoundTests {
    static func deadline(_ seconds: Double) -> ContinuousClock.Instant { .now + .milliseconds(Int64(seconds * 1000)) }

    /// Plain c . y(x) for an input vector.
    static func objective(_ g: Graph, _ x: [Double], _ c: [Double]) -> Double {
        let y = g.uncheckedForward([Tensor(uncheckedShape: g.values[g.inputs[0]].shape, data: x)])[0].data
        return zip(c, y).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// min and max of c . y over a (steps+1)^2 grid of the free elements (i, j) of the box
    /// (every other element at its lower bound), and a minimiser.
    static func grid(_ g: Graph, lower: [Double], upper: [Double], free: (Int, Int), steps: Int,
                     c: [Double]) -> (min: Double, max: Double, argmin: [Double]) {
        var lo = Double.infinity, hi = -Double.infinity, arg = lower
        var x = lower
        for a in 0...steps {
            x[free.0] = lower[free.0] + (upper[free.0] - lower[free.0]) * Double(a) / Double(steps)
            for b in 0...steps {
                x[free.1] = lower[free.1] + (upper[free.1] - lower[free.1]) * Double(b) / Double(steps)
                let v = objective(g, x, c)
                if v < lo { lo = v; arg = x }
                hi = Swift.max(hi, v)
            }
        }
        return (lo, hi, arg)
    }

    /// Lipschitz constant in the L-inf norm of c . y for `GraphFixtures.mlp` with ReLU:
    /// sum_i sum_h |W1[i, h]| |(W2 c)_h| (ReLU slopes are in [0, 1]).
    static func mlpLipschitz(_ g: Graph, c: [Double]) -> Double {
        let w1 = g.values[g.value(named: "w1")!].constant!, w2 = g.values[g.value(named: "w2")!].constant!
        let (n, h, m) = (w1.shape[0], w1.shape[1], w2.shape[1])
        var total = 0.0
        for k in 0..<h {
            var wc = 0.0
            for o in 0..<m { wc += w2.data[k * m + o] * c[o] }
            for i in 0..<n { total += abs(w1.data[i * h + k]) * abs(wc) }
        }
        return total
    }

    static func unsafeSet(_ c: [Double], _ b: Double) -> LinearDisjunction {
        LinearDisjunction(disjuncts: [[.init(c: c, bound: b)]])
    }

    static func search(_ g: Graph, _ lower: [Double], _ upper: [Double], _ unsafe: LinearDisjunction,
                       seconds: Double, threads: Int = 1, configure: (inout BranchAndBound.Options) -> Void = { _ in })
        -> BranchAndBound.Result {
        var options = BranchAndBound.Options()
        options.threads = threads
        configure(&options)
        return BranchAndBound.uncheckedSearch(g, lower: lower, upper: upper, unsafe: unsafe, bounder: .box(),
                                     deadline: deadline(seconds), options: options)
    }

    /// ReLU MLPs on [-1, 1]^2 with the unsafe set c . y <= b, b below the true minimum by a
    /// margin proved with a Lipschitz bound over a 201 x 201 grid: the property holds, the
    /// bounds on the whole box cannot prove it, branch and bound (1 and 2 threads) does.
    @Test func provesReluPropertiesTheRootCannot() {
        var rootFailures = 0
        for seed: UInt64 in 1...6 {
            let g = GraphFixtures.mlp(n: 2, hidden: 16, outputs: 3, relu: true, seed: seed)
            let lower = [-1.0, -1.0], upper = [1.0, 1.0]
            let c = [1.0, -1.0, 0.0]
            let steps = 200
            let gr = Self.grid(g, lower: lower, upper: upper, free: (0, 1), steps: steps, c: c)
            let h = 2.0 / Double(steps)
            // Every x is within h/2 (per element) of a grid point: c . y(x) >= min - L h / 2.
            let b = gr.min - Self.mlpLipschitz(g, c: c) * h / 2 - 1e-3
            let unsafe = Self.unsafeSet(c, b)
            let root = GraphPropertyVerifier.uncheckedDisjunctMargins(g, lower: Tensor(uncheckedShape: [1, 2], data: lower),
                                                             upper: Tensor(uncheckedShape: [1, 2], data: upper), unsafe: unsafe)
            if root[0] <= 0 { rootFailures += 1 }
            for threads in [1, 2] {
                let r = Self.search(g, lower, upper, unsafe, seconds: 20, threads: threads)
                #expect(r.outcome == .proved, "seed \(seed), threads \(threads): b = \(b), root margin \(root[0]): \(r.outcome) \(r.statistics)")
                #expect(r.statistics.provedFraction == 1, "seed \(seed)")
                if root[0] <= 0 { #expect(r.statistics.nodesBounded > 2, "seed \(seed): \(r.statistics)") }
            }
        }
        #expect(rootFailures >= 4, "the instances should need splitting: only \(rootFailures) of 6 did")
    }

    /// An attention block (Q K^T, softmax, times V, residual, mean, head) over 2 free input
    /// elements: b is 3% of the objective's range below the minimum over a 151 x 151 grid
    /// (brute-force evidence that the property holds); root bounds fail, the search proves.
    @Test func provesAttentionPropertyTheRootCannot() {
        var proved = 0
        for seed: UInt64 in [3, 4, 5] {
            let g = GraphFixtures.attention(tokens: 3, dim: 4, classes: 3, seed: seed)
            var rng = SeededGenerator(seed: seed)
            var lower = (0..<12).map { _ in Double.random(in: -1...1, using: &rng) }
            var upper = lower
            let free = (1, 6)
            lower[free.0] -= 1; upper[free.0] += 1
            lower[free.1] -= 1; upper[free.1] += 1
            let c = [1.0, -1.0, 0.0]
            let gr = Self.grid(g, lower: lower, upper: upper, free: free, steps: 150, c: c)
            let b = gr.min - 0.03 * (gr.max - gr.min)
            let unsafe = Self.unsafeSet(c, b)
            let root = GraphPropertyVerifier.uncheckedDisjunctMargins(g, lower: Tensor(uncheckedShape: [3, 4], data: lower),
                                                             upper: Tensor(uncheckedShape: [3, 4], data: upper), unsafe: unsafe)
            #expect(root[0] <= 0, "seed \(seed): the root already proves it (margin \(root[0]))")
            let r = Self.search(g, lower, upper, unsafe, seconds: 20, threads: 2)
            #expect(r.outcome == .proved, "seed \(seed): b = \(b), grid min \(gr.min): \(r.outcome) \(r.statistics)")
            // Only the two free elements can be split (the others have width 0).
            if r.outcome == .proved { proved += 1 }
        }
        #expect(proved == 3)
    }

    /// `sat` by construction: b just above the grid minimum of a ReLU MLP or an attention
    /// block (two free input elements), so a point violates; with no first attack, the
    /// attacks inside the search find one, and the point is in the box and violates in the
    /// plain forward pass too.
    @Test func findsCounterexamplesInsideTheSearch() {
        for seed: UInt64 in 11...18 {
            let attention = seed > 15
            let g = attention ? GraphFixtures.attention(tokens: 3, dim: 4, classes: 3, seed: seed)
                              : GraphFixtures.mlp(n: 2, hidden: 16, outputs: 3, relu: true, seed: seed)
            var rng = SeededGenerator(seed: seed)
            var lower = [-1.0, -1.0], upper = [1.0, 1.0], free = (0, 1)
            if attention {
                lower = (0..<12).map { _ in Double.random(in: -1...1, using: &rng) }
                upper = lower
                free = (2, 9)
                lower[2] -= 1; upper[2] += 1; lower[9] -= 1; upper[9] += 1
            }
            let c = [0.0, 1.0, -1.0]
            let gr = Self.grid(g, lower: lower, upper: upper, free: free, steps: attention ? 60 : 100, c: c)
            let b = gr.min + 0.02 * (gr.max - gr.min)
            var options = GraphPropertyVerifier.Options()
            options.firstAttackShare = 0
            options.search.threads = 2
            let report = GraphPropertyVerifier.uncheckedRun(g, lower: lower, upper: upper, unsafe: Self.unsafeSet(c, b),
                                                   deadline: Self.deadline(20), options: options)
            guard case .violated(let x, let y) = report.outcome else {
                Issue.record("seed \(seed): b = \(b), grid argmin \(gr.argmin): \(report.outcome)")
                continue
            }
            #expect(x.indices.allSatisfy { lower[$0] <= x[$0] && x[$0] <= upper[$0] }, "seed \(seed): \(x)")
            #expect(zip(c, y).reduce(0) { $0 + $1.0 * $1.1 } <= b, "seed \(seed): \(x) -> \(y)")
            #expect(report.search != nil && report.search!.attacks > 0, "seed \(seed): found outside the search")
            #expect(report.counterexampleEnclosure.map { LinearDisjunction(disjuncts: Self.unsafeSet(c, b).disjuncts).certainlyReached(by: $0) } == true)
        }
    }

    /// Never `proved` when a violating point exists: seeded random ReLU MLPs and attention
    /// blocks, b at a low quantile of c . y over dense samples of the box (so sampled points
    /// violate it by a clear margin); no attacks, so only the bounds decide.
    @Test func neverProvesAReachableSet() {
        for seed: UInt64 in 100...115 {
            var rng = SeededGenerator(seed: seed)
            let attention = seed % 2 == 0
            let g = attention ? GraphFixtures.attention(tokens: 2, dim: 3, classes: 3, seed: seed)
                              : GraphFixtures.mlp(n: 3, hidden: 10, outputs: 3, relu: true, seed: seed)
            let n = g.values[g.inputs[0]].shape.reduce(1, *)
            let lower = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let upper = lower.map { $0 + Double.random(in: 0.05...0.8, using: &rng) }
            let c = [Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng)]
            var values: [(Double, [Double])] = []
            for _ in 0..<2000 {
                let x = (0..<n).map { Double.random(in: lower[$0]...upper[$0], using: &rng) }
                values.append((Self.objective(g, x, c), x))
            }
            values.sort { $0.0 < $1.0 }
            // 1% of the samples lie at least 1e-6 below b.
            let b = values[20].0 + 1e-6
            let witness = values[0].1
            var options = BranchAndBound.Options()
            options.threads = 2
            let r = BranchAndBound.uncheckedSearch(g, lower: lower, upper: upper, unsafe: Self.unsafeSet(c, b), bounder: .box(),
                                          deadline: Self.deadline(0.4), options: options)
            #expect(r.outcome != .proved, "seed \(seed): proved, but x = \(witness) gives c.y = \(values[0].0) <= b = \(b)")
        }
    }

    /// The deadline is honoured on a search that cannot end otherwise (a reachable set,
    /// no attacks): it stops within a round of it, undecided.
    @Test func honoursTheDeadline() {
        let g = GraphFixtures.mlp(n: 4, hidden: 12, outputs: 3, relu: true, seed: 7)
        let lower = [Double](repeating: -1, count: 4), upper = [Double](repeating: 1, count: 4)
        let centre = Self.objective(g, [0, 0, 0, 0], [1, -1, 0])
        let start = ContinuousClock.now
        let r = Self.search(g, lower, upper, Self.unsafeSet([1, -1, 0], centre + 1e-3), seconds: 0.25, threads: 2)
        let elapsed = secondsSince(start)
        #expect(r.outcome == .undecided(.deadline), "\(r.outcome)")
        #expect(elapsed < 0.25 + 1.0, "took \(elapsed) s for a 0.25 s deadline")
        #expect(r.statistics.rounds > 0)
    }

    /// The memory cap: with room for a few nodes only, the search stops with `.memory`
    /// and its queue never held more bytes than the cap.
    @Test func stopsAtTheMemoryCap() {
        let g = GraphFixtures.mlp(n: 4, hidden: 12, outputs: 3, relu: true, seed: 8)
        let lower = [Double](repeating: -1, count: 4), upper = [Double](repeating: 1, count: 4)
        let centre = Self.objective(g, [0, 0, 0, 0], [1, -1, 0])
        let cap = 2000
        let r = Self.search(g, lower, upper, Self.unsafeSet([1, -1, 0], centre + 1e-3), seconds: 10) { $0.memoryLimitBytes = cap }
        #expect(r.outcome == .undecided(.memory), "\(r.outcome)")
        #expect(r.statistics.peakQueueBytes <= cap && r.statistics.maxQueue > 1, "\(r.statistics)")
    }

    /// A custom bounder plugs in: its split scores steer the split (only element 1 is ever
    /// split, so every box it sees keeps element 0's full range), a disjunct it excludes on
    /// the root is never bounded again, and the search ends with its verdict.
    @Test func usesAPluggedBounderAndItsScores() {
        let g = GraphFixtures.mlp(n: 2, hidden: 8, outputs: 3, relu: true, seed: 21)
        let lower = [-1.0, -1.0], upper = [1.0, 1.0]
        let c = [1.0, -1.0, 0.0]
        let gr = Self.grid(g, lower: lower, upper: upper, free: (0, 1), steps: 100, c: c)
        // Disjunct 0: unreachable by far (excluded at the root); disjunct 1: needs splits
        // only if the root fails, and may be reachable: either way the log says what ran.
        let unsafe = LinearDisjunction(disjuncts: [[.init(c: c, bound: gr.min - 1e6)], [.init(c: c, bound: gr.min + 0.5 * (gr.max - gr.min))]])
        let log = BoundLog()
        let box = SubproblemBounder.box()
        let bounder = SubproblemBounder(name: "logged") { graph, lo, hi, u in
            var r = box.bound(graph, lo, hi, u)
            log.add(lo: lo.data, hi: hi.data, disjuncts: u.disjuncts.count)
            r.splitScores = [0, 1]
            return r
        }
        let r = BranchAndBound.uncheckedSearch(g, lower: lower, upper: upper, unsafe: unsafe, bounder: bounder,
                                      deadline: Self.deadline(0.5), options: { var o = BranchAndBound.Options(); o.threads = 1; return o }())
        #expect(r.outcome == .undecided(.unsplittable) || r.outcome == .undecided(.deadline), "\(r.outcome)")
        let calls = log.all
        #expect(calls.count > 3)
        #expect(calls.first!.disjuncts == 2 && calls.dropFirst().allSatisfy { $0.disjuncts == 1 }, "\(calls.map(\.disjuncts))")
        #expect(calls.allSatisfy { $0.lo[0] == -1 && $0.hi[0] == 1 }, "element 0 was split")
    }

    /// Children are bounded with their parent's value boxes (`boundWithin`): the known
    /// input box handed over is the parent's, which strictly contains the child's.
    @Test func childrenReuseTheirParentsBoxes() throws {
        let g = GraphFixtures.mlp(n: 2, hidden: 8, outputs: 3, relu: true, seed: 21)
        let c = [1.0, -1.0, 0.0]
        let gr = Self.grid(g, lower: [-1, -1], upper: [1, 1], free: (0, 1), steps: 100, c: c)
        let unsafe = LinearDisjunction(disjuncts: [[.init(c: c, bound: gr.min + 0.5 * (gr.max - gr.min))]])
        let log = BoundLog(), within = BoundLog()
        let symbolic = SubproblemBounder.symbolic()
        let bounder = SubproblemBounder(name: "logged", bound: { graph, lo, hi, u in
            log.add(lo: lo.data, hi: hi.data, disjuncts: u.disjuncts.count)
            return symbolic.bound(graph, lo, hi, u)
        }, boundWithin: { graph, lo, hi, u, known in
            let parent = known[graph.inputs[0]].data
            let inside = zip(parent, zip(lo.data, hi.data)).allSatisfy { p, b in p.lower <= b.0 && b.1 <= p.upper }
            let larger = zip(parent, zip(lo.data, hi.data)).contains { p, b in p.lower < b.0 || b.1 < p.upper }
            within.add(lo: inside && larger ? [1] : [0], hi: [], disjuncts: known.count)
            return symbolic.boundWithin!(graph, lo, hi, u, known)
        })
        // Input splits only (a Relu split's children have the parent's input box).
        let r = try BranchAndBound.search(g, lower: [-1, -1], upper: [1, 1], unsafe: unsafe, bounder: bounder, deadline: Self.deadline(0.5),
                                          options: { var o = BranchAndBound.Options(); o.threads = 1; o.valueSplits = false; return o }())
        #expect(r.outcome != .proved, "the unsafe set is reached on the grid")
        #expect(log.all.count == 1, "only the root is bounded without a parent: \(log.all.count)")
        let calls = within.all
        #expect(calls.count >= 2 && calls.allSatisfy { $0.lo == [1] && $0.disjuncts == g.values.count },
                "\(calls.count) child bounds; parent boxes inside and larger: \(calls.map(\.lo))")
    }

    /// A property with an empty disjunct (reached by every input) is never proved.
    @Test func emptyDisjunctIsUnprovable() {
        let g = GraphFixtures.mlp(n: 2, hidden: 4, outputs: 3, relu: true, seed: 2)
        let r = Self.search(g, [-1, -1], [1, 1], LinearDisjunction(disjuncts: [[]]), seconds: 1)
        #expect(r.outcome == .undecided(.unprovable))
    }

    /// The progress line: printed at least at the end, with the counts.
    @Test func printsProgress() {
        let g = GraphFixtures.mlp(n: 4, hidden: 12, outputs: 3, relu: true, seed: 7)
        let lower = [Double](repeating: -1, count: 4), upper = [Double](repeating: 1, count: 4)
        let centre = Self.objective(g, [0, 0, 0, 0], [1, -1, 0])
        let lines = CallLog()
        _ = Self.search(g, lower, upper, Self.unsafeSet([1, -1, 0], centre + 1e-3), seconds: 0.3) {
            $0.progress = { lines.add($0) }
            $0.progressInterval = 0.05
        }
        let all = lines.all
        #expect(all.count >= 2 && all.last!.hasPrefix("bab: stopped (deadline)"), "\(all)")
        #expect(all.last!.contains("nodes bounded") && all.last!.contains("worst bound") && all.last!.contains("s left"), "\(all)")
    }
}

/// Seconds since `start`.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let d = start.duration(to: .now).components
    return Double(d.seconds) + Double(d.attoseconds) * 1e-18
}

/// The boxes and disjunct counts a test bounder saw (thread-safe).
final class BoundLog: @unchecked Sendable {
    struct Call { var lo: [Double]; var hi: [Double]; var disjuncts: Int }
    private let lock = NSLock()
    private var calls: [Call] = []
    func add(lo: [Double], hi: [Double], disjuncts: Int) { lock.lock(); calls.append(Call(lo: lo, hi: hi, disjuncts: disjuncts)); lock.unlock() }
    var all: [Call] { lock.lock(); defer { lock.unlock() }; return calls }
}
