#ifndef CERTMAX_CMPFR_H
#define CERTMAX_CMPFR_H
// Thin shim over MPFR: the header, plus real functions for the entry points that
// MPFR may define only as macros (Swift cannot import function-like macros).
#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>

int cm_mpfr_sgn(mpfr_srcptr x);
int cm_mpfr_nan_p(mpfr_srcptr x);
int cm_mpfr_inf_p(mpfr_srcptr x);
int cm_mpfr_zero_p(mpfr_srcptr x);
long cm_mpfr_get_prec(mpfr_srcptr x);
long cm_mpfr_get_exp(mpfr_srcptr x);
/// Writes x in base 10 with `digits` significant digits, rounded in `rnd`, into buf
/// (size n). Returns the length mpfr_snprintf would have written.
int cm_mpfr_to_string(char *buf, size_t n, int digits, mpfr_srcptr x, mpfr_rnd_t rnd);
#endif
