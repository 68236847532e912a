import CGLPK

// GLPK threading model (GLPK 5.0 as shipped by Debian, libglpk40 5.0-1):
// GLPK keeps its whole environment (memory pool, terminal settings, error hook) in
// thread-local storage: the shared library has a TLS segment and a test
// (GLPKBindingTests "environment is per thread") shows that terminal output switched off
// on one thread is still on in another. Consequences, all handled here:
//   * a glp_prob belongs to the thread that created it and must be used and deleted
//     there: every `solve` creates, uses and deletes its problem inside the call, on the
//     calling thread (the problem object never escapes);
//   * different threads can solve concurrently without a lock (their environments are
//     disjoint), so no global lock is taken;
//   * after a caught GLPK error the guard frees the calling thread's environment, which
//     invalidates every problem of that thread: `GLPKProblem` records the thread-local
//     generation at creation and never touches (not even deletes) a problem of an older
//     generation;
//   * terminal settings reset when an environment is re-created, so output is switched
//     off at the start of every solve.

/// Owner of one `glp_prob`, valid only on its creating thread and generation.
final class GLPKProblem {
    let pointer: OpaquePointer
    let generation: UInt

    init() {
        generation = UInt(cm_glp_thread_generation())
        pointer = glp_create_prob()
    }

    /// False after a caught GLPK error freed the environment this problem lived in.
    var isValid: Bool { UInt(cm_glp_thread_generation()) == generation }

    deinit {
        // A problem from an older generation was freed with its environment.
        if isValid { glp_delete_prob(pointer) }
    }
}

extension LinearProgram {
    /// Solves the LP with GLPK's simplex method (double precision, not a certificate).
    ///
    /// Use the returned duals with ``SafeBound`` for a rigorous bound; the returned
    /// `objectiveValue` is GLPK's approximation and is never a bound by itself.
    ///
    /// - Returns: a solution with a typed status. Infeasible, unbounded, iteration-limited
    ///   and failed solves are statuses, not errors; their value arrays are whatever GLPK
    ///   holds at the stop (still usable as multipliers for a safe bound).
    /// - Throws: ``LPError/invalidModel(_:)`` for a malformed model (checked before GLPK
    ///   sees it), ``LPError/glpkInternalError(_:)`` if GLPK itself hit an internal error
    ///   (the process keeps running; the next solve starts a fresh GLPK environment).
    /// - Complexity: builds the GLPK problem in O(rows + columns + nonzeros) per call.
    ///   Thread-safe: each call uses only its own thread's GLPK environment.
    public func solve(_ options: LPOptions = LPOptions()) throws(LPError) -> LPSolution {
        try validate()
        cm_glp_term_out(options.verbose ? 1 : 0)
        let problem = GLPKProblem()
        let P = problem.pointer
        let m = rowCount, n = columnCount
        glp_set_obj_dir(P, direction == .minimize ? GLP_MIN : GLP_MAX)
        if m > 0 { glp_add_rows(P, Int32(m)) }
        if n > 0 { glp_add_cols(P, Int32(n)) }
        for i in 0..<m {
            let (t, lo, hi) = Self.boundType(rowLower[i], rowUpper[i])
            glp_set_row_bnds(P, Int32(i + 1), t, lo, hi)
        }
        for j in 0..<n {
            let (t, lo, hi) = Self.boundType(columnLower[j], columnUpper[j])
            glp_set_col_bnds(P, Int32(j + 1), t, lo, hi)
            glp_set_obj_coef(P, Int32(j + 1), objective[j])
        }
        let nnz = nonzeroCount
        if nnz > 0 {
            var ia = [Int32](repeating: 0, count: nnz + 1)
            var ja = [Int32](repeating: 0, count: nnz + 1)
            var ar = [Double](repeating: 0, count: nnz + 1)
            var k = 1
            for i in 0..<m {
                for (j, v) in zip(rowColumns[i], rowValues[i]) {
                    ia[k] = Int32(i + 1); ja[k] = Int32(j + 1); ar[k] = v
                    k += 1
                }
            }
            if cm_glp_load_matrix(P, Int32(nnz), ia, ja, ar) == CM_GLP_FAILED {
                throw .glpkInternalError("glp_load_matrix: " + Self.lastGLPKMessage)
            }
        }
        if options.scale, cm_glp_scale_prob(P, Int32(GLP_SF_AUTO)) == CM_GLP_FAILED {
            throw .glpkInternalError("glp_scale_prob: " + Self.lastGLPKMessage)
        }
        if let warm = options.warmStart, warm.rows.count <= m, warm.columns.count == n {
            let b = warm.extended(rowCount: m, columnCount: n)
            for i in 0..<m { glp_set_row_stat(P, Int32(i + 1), b.rows[i].rawValue) }
            for j in 0..<n { glp_set_col_stat(P, Int32(j + 1), b.columns[j].rawValue) }
        }

        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parm.it_lim = options.iterationLimit
        parm.tm_lim = options.timeLimitMilliseconds
        parm.presolve = GLP_OFF
        switch options.method {
        case .primal: parm.meth = GLP_PRIMAL
        case .dual: parm.meth = GLP_DUAL
        case .dualThenPrimal: parm.meth = GLP_DUALP
        }
        var ret = cm_glp_simplex(P, &parm)
        if ret == CM_GLP_FAILED { throw .glpkInternalError("glp_simplex: " + Self.lastGLPKMessage) }
        if ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND {
            // An unusable warm start or a numerically bad basis: retry once from a crash
            // basis built by GLPK.
            if cm_glp_adv_basis(P) == CM_GLP_FAILED { throw .glpkInternalError("glp_adv_basis: " + Self.lastGLPKMessage) }
            ret = cm_glp_simplex(P, &parm)
            if ret == CM_GLP_FAILED { throw .glpkInternalError("glp_simplex: " + Self.lastGLPKMessage) }
        }
        guard problem.isValid else { throw .glpkInternalError("GLPK environment was reset") }

        let status: LPStatus
        switch ret {
        case 0:
            switch glp_get_status(P) {
            case GLP_OPT: status = .optimal
            case GLP_NOFEAS: status = .infeasible
            case GLP_UNBND: status = .unbounded
            default: status = .failed("simplex ended without an optimal basis (status \(glp_get_status(P)))")
            }
        case GLP_EITLIM, GLP_ETMLIM: status = .iterationLimit
        case GLP_ENOPFS: status = .infeasible
        case GLP_ENODFS: status = .unbounded
        case GLP_EBADB: status = .failed("invalid initial basis")
        case GLP_ESING: status = .failed("singular basis matrix")
        case GLP_ECOND: status = .failed("ill-conditioned basis matrix")
        case GLP_EBOUND: status = .failed("invalid bounds")
        default: status = .failed("simplex failed (code \(ret))")
        }

        var primal = [Double](repeating: 0, count: n)
        var columnDuals = [Double](repeating: 0, count: n)
        var colStat = [LPBasisStatus](repeating: .basic, count: n)
        for j in 0..<n {
            primal[j] = glp_get_col_prim(P, Int32(j + 1))
            columnDuals[j] = glp_get_col_dual(P, Int32(j + 1))
            colStat[j] = LPBasisStatus(rawValue: glp_get_col_stat(P, Int32(j + 1))) ?? .basic
        }
        var activity = [Double](repeating: 0, count: m)
        var rowDuals = [Double](repeating: 0, count: m)
        var rowStat = [LPBasisStatus](repeating: .basic, count: m)
        for i in 0..<m {
            activity[i] = glp_get_row_prim(P, Int32(i + 1))
            rowDuals[i] = glp_get_row_dual(P, Int32(i + 1))
            rowStat[i] = LPBasisStatus(rawValue: glp_get_row_stat(P, Int32(i + 1))) ?? .basic
        }
        return LPSolution(
            status: status, objectiveValue: glp_get_obj_val(P), primal: primal,
            rowActivity: activity, rowDuals: rowDuals, columnDuals: columnDuals,
            basis: LPBasis(rows: rowStat, columns: colStat), iterations: Int(glp_get_it_cnt(P)))
    }

    /// GLPK's last message on this thread, on one line.
    static var lastGLPKMessage: String {
        String(cString: cm_glp_last_message()).split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    static func boundType(_ lo: Double, _ hi: Double) -> (Int32, Double, Double) {
        switch (lo.isFinite, hi.isFinite) {
        case (false, false): return (GLP_FR, 0, 0)
        case (true, false): return (GLP_LO, lo, 0)
        case (false, true): return (GLP_UP, 0, hi)
        case (true, true): return (lo == hi ? GLP_FX : GLP_DB, lo, hi)
        }
    }
}

/// Test hooks for the GLPK guard.
enum GLPKTesting {
    /// Makes GLPK hit an internal error through the guard (a matrix row with an index
    /// out of range) on a throw-away problem. Returns GLPK's message if the guard caught
    /// it and invalidated the problem, else nil.
    static func provokeInternalError() -> String? {
        cm_glp_term_out(0)
        let problem = GLPKProblem()
        glp_add_rows(problem.pointer, 1)
        glp_add_cols(problem.pointer, 1)
        let ind: [Int32] = [0, 7]  // column 7 does not exist
        let val: [Double] = [0, 1]
        let caught = cm_glp_set_mat_row(problem.pointer, 1, 1, ind, val) == CM_GLP_FAILED
        return caught && !problem.isValid ? LinearProgram.lastGLPKMessage : nil
    }

    /// GLPK's terminal-output flag on this thread after switching it off and reading
    /// the previous value back (GLPK has no getter).
    static func terminalOutputWasOn() -> Bool {
        let prev = glp_term_out(GLP_OFF)
        return prev == GLP_ON
    }

    static var threadGeneration: UInt { UInt(cm_glp_thread_generation()) }
}
