import Foundation
@testable import CertmaxLP
import TestSupport
import Testing

/// The GLPK binding: statuses, validation, the error guard, warm starts, threads.
@Suite struct GLPKBindingTests {
    /// Issue 15: glp_scale_prob aborted the whole process ("glp_set_sjj: invalid scale
    /// factor") on coefficients at both ends of Double's range; it is now a thrown
    /// glpkInternalError, and the next solve works.
    @Test func extremeCoefficientsDoNotAbortTheProcess() throws {
        var lp = LinearProgram(direction: .maximize)
        lp.addColumn(lower: -1e308, upper: 1e308, objective: 1)
        lp.addColumn(lower: -1e308, upper: 1e308, objective: 1)
        lp.addRow(lower: -.infinity, upper: 1, columns: [0, 1], values: [1.7e308, 4.9e-324])
        lp.addRow(lower: -.infinity, upper: 1, columns: [0, 1], values: [-1.7e308, 1e-310])
        do {
            _ = try lp.solve()
            Issue.record("expected a GLPK internal error")
        } catch {
            guard case .glpkInternalError(let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(message.contains("glp_scale_prob"))
        }
        let after = try Self.smallLP().solve()
        #expect(after.status == .optimal)
    }

    static func smallLP() -> LinearProgram {
        var lp = LinearProgram()
        lp.addColumn(lower: 0, upper: 10, objective: 1)
        lp.addColumn(lower: 0, upper: 10, objective: 1)
        lp.addRow(lower: 2, upper: .infinity, columns: [0, 1], values: [1, 2])
        lp.addRow(lower: 3, upper: .infinity, columns: [0, 1], values: [3, 1])
        return lp
    }

    @Test func infeasibleAndUnboundedAreStatuses() throws {
        var lp = LinearProgram()
        lp.addColumn(lower: 0, upper: 1, objective: 1)
        lp.addRow(lower: 2, upper: .infinity, columns: [0], values: [1])
        #expect(try lp.solve().status == .infeasible)

        var free = LinearProgram()
        free.addColumn(lower: -.infinity, upper: .infinity, objective: 1)
        free.addColumn(lower: 0, upper: 1, objective: 0)
        free.addRow(lower: -.infinity, upper: 1, columns: [0, 1], values: [1, 1])
        #expect(try free.solve().status == .unbounded)
        // The safe bound stays sound (here: -inf, since the LP is unbounded).
        let s = try free.solve()
        #expect(SafeBound.bound(free, solution: s) == -.infinity)
    }

    @Test func malformedModelsAreRejectedBeforeGLPK() {
        var lp = LinearProgram()
        lp.addColumn(lower: 1, upper: 0)
        #expect(throws: LPError.self) { try lp.solve() }
        var nan = LinearProgram()
        nan.addColumn(lower: 0, upper: 1, objective: .nan)
        #expect(throws: LPError.self) { try nan.solve() }
        var badIndex = LinearProgram()
        badIndex.addColumn(lower: 0, upper: 1)
        badIndex.addRow(lower: 0, upper: 1, columns: [3], values: [1])
        #expect(throws: LPError.self) { try badIndex.solve() }
        var duplicate = LinearProgram()
        duplicate.addColumn(lower: 0, upper: 1)
        duplicate.addRow(lower: 0, upper: 1, columns: [0, 0], values: [1, 2])
        #expect(throws: LPError.self) { try duplicate.solve() }
    }

    /// A GLPK internal error (which would abort the process) is caught by the guard;
    /// the environment is rebuilt and the next LP solves normally.
    @Test func internalErrorIsCaughtAndProcessContinues() throws {
        let before = GLPKTesting.threadGeneration
        let message = GLPKTesting.provokeInternalError()
        #expect(message?.contains("column index out of range") == true, "guard message: \(message ?? "nil")")
        #expect(GLPKTesting.threadGeneration == before + 1)
        let lp = Self.smallLP()
        let s = try lp.solve()
        #expect(s.status == .optimal)
        #expect(abs(s.objectiveValue - 1.4) < 1e-12)
        // Terminal output is off again in the fresh environment (the solve switched it
        // off), and a second provoked error is caught too.
        #expect(!GLPKTesting.terminalOutputWasOn())
        #expect(GLPKTesting.provokeInternalError() != nil)
        #expect(try lp.solve().status == .optimal)
    }

    /// GLPK 5.0's environment is thread-local: switching output off here leaves it on in
    /// a new thread. Concurrent solves on several threads give correct results.
    @Test func environmentIsPerThreadAndConcurrentSolvesWork() throws {
        _ = try Self.smallLP().solve()  // output off on this thread
        #expect(!GLPKTesting.terminalOutputWasOn())
        final class Box: @unchecked Sendable { var onInOther = false; var values: [Double] = Array(repeating: 0, count: 8) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let t = Thread { box.onInOther = GLPKTesting.terminalOutputWasOn(); done.signal() }
        t.start()
        done.wait()
        #expect(box.onInOther, "expected a fresh (thread-local) GLPK environment in another thread")
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            var lp = Self.smallLP()
            lp.objective = [1, Double(k + 1)]
            let v = (try? lp.solve())?.objectiveValue ?? .nan
            lock.lock(); box.values[k] = v; lock.unlock()
        }
        // Compare with serial solves.
        for k in 0..<8 {
            var lp = Self.smallLP()
            lp.objective = [1, Double(k + 1)]
            #expect(abs(try lp.solve().objectiveValue - box.values[k]) < 1e-12, "thread result \(k)")
        }
    }

    /// Adding a cut and re-solving from the previous basis gives the new optimum.
    @Test func warmStartAfterAddingARow() throws {
        var lp = Self.smallLP()
        let first = try lp.solve()
        lp.addRow(lower: 2, upper: .infinity, columns: [0], values: [1])  // x >= 2 cuts off (0.8, 0.6)
        var options = LPOptions()
        options.warmStart = first.basis
        options.method = .dualThenPrimal
        let warm = try lp.solve(options)
        let cold = try lp.solve()
        #expect(warm.status == .optimal && cold.status == .optimal)
        #expect(abs(warm.objectiveValue - 2) < 1e-12 && abs(cold.objectiveValue - 2) < 1e-12)
        #expect(SafeBound.bound(lp, solution: warm) <= 2)
    }

    @Test func iterationLimitIsAStatusAndBoundStaysSound() throws {
        var rng = SeededGenerator(seed: 77)
        var found = false
        for _ in 0..<50 {
            guard let p = KnownOptimumLP.make(&rng, style: .wellConditioned, maximize: false) else { continue }
            var options = LPOptions()
            options.iterationLimit = 1
            let s = try p.lp.solve(options)
            if s.status == .iterationLimit { found = true }
            let b = SafeBound.bound(p.lp, solution: s)
            #expect(SafeBoundTests.isSound(b, p.optimum, maximize: false), "\(p.description)")
        }
        #expect(found, "some LP should need more than one iteration")
    }
}
