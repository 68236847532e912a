#include "CMPFR.h"

int cm_mpfr_sgn(mpfr_srcptr x) { return mpfr_sgn(x); }
int cm_mpfr_nan_p(mpfr_srcptr x) { return mpfr_nan_p(x); }
int cm_mpfr_inf_p(mpfr_srcptr x) { return mpfr_inf_p(x); }
int cm_mpfr_zero_p(mpfr_srcptr x) { return mpfr_zero_p(x); }
long cm_mpfr_get_prec(mpfr_srcptr x) { return (long)mpfr_get_prec(x); }
long cm_mpfr_get_exp(mpfr_srcptr x) { return (long)mpfr_get_exp(x); }
int cm_mpfr_to_string(char *buf, size_t n, int digits, mpfr_srcptr x, mpfr_rnd_t rnd) {
    char fmt[32];
    snprintf(fmt, sizeof fmt, "%%.%dR%cg", digits,
             rnd == MPFR_RNDD ? 'D' : rnd == MPFR_RNDU ? 'U' : rnd == MPFR_RNDZ ? 'Z' : 'N');
    return mpfr_snprintf(buf, n, fmt, x);
}
