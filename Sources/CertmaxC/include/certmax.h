/*
 * certmax.h: the C interface of Certmax (libCertmaxC.so).
 *
 * Certified (rigorously sound, outward-rounded) bounds for softmax, linear objectives of
 * softmax, Taylor radii of cross-entropy steps, and attention-layer verification. Every
 * function calls the same library code as the `certmax` command-line tool, so the numbers
 * are bit-identical to what `certmax ... --format json` prints for the same input.
 *
 * Conventions
 *  - Every computing function returns an int32_t status: CERTMAX_OK (0) or the CLI's exit
 *    code for the same problem (CERTMAX_E_USAGE 64: an option value out of range;
 *    CERTMAX_E_INVALID 65: invalid input such as a NULL pointer, a size < 1, k > CERTMAX_MAX_K,
 *    a stride < k,
 *    NaN or infinite values, lower > upper, temperature not finite and > 0;
 *    CERTMAX_E_UNREADABLE 66: a file cannot be read; CERTMAX_E_INTERNAL 70). On failure
 *    nothing is promised about the output buffers and certmax_last_error() returns a
 *    one-line message (the CLI's message, with the function name in place of the file).
 *    No argument value makes the library abort (that each buffer really holds the
 *    elements its sizes and strides promise is, as in any C API, the caller's duty).
 *  - Buffers are allocated by the caller. Sizes are ptrdiff_t. A batch is `rows` rows of
 *    `k` doubles; input row r starts at p + r * stride (stride in elements, >= k; the
 *    entries of a row are contiguous). Outputs are dense row-major and must not overlap
 *    the inputs.
 *  - The _f32 variants take float inputs (widened exactly to double inside, row by row);
 *    results are always doubles and equal the double function's on the widened values.
 *  - Thread safety: every function may be called from several threads at once;
 *    certmax_last_error() is per thread. Large batches use all cores internally.
 *  - Lower bounds are rounded down and upper bounds up; nothing is clamped or padded.
 */
#ifndef CERTMAX_H
#define CERTMAX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes (the certmax CLI's exit codes). */
#define CERTMAX_OK 0
#define CERTMAX_E_USAGE 64
#define CERTMAX_E_INVALID 65
#define CERTMAX_E_UNREADABLE 66
#define CERTMAX_E_INTERNAL 70

/* Largest k (scores per row) any function accepts (2^26); a larger k is CERTMAX_E_INVALID
 * before any buffer is read. */
#define CERTMAX_MAX_K ((ptrdiff_t)1 << 26)

/* Verdicts of certmax_verify_* (the CLI's exit codes for `certmax verify`). */
#define CERTMAX_VERIFIED 0
#define CERTMAX_VIOLATED 10
#define CERTMAX_UNKNOWN 11

/* The library version (a static string). */
const char *certmax_version(void);

/* The message of the last failed call on the calling thread ("" if none). Valid until the
 * next failed call on the same thread; successful calls leave it unchanged. */
const char *certmax_last_error(void);

/* Frees a string returned by this library (NULL is ignored). */
void certmax_string_free(char *s);

/* ---- Softmax over score boxes ------------------------------------------------------ */

/* Per-coordinate bounds of p = softmax(s / temperature) over each row's box
 * lower_r <= s <= upper_r (`certmax softmax`):
 *   lower_out[r*k + j] <= min p_j   and   upper_out[r*k + j] >= max p_j,
 * exact up to rounding (both extremes are attained at box vertices). */
int32_t certmax_softmax_bounds(const double *lower, ptrdiff_t lower_stride,
                               const double *upper, ptrdiff_t upper_stride,
                               ptrdiff_t rows, ptrdiff_t k, double temperature,
                               double *lower_out, double *upper_out);
int32_t certmax_softmax_bounds_f32(const float *lower, ptrdiff_t lower_stride,
                                   const float *upper, ptrdiff_t upper_stride,
                                   ptrdiff_t rows, ptrdiff_t k, double temperature,
                                   double *lower_out, double *upper_out);

/* The same for log softmax(s / temperature) (`certmax softmax --log`). */
int32_t certmax_log_softmax_bounds(const double *lower, ptrdiff_t lower_stride,
                                   const double *upper, ptrdiff_t upper_stride,
                                   ptrdiff_t rows, ptrdiff_t k, double temperature,
                                   double *lower_out, double *upper_out);
int32_t certmax_log_softmax_bounds_f32(const float *lower, ptrdiff_t lower_stride,
                                       const float *upper, ptrdiff_t upper_stride,
                                       ptrdiff_t rows, ptrdiff_t k, double temperature,
                                       double *lower_out, double *upper_out);

/* ---- Linear objectives of softmax ------------------------------------------------- */

/* Vertex-Softmax: enclosures of the exact min and max of F(s) = c_r . softmax(s / T) over
 * each row's box (`certmax objective --method vertex`):
 *   min_out[2r] <= min F <= min_out[2r+1],   max_out[2r] <= max F <= max_out[2r+1].
 * min_out[2r] and max_out[2r+1] are rigorous bounds; min_out[2r+1] (max_out[2r]) is >= F
 * (<=F) at the box vertex written to minimizer_out (maximizer_out) row r (rows x k, in the
 * caller's units; either may be NULL). c_stride 0 uses one c for every row.
 * Requires |c_i| <= 1e300. */
int32_t certmax_vertex_objective(const double *c, ptrdiff_t c_stride,
                                 const double *lower, ptrdiff_t lower_stride,
                                 const double *upper, ptrdiff_t upper_stride,
                                 ptrdiff_t rows, ptrdiff_t k, double temperature,
                                 double *min_out, double *max_out,
                                 double *minimizer_out, double *maximizer_out);

/* Zone LP: enclosures of min and max of c . softmax(s / T) over one box cut by bounds on
 * score differences, Z = {lower <= s <= upper, s_i - s_j <= diff_upper[i*k + j], i != j}
 * (`certmax objective --method zone`; GLPK with Neumaier-Shcherbina safe bounds, never
 * looser than Vertex-Softmax). diff_upper is k x k row-major (diagonal ignored, +inf = no
 * bound, NaN and -inf rejected) or NULL. min_out/max_out as above (2 doubles each). When
 * a witness point of Z was certified it is written to minimizer_out / maximizer_out (k
 * doubles each, may be NULL); bit 0 / bit 1 of *witness_flags (may be NULL) say which. */
int32_t certmax_zone_objective(const double *c, const double *lower, const double *upper,
                               ptrdiff_t k, const double *diff_upper, double temperature,
                               double *min_out, double *max_out,
                               double *minimizer_out, double *maximizer_out,
                               int32_t *witness_flags);

/* ---- Taylor radius of cross-entropy steps ------------------------------------------ */

/* Certified lower bounds of the Taylor radius of the cross-entropy loss along a step, per
 * row of logits z and directional derivatives a = J v (`certmax radius`):
 *   rho_a_out[r] = pi T / (max a - min a) rounded down,
 *   refined_out[r] = the dominance-refined bound (>= rho_a; exact for k = 2),
 * both +inf when a_r is constant. The batch (mean loss) radius is the minimum over rows. */
int32_t certmax_taylor_radius(const double *logits, ptrdiff_t logits_stride,
                              const double *directions, ptrdiff_t directions_stride,
                              ptrdiff_t rows, ptrdiff_t k, double temperature,
                              double *rho_a_out, double *refined_out);
int32_t certmax_taylor_radius_f32(const float *logits, ptrdiff_t logits_stride,
                                  const float *directions, ptrdiff_t directions_stride,
                                  ptrdiff_t rows, ptrdiff_t k, double temperature,
                                  double *rho_a_out, double *refined_out);

/* certmax_taylor_radius plus an enclosure exact_out[2r] <= rho* <= exact_out[2r+1] of each
 * row's exact radius (argument-principle zero counting; `certmax radius --exact`).
 * certified_out[r] = 1 when the enclosure reached relative_width (or rho* = +inf), 0 when
 * max_arc_evaluations ran out first (the ends are still certified bounds; the upper end
 * is +inf if none was found). relative_width in (0, 1), max_arc_evaluations >= 1 (else
 * CERTMAX_E_USAGE); the CLI's defaults are 1e-6 and 200000. */
int32_t certmax_taylor_radius_exact(const double *logits, ptrdiff_t logits_stride,
                                    const double *directions, ptrdiff_t directions_stride,
                                    ptrdiff_t rows, ptrdiff_t k, double temperature,
                                    double relative_width, ptrdiff_t max_arc_evaluations,
                                    double *rho_a_out, double *refined_out,
                                    double *exact_out, int32_t *certified_out);

/* ---- Attention-layer verification --------------------------------------------------- */

/* Runs `certmax verify SPEC --format json` in process (spec format: specs/README.md).
 * On success *verdict_out is CERTMAX_VERIFIED, CERTMAX_VIOLATED or CERTMAX_UNKNOWN and
 * *json_out a malloc'd copy of the JSON text the CLI prints (free it with
 * certmax_string_free). method: "interval", "vertex", "zone" or "symbolic" (or NULL: the CLI default); attack 0 skips
 * the counterexample search (--no-attack); seed and attack_seconds as --seed and
 * --attack-seconds (CLI defaults 0x5EED and 20). The JSON's "stage_seconds" are wall-clock
 * times and differ from run to run; everything else is deterministic. */
int32_t certmax_verify_file(const char *spec_path, const char *method, int32_t attack,
                            uint64_t seed, double attack_seconds,
                            int32_t *verdict_out, char **json_out);

/* certmax_verify_file for a spec given as JSON text; relative paths in it are resolved
 * against base_dir (NULL: the current directory); messages name it "<spec>". */
int32_t certmax_verify_json(const char *spec_json, const char *base_dir, const char *method,
                            int32_t attack, uint64_t seed, double attack_seconds,
                            int32_t *verdict_out, char **json_out);

/* A loaded spec (model weights, input region, property): an opaque handle for verifying
 * one spec many times without reading the weights again. Immutable: one handle may be
 * verified from several threads at once. (A typedef of void, so the prototypes match the
 * compiler-emitted ones exactly; pass only handles from certmax_spec_load_*.) */
typedef void certmax_spec;

/* Loads a spec file (and the weights it names) into a new handle in *spec_out (NULL on
 * failure); errors as certmax_verify_file. Release it with certmax_spec_free. */
int32_t certmax_spec_load_file(const char *spec_path, certmax_spec **spec_out);

/* The same for JSON text; relative paths resolved against base_dir (NULL: the current
 * directory). */
int32_t certmax_spec_load_json(const char *spec_json, const char *base_dir, certmax_spec **spec_out);

/* certmax_verify_file on a loaded spec: same options, verdict and JSON. */
int32_t certmax_spec_verify(certmax_spec *spec, const char *method, int32_t attack, uint64_t seed,
                            double attack_seconds, int32_t *verdict_out, char **json_out);

/* Releases a handle (NULL is ignored). */
void certmax_spec_free(certmax_spec *spec);

#ifdef __cplusplus
}
#endif

#endif /* CERTMAX_H */
