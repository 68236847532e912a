#include "CGLPK.h"
#include <setjmp.h>

static _Thread_local jmp_buf *cm_active_jmp = 0;
static unsigned long cm_generation = 0;

static void cm_hook(void *info) {
    (void)info;
    if (cm_active_jmp) longjmp(*cm_active_jmp, 1);
}

void cm_glp_term_out(int on) { glp_term_out(on ? GLP_ON : GLP_OFF); }
unsigned long cm_glp_generation(void) { return __atomic_load_n(&cm_generation, __ATOMIC_SEQ_CST); }

static void cm_recover(void) {
    cm_active_jmp = 0;
    glp_error_hook(NULL, NULL);
    glp_free_env();  /* required after an error; invalidates every glp_prob */
    __atomic_add_fetch(&cm_generation, 1, __ATOMIC_SEQ_CST);
}

#define CM_GUARDED(expr)                                  \
    jmp_buf buf;                                          \
    if (setjmp(buf)) { cm_recover(); return CM_GLP_FAILED; } \
    cm_active_jmp = &buf;                                 \
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
