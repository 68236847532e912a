import CertmaxGraph
import CertmaxIO
import CertmaxNumerics
import Foundation
import HeapModule

/// Branch and bound over input splits and Relu splits: decides whether any input of a box
/// reaches a `LinearDisjunction`, by cutting the box (bisecting an input element, or
/// cutting an intermediate value such as an unstable Relu's input at 0) until a
/// `SubproblemBounder` excludes every disjunct on every piece (proof), a falsifier finds a
/// re-checked counterexample, or time or memory runs out.
///
/// Search:
/// - A node is a domain (a sub-box, and the value cuts made on the way to it, carried in
///   its value boxes) with the disjuncts not yet excluded on it ("active") and their
///   margin lower bounds. Its children inherit both: a disjunct excluded on a domain stays
///   excluded on every part of it, so children re-bound only the active disjuncts, and a
///   child's margin is the larger of its own bound and the parent's (both are sound on
///   the child's domain).
/// - Best first: each round pops the `threads` nodes with the lowest bound (the worst
///   disjunct's margin) and splits each in two, bounding the 2 * `threads` children
///   concurrently. The split: the bounder's `ValueSplit` (the unstable Relu with the most
///   weight in the worst disjunct's bound) when `valueSplits` is on, the node has value
///   boxes, and its score is at least `valueSplitRatio` times the largest input split
///   score; else the input element with the largest split score (the bounder's scores,
///   else |d margin / d x_i| * width_i at the centre; `InputSplitChoice`), bisected.
/// - Attacks: while the time spent attacking is below `attackShare` of the time spent,
///   the popped (worst) nodes are first handed to the falsifier, concurrently, each for
///   `attackSlice` seconds: their boxes are where the bounds are weakest, so good places
///   to look for a counterexample.
/// - Limits: no round starts when 1.25 times the longest round so far would carry it past
///   the deadline; the queue's bytes (counted per node: its two corners and its margins) never
///   exceed `memoryLimitBytes` (the search stops with `.memory` instead: no swapping).
///
/// Soundness contract: `.proved` only when the leaves of the split tree (whose union is
/// the input box: each bisection at a Double m gives [lo, m] and [m, hi], and each value
/// cut at p the inputs whose element is <= p and those where it is >= p) each have every
/// disjunct excluded by a sound margin > 0 from the bounder on that leaf's domain or an
/// ancestor's, so relies on the bounder's contract (`SubproblemBounder`, with
/// `boundWithin`'s for the domains cut by values) alone. `.violated` only
/// carries what the falsifier returned (its contract: a point re-checked by the sound
/// forward pass).
public enum BranchAndBound {
    public struct Options: Sendable {
        /// Subproblems bounded (and attacks run) side by side.
        public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
        /// Cap on the bytes of the open nodes (default 4 GiB); at the cap the search stops
        /// with `.memory`. Memory used inside one bound computation is not counted.
        public var memoryLimitBytes: Int = 4 << 30
        /// Largest fraction of the search's time spent in the falsifier (0: no attacks).
        public var attackShare: Double = 0.25
        /// Seconds per attack of one node's box.
        public var attackSlice: Double = 0.5
        /// Seed of the first attack; later attacks add the attack count.
        public var seed: UInt64 = 0x5EED
        /// Take the bounder's value splits (e.g. Relu splits) where they score better.
        public var valueSplits = true
        /// A value split is taken when its score is at least this times the largest input
        /// split score of the node (bisecting an input removes about half its weight; a
        /// Relu split removes its relaxation's whole weight).
        public var valueSplitRatio = 0.5
        /// Where the progress line goes (nil: no progress line).
        public var progress: (@Sendable (String) -> Void)? = nil
        /// Seconds between progress lines.
        public var progressInterval: Double = 5
        public init() {}
    }

    /// A counterexample found by a falsifier, already re-checked by it.
    public struct Counterexample: Sendable, Equatable {
        public var input: [Double]
        /// The plain forward output at `input`.
        public var output: [Double]
        /// The outward-rounded enclosure of the output at `input` that proved it unsafe.
        public var enclosure: [Interval]
        public init(input: [Double], output: [Double], enclosure: [Interval]) {
            self.input = input; self.output = output; self.enclosure = enclosure
        }
    }

    /// Searches a sub-box [lower, upper] for a counterexample until `until`; returns one
    /// only after re-checking it with the sound forward pass (and that it lies in the
    /// searchable part of the property's box), and the gradient evaluations spent. Called
    /// concurrently from several threads.
    public typealias Falsifier = @Sendable (_ lower: Tensor<Double>, _ upper: Tensor<Double>, _ seed: UInt64,
                                            _ until: ContinuousClock.Instant) -> (counterexample: Counterexample?, evaluations: Int)

    public enum StopReason: String, Sendable {
        /// The deadline came (or the next round would not finish before it).
        case deadline
        /// The open nodes reached `memoryLimitBytes`.
        case memory
        /// A node that is not proved cannot be split further in Double.
        case unsplittable
        /// The property has no disjunct or an empty one (a disjunct without constraints is
        /// reached by every input): the search cannot prove it.
        case unprovable
    }

    public enum Outcome: Sendable, Equatable {
        case proved
        case violated(Counterexample)
        case undecided(StopReason)
    }

    public struct Statistics: Sendable {
        /// Bound computations (root included when the search bounded it).
        public var nodesBounded = 0
        public var rounds = 0
        public var maxQueue = 0
        public var peakQueueBytes = 0
        public var maxDepth = 0
        /// The lowest margin bound over the open nodes at the end (+inf when proved).
        public var worstBound = -Double.infinity
        /// The share of the split tree proved (sum of 2^-depth over proved leaves; the
        /// fraction of the box's volume when every split is an input split).
        public var provedFraction = 0.0
        /// Splits made on input elements and on intermediate values (`ValueSplit`).
        public var inputSplits = 0
        public var valueSplits = 0
        public var attacks = 0
        public var attackEvaluations = 0
        public var attackSeconds = 0.0
        public var seconds = 0.0
    }

    public struct Result: Sendable {
        public var outcome: Outcome
        public var statistics: Statistics
    }

    struct Node {
        var lower: [Double]
        var upper: [Double]
        /// Indices (into the property's disjuncts) not yet excluded, and their margins.
        var active: [Int]
        var margins: [Double]
        var depth: Int
        /// How to split the node; nil when it cannot be split.
        var split: Split?
        /// The bounder's value boxes on this node's domain, for its children (`boundWithin`).
        var boxes: [Tensor<Interval>]? = nil
        var bound: Double { margins.min() ?? .infinity }
        var bytes: Int { 16 * lower.count + 16 * active.count + 128 + 16 * (boxes?.reduce(0) { $0 + $1.count } ?? 0) }
    }

    enum Split {
        /// Bisect this input element.
        case input(Int)
        /// Cut an intermediate value (the node has value boxes, and the cut is inside them).
        case value(ValueSplit)
    }

    struct Entry: Comparable {
        var bound: Double
        var sequence: Int
        var node: Node
        static func < (a: Entry, b: Entry) -> Bool { (a.bound, a.sequence) < (b.bound, b.sequence) }
        static func == (a: Entry, b: Entry) -> Bool { a.bound == b.bound && a.sequence == b.sequence }
    }

    /// Runs the search on [lower, upper] until `deadline`.
    ///
    /// `rootMargins`, when given, are the bounder's margins on the whole box (one per
    /// disjunct of `unsafe`), so the root is not bounded again; `rootSeconds`, the time
    /// that took, sizes the first round (no round starts that would not end in time);
    /// `rootBoxes` and `rootValueSplit`, the rest of that bound's result (its value boxes,
    /// sound on the whole box, and its value split), let the root's children reuse them.
    /// Arguments: one graph input with `lower.count` elements; lower <= upper.
    ///
    /// Checked: throws `InputError` (source "BranchAndBound.search") on the arguments
    /// `GraphPropertyVerifier.run` rejects or `rootMargins` not one per disjunct;
    /// `uncheckedSearch` skips the checks.
    public static func search(_ graph: Graph, lower: [Double], upper: [Double], unsafe: LinearDisjunction,
                              rootMargins: [Double]? = nil, rootSeconds: Double? = nil,
                              rootBoxes: [Tensor<Interval>]? = nil, rootValueSplit: ValueSplit? = nil, bounder: SubproblemBounder,
                              falsifier: Falsifier? = nil, deadline: ContinuousClock.Instant,
                              options: Options = Options()) throws(InputError) -> Result {
        try GraphPropertyVerifier.checkProperty(graph, lower: lower, upper: upper, unsafe: unsafe, "BranchAndBound.search")
        if let rootMargins, rootMargins.count != unsafe.disjuncts.count {
            throw InputError(source: "BranchAndBound.search", location: "rootMargins",
                             problem: "has \(rootMargins.count) margins, the property has \(unsafe.disjuncts.count) disjuncts")
        }
        if let rootBoxes, rootBoxes.count != graph.values.count || zip(rootBoxes, graph.values).contains(where: { $0.count != $1.shape.reduce(1, *) }) {
            throw InputError(source: "BranchAndBound.search", location: "rootBoxes",
                             problem: "needs one box per graph value (\(graph.values.count)), each of the value's size")
        }
        return uncheckedSearch(graph, lower: lower, upper: upper, unsafe: unsafe, rootMargins: rootMargins, rootSeconds: rootSeconds,
                               rootBoxes: rootBoxes, rootValueSplit: rootValueSplit,
                               bounder: bounder, falsifier: falsifier, deadline: deadline, options: options)
    }

    /// Unchecked `search`: for arguments validated already (traps on a box of another size).
    public static func uncheckedSearch(_ graph: Graph, lower: [Double], upper: [Double], unsafe: LinearDisjunction,
                                       rootMargins: [Double]? = nil, rootSeconds: Double? = nil,
                                       rootBoxes: [Tensor<Interval>]? = nil, rootValueSplit: ValueSplit? = nil, bounder: SubproblemBounder,
                                       falsifier: Falsifier? = nil, deadline: ContinuousClock.Instant,
                                       options: Options = Options()) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let shape = graph.values[graph.inputs[0]].shape
        precondition(lower.count == upper.count && lower.count == shape.reduce(1, *), "BranchAndBound: box does not match the input")
        var stats = Statistics()
        func finish(_ outcome: Outcome) -> Result {
            stats.seconds = SearchProgress.seconds(start, clock.now)
            return Result(outcome: outcome, statistics: stats)
        }
        guard !unsafe.disjuncts.isEmpty, unsafe.disjuncts.allSatisfy({ !$0.isEmpty }) else {
            return finish(.undecided(.unprovable))
        }
        let threads = Swift.max(1, options.threads)
        let progress = SearchProgress(interval: options.progressInterval, sink: options.progress)

        // The split: the bounder's value split when it scores well enough against the
        // input elements; else the input element to bisect, by the bounder's scores when
        // it gave some for every element, else by the gradient of the worst open
        // disjunct's margin.
        @Sendable func split(_ node: Node, _ tlo: Tensor<Double>, _ thi: Tensor<Double>, scores: [Double]?,
                             valueSplit: ValueSplit?) -> Split? {
            guard let worst = node.margins.indices.min(by: { node.margins[$0] < node.margins[$1] }) else { return nil }
            let s = scores?.count == node.lower.count ? scores
                : InputSplitChoice.gradientScores(graph, lower: tlo, upper: thi,
                                                  unsafe: LinearDisjunction(disjuncts: [unsafe.disjuncts[node.active[worst]]]))
            let input = InputSplitChoice.dimension(lower: node.lower, upper: node.upper, scores: s)
            if options.valueSplits, let v = valueSplit, let boxes = node.boxes, v.sides(of: boxes) != nil {
                let best = input.flatMap { i in s.map { $0[i] } } ?? 0
                if input == nil || v.score >= options.valueSplitRatio * best { return .value(v) }
            }
            return input.map { .input($0) }
        }

        // Bounds one box for the given active disjuncts (parent margins as floor) and picks
        // its split: the work done concurrently in a round.
        @Sendable func bound(_ lo: [Double], _ hi: [Double], active: [Int], floor: [Double], depth: Int,
                             known: [Tensor<Interval>]? = nil) -> Node {
            let tlo = Tensor(uncheckedShape: shape, data: lo), thi = Tensor(uncheckedShape: shape, data: hi)
            let sub = LinearDisjunction(disjuncts: active.map { unsafe.disjuncts[$0] })
            let r: SubproblemBounder.BoundResult
            if let known, let within = bounder.boundWithin { r = within(graph, tlo, thi, sub, known) }
            else { r = bounder.bound(graph, tlo, thi, sub) }
            var node = Node(lower: lo, upper: hi, active: [], margins: [], depth: depth, split: nil)
            // Kept only for a bounder that can use them, and only while the node is open.
            if bounder.boundWithin != nil, let b = r.boxes, b.count == graph.values.count { node.boxes = b }
            for (k, d) in active.enumerated() {
                var m = r.margins.count == active.count ? r.margins[k] : -.infinity
                if m.isNaN { m = -.infinity }
                m = Swift.max(m, floor[k])
                if !(m > 0) { node.active.append(d); node.margins.append(m) }
            }
            node.split = split(node, tlo, thi, scores: r.splitScores, valueSplit: r.valueSplit)
            return node
        }

        var queue = Heap<Entry>()
        var sequence = 0
        var queueBytes = 0
        func push(_ node: Node) {
            queue.insert(Entry(bound: node.bound, sequence: sequence, node: node))
            sequence += 1
            queueBytes += node.bytes
            stats.maxQueue = Swift.max(stats.maxQueue, queue.count)
            stats.peakQueueBytes = Swift.max(stats.peakQueueBytes, queueBytes)
        }
        func pop() -> Node? {
            guard let e = queue.popMin() else { return nil }
            queueBytes -= e.node.bytes
            return e.node
        }

        let all = Array(unsafe.disjuncts.indices)
        let root: Node
        // A round bounds two children per thread: about twice one bound computation.
        var longestRound: Duration? = rootSeconds.map { .milliseconds(Int64(2000 * Swift.max($0, 0))) }
        if let rm = rootMargins, rm.count == all.count {
            // Reuse the caller's bounds: only the split choice is computed.
            var node = Node(lower: lower, upper: upper, active: [], margins: [], depth: 0, split: nil)
            for d in all where !(rm[d] > 0) { node.active.append(d); node.margins.append(rm[d].isNaN ? -.infinity : rm[d]) }
            if bounder.boundWithin != nil, let b = rootBoxes, b.count == graph.values.count { node.boxes = b }
            node.split = split(node, Tensor(uncheckedShape: shape, data: lower), Tensor(uncheckedShape: shape, data: upper), scores: nil,
                               valueSplit: rootValueSplit)
            root = node
        } else {
            let t0 = clock.now
            root = bound(lower, upper, active: all, floor: all.map { _ in -.infinity }, depth: 0)
            stats.nodesBounded += 1
            longestRound = t0.duration(to: clock.now) * 2
        }
        if root.active.isEmpty {
            stats.worstBound = .infinity; stats.provedFraction = 1
            return finish(.proved)
        }
        push(root)

        func line(_ prefix: String) -> String {
            let left = SearchProgress.seconds(clock.now, deadline)
            return String(format: "%@: %d nodes bounded, queue %d (%@), worst bound %.4g, proved %.2f%% of the tree, depth %d, splits %d input %d relu, %d attacks, %.1f s left",
                          prefix, stats.nodesBounded, queue.count, SearchProgress.bytes(queueBytes),
                          queue.min?.bound ?? .infinity, 100 * stats.provedFraction, stats.maxDepth, stats.inputSplits,
                          stats.valueSplits, stats.attacks, Swift.max(left, 0))
        }

        var stop: StopReason? = nil
        while !queue.isEmpty {
            let now = clock.now
            if now >= deadline { stop = .deadline; break }
            // Rounds vary (attacks, load): keep a quarter more than the longest one seen.
            if let d = longestRound, now + d * 1.25 > deadline { stop = .deadline; break }
            let roundStart = now
            // The worst nodes.
            var batch: [Node] = []
            while batch.count < threads, let n = pop() { batch.append(n) }
            // Attack them first while attacks are within their share of the time.
            let elapsed = SearchProgress.seconds(start, now)
            if let falsifier, options.attackShare > 0, stats.attackSeconds <= options.attackShare * elapsed {
                let until = Swift.min(deadline, now + .milliseconds(Int64(Swift.max(options.attackSlice, 0) * 1000)))
                let base = options.seed &+ UInt64(stats.attacks)
                let boxes = batch.map { (Tensor(uncheckedShape: shape, data: $0.lower), Tensor(uncheckedShape: shape, data: $0.upper)) }
                let found = ParallelWork.map(count: boxes.count, threads: threads) { i in
                    falsifier(boxes[i].0, boxes[i].1, base &+ UInt64(i), until)
                }
                stats.attacks += boxes.count
                stats.attackEvaluations += found.reduce(0) { $0 + $1.evaluations }
                stats.attackSeconds += SearchProgress.seconds(now, clock.now)
                if let cex = found.lazy.compactMap(\.counterexample).first {
                    for n in batch { push(n) }
                    stats.worstBound = queue.min?.bound ?? .infinity
                    progress.tick(force: true) { line("bab: counterexample") }
                    return finish(.violated(cex))
                }
                if clock.now >= deadline { for n in batch { push(n) }; stop = .deadline; break }
            }
            // Split.
            guard batch.allSatisfy({ $0.split != nil }) else {
                for n in batch { push(n) }
                stop = .unsplittable
                break
            }
            // Memory: the round adds at most one node per popped node.
            let growth = batch.reduce(0) { $0 + 2 * $1.bytes }
            if queueBytes + growth > options.memoryLimitBytes {
                for n in batch { push(n) }
                stop = .memory
                break
            }
            var children: [(lo: [Double], hi: [Double], known: [Tensor<Interval>]?, parent: Int)] = []
            for (p, n) in batch.enumerated() {
                switch n.split! {
                case .input(let i):
                    let m = InputSplitChoice.midpoint(n.lower[i], n.upper[i])!
                    var leftHi = n.upper; leftHi[i] = m
                    var rightLo = n.lower; rightLo[i] = m
                    children.append((n.lower, leftHi, n.boxes, p))
                    children.append((rightLo, n.upper, n.boxes, p))
                    stats.inputSplits += 1
                case .value(let v):
                    // `split` checked that the cut lies inside the node's boxes.
                    let sides = v.sides(of: n.boxes!)!
                    children.append((n.lower, n.upper, sides.below, p))
                    children.append((n.lower, n.upper, sides.above, p))
                    stats.valueSplits += 1
                }
            }
            let parents = batch, kids = children
            let bounded = ParallelWork.map(count: kids.count, threads: threads) { c in
                let parent = parents[kids[c].parent]
                return bound(kids[c].lo, kids[c].hi, active: parent.active, floor: parent.margins, depth: parent.depth + 1,
                             known: kids[c].known)
            }
            stats.nodesBounded += bounded.count
            stats.rounds += 1
            for child in bounded {
                stats.maxDepth = Swift.max(stats.maxDepth, child.depth)
                if child.active.isEmpty { stats.provedFraction += Foundation.pow(2, -Double(child.depth)) }
                else { push(child) }
            }
            longestRound = Swift.max(longestRound ?? .zero, roundStart.duration(to: clock.now))
            progress.tick { line("bab") }
        }
        if let stop {
            stats.worstBound = queue.min?.bound ?? .infinity
            progress.tick(force: true) { line("bab: stopped (\(stop.rawValue))") }
            return finish(.undecided(stop))
        }
        stats.worstBound = .infinity
        stats.provedFraction = 1
        progress.tick(force: true) { line("bab: proved") }
        return finish(.proved)
    }
}
