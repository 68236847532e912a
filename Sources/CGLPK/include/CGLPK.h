#ifndef CERTMAX_CGLPK_H
#define CERTMAX_CGLPK_H
// GLPK with a guard: GLPK calls abort() on internal errors unless an error hook
// longjmps out. Every cm_glp_* call below installs such a hook for its duration, so a
// GLPK failure comes back as a return code instead of ending the process.
//
// After a guarded failure GLPK's environment is in an undefined state and has been
// freed with glp_free_env(): EVERY glp_prob created before is invalid afterwards. The
// Swift wrapper tracks this with cm_glp_generation().
#include <glpk.h>

/// Result codes of the guarded calls, besides GLPK's own return codes (>= 0).
#define CM_GLP_FAILED (-1)

/// Silences (on = 0) or restores (on = 1) GLPK's terminal output for this thread,
/// including the error messages GLPK prints during guarded calls.
void cm_glp_term_out(int on);
/// Incremented every time a guarded call caught a GLPK error and freed the environment.
unsigned long cm_glp_generation(void);
/// Like cm_glp_generation, but counts only failures on the calling thread. GLPK 5.0's
/// environment is thread-local (Debian's libglpk has a TLS segment; checked by a test),
/// so a failure on one thread invalidates only the problems created on that thread.
unsigned long cm_glp_thread_generation(void);
/// The text GLPK printed during the last guarded call on this thread (e.g. its error
/// message); empty if none.
const char *cm_glp_last_message(void);
/// glp_simplex under the guard. Returns GLPK's return code, or CM_GLP_FAILED.
int cm_glp_simplex(glp_prob *P, const glp_smcp *parm);
/// glp_exact under the guard. Returns GLPK's return code, or CM_GLP_FAILED.
int cm_glp_exact(glp_prob *P, const glp_smcp *parm);
/// glp_load_matrix under the guard (validates indices inside GLPK).
int cm_glp_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]);
/// glp_set_mat_row under the guard.
int cm_glp_set_mat_row(glp_prob *P, int i, int len, const int ind[], const double val[]);
/// glp_scale_prob under the guard (it aborts on extreme coefficients otherwise).
int cm_glp_scale_prob(glp_prob *P, int flags);
/// glp_adv_basis(P, 0) under the guard.
int cm_glp_adv_basis(glp_prob *P);
#endif
