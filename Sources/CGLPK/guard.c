#include "CGLPK.h"
#include <setjmp.h>
#include <string.h>

static _Thread_local jmp_buf *cm_active_jmp = 0;
static unsigned long cm_generation = 0;
/* GLPK 5.0 (Debian) keeps its environment in thread-local storage, so a failure frees
   only the failing thread's environment: this counter says which problems died. */
static _Thread_local unsigned long cm_thread_generation = 0;

/* GLPK forces terminal output on when it reports an error, so glp_term_out alone does
   not silence it: during guarded calls a terminal hook captures GLPK's text (the last
   message is kept for the Swift error) and swallows it unless output is wanted. */
static _Thread_local int cm_verbose = 0;
static _Thread_local char cm_message[512];

static int cm_capture(void *info, const char *s) {
    (void)info;
    size_t used = strlen(cm_message);
    if (used + strlen(s) >= sizeof cm_message) { cm_message[0] = 0; used = 0; }
    strncat(cm_message, s, sizeof cm_message - used - 1);
    return cm_verbose ? 0 : 1;
}

const char *cm_glp_last_message(void) { return cm_message; }

static void cm_hook(void *info) {
    (void)info;
    if (cm_active_jmp) longjmp(*cm_active_jmp, 1);
}

void cm_glp_term_out(int on) { cm_verbose = on; glp_term_out(on ? GLP_ON : GLP_OFF); }
unsigned long cm_glp_generation(void) { return __atomic_load_n(&cm_generation, __ATOMIC_SEQ_CST); }
unsigned long cm_glp_thread_generation(void) { return cm_thread_generation; }

static void cm_recover(void) {
    cm_active_jmp = 0;
    glp_error_hook(NULL, NULL);
    glp_free_env();  /* required after an error; invalidates every glp_prob */
    __atomic_add_fetch(&cm_generation, 1, __ATOMIC_SEQ_CST);
    cm_thread_generation += 1;
}

#define CM_GUARDED(expr)                                  \
    jmp_buf buf;                                          \
    if (setjmp(buf)) { cm_recover(); return CM_GLP_FAILED; } \
    cm_active_jmp = &buf;                                 \
    cm_message[0] = 0;                                    \
    glp_term_hook(cm_capture, NULL);                      \
    glp_error_hook(cm_hook, NULL);                        \
    int ret = (expr);                                     \
    glp_error_hook(NULL, NULL);                           \
    cm_active_jmp = 0;                                    \
    return ret;

int cm_glp_simplex(glp_prob *P, const glp_smcp *parm) { CM_GUARDED(glp_simplex(P, parm)) }
int cm_glp_exact(glp_prob *P, const glp_smcp *parm) { CM_GUARDED(glp_exact(P, parm)) }
static int cm_load(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]) {
    glp_load_matrix(P, ne, ia, ja, ar); return 0;
}
int cm_glp_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]) {
    CM_GUARDED(cm_load(P, ne, ia, ja, ar))
}
static int cm_row(glp_prob *P, int i, int len, const int ind[], const double val[]) {
    glp_set_mat_row(P, i, len, ind, val); return 0;
}
int cm_glp_set_mat_row(glp_prob *P, int i, int len, const int ind[], const double val[]) {
    CM_GUARDED(cm_row(P, i, len, ind, val))
}
/* glp_scale_prob aborts the process on extreme coefficients ("glp_set_sjj: invalid scale
   factor" for entries such as 1.7e308 next to 4.9e-324; issue 15), and glp_adv_basis
   factorizes: both run under the guard too. */
static int cm_scale(glp_prob *P, int flags) { glp_scale_prob(P, flags); return 0; }
int cm_glp_scale_prob(glp_prob *P, int flags) { CM_GUARDED(cm_scale(P, flags)) }
static int cm_adv(glp_prob *P) { glp_adv_basis(P, 0); return 0; }
int cm_glp_adv_basis(glp_prob *P) { CM_GUARDED(cm_adv(P)) }
