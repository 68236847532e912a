#ifndef CERTMAX_KERNELS_H
#define CERTMAX_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the CPU (and OS) support the x86-64-v3 kernels below (AVX2), else 0; always 0 on
/// other architectures. Checked once with __builtin_cpu_supports; the kernels must not be
/// called when this returns 0.
int certmax_kernels_have_avx2(void);

/// The exponential pass of SoftmaxBounds' per-coordinate kernel, 8 elements at a time:
/// eu[i] = SoundExp.up(u[i], minus: m1) and el[i] = SoundExp.down(l[i], minus: n1), the same
/// operations in the same order as the portable Swift SIMD8 code (no FMA contraction), so
/// bit-identical to it. Processes whole blocks of 8 from index 0 while both blocks are on
/// SoundExp's fast path and returns the number of elements written (a multiple of 8, at most
/// n); the caller finishes from there with the portable code.
size_t certmax_percoord_exp_avx2(const double *u, const double *l, double m1, double n1,
                                 double *eu, double *el, size_t n);

/// The quotient pass of the per-coordinate kernel over the first n - n % 8 elements:
/// lo[i] = _quotientLower(el[i] * g, tu - eu[i]), hi[i] = _quotientUpper(eu[i] * h, tl - el[i]),
/// bit-identical to the portable SIMD8 code. Returns 1 when every lane met the fast path's
/// range conditions (the portable kernel's `good` mask), else 0.
int certmax_percoord_quotients_avx2(const double *eu, const double *el, double tu, double tl,
                                    double g, double h, double *lo, double *hi, size_t n);

/// 1 when the CPU (and OS) support AVX2 and FMA (x86-64-v3), else 0; always 0 on other
/// architectures. certmax_vertex_sweep_fma must not be called when this returns 0.
int certmax_kernels_have_fma(void);

/// The tight Vertex-Softmax sweep (VertexSoftmax._tightSweep) with FMA for the exact-product
/// errors: bit-identical to the portable kernel wherever its Dekker products are exact, and
/// within its proof's absolute slack elsewhere (vertex_sweep_fma.c). c: K coefficients;
/// order: the threshold order (K indices); packed: 8 doubles per score
/// [yU, yU, yL, yL, cU, cU, cL, cL]; scratch: room for 4 K + 2 vectors of 4 doubles;
/// out: 4 doubles (bestLo min/max side, bestHi min/max side); idx: 2 candidates.
/// Returns 0 when decided, 1 when the caller must run the portable kernel (rare branches).
int certmax_vertex_sweep_fma(const double *c, const long *order, long K, double cmin, double cmax,
                             double sc, const double *packed, double slack, void *scratch,
                             double *out, long *idx);

/// The threshold order of K coefficients (indices sorted ascending by c, ties by index), by
/// counting ranks with AVX2 comparisons (rank_order_avx2.c); exactly the portable sort's
/// order. For K <= 64; only when certmax_kernels_have_avx2() returns 1.
void certmax_rank_order_avx2(const double *c, long K, long *order);

#ifdef __cplusplus
}
#endif

#endif
