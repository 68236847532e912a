// x86-64-v3 (AVX2 + FMA) form of the tight Vertex-Softmax sweep over a prepared box
// (Sources/CertmaxSoftmax/VertexSoftmaxPreparedBox.swift, `VertexSoftmax._tightSweep`).
//
// Error rule: none of its own beyond the portable kernel's proof (top of
// VertexSoftmaxPreparedBox.swift). Every lane performs the IEEE-754 double operations of the
// portable Swift code in the same order and in round-to-nearest (floating-point contraction
// is off for the whole file), with one replacement: each error term of an exact product,
// which the portable code computes by Dekker's splitting as
// ((ah bh - x) + ah bl + al bh) + al bl with x = RN(a b), is computed here as
// fma(a, b, -x) = RN(a b - x). Whenever Dekker's form is exact (no partial product below
// 2^-1022, the condition under which the proof uses it as exact: the term products of the
// sums, and q0·σD >= 2^-969 in the quotient), a b - x is representable and both forms give
// the same double, so the results are bit-identical. Where Dekker's form is not exact (terms
// in the subnormal range), the proof charges at most 2^-1070 absolute per operation; the FMA
// form errs by at most 2^-1075 there (half an ulp of a subnormal), so the same slack covers
// it. Candidates the portable code routes through its rare directed-rounding branches (a
// denominator below 2^-900, a numerator below 2^-900, or a slack of half an ulp or more) make
// this kernel return 1 and the caller re-runs the portable kernel, so those paths are the
// portable code's own.
//
// Edge Cases: K >= 2 (the caller answers K = 1 and constant c); returns 1 on any case it does
// not decide, never a wrong bound.
//
// Postconditions: on 0, out[0..1] are the candidate minima of the lower enclosures of g
// (min side, max side), out[2..3] the minima of the upper enclosures, idx[0..1] the
// candidates attaining out[2..3] (first in the backward scan on ties), exactly as the
// portable kernel's bestLo, bestHi, bestIdx.
//
// Only this function is compiled for AVX2/FMA (function target attributes); the binary stays
// baseline x86-64 and the Swift caller takes this path only when
// certmax_kernels_have_fma() says the CPU and OS support it.
#include "certmax_kernels.h"

#include <stdint.h>

#pragma clang fp contract(off)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

static int detect_fma(void) {
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
}

int certmax_kernels_have_fma(void) {
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        c = detect_fma();
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return c;
}

#define V3 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

// Scaled factors a = [1, d, 1, d'] and TwoSum errors ea = [0, ed, 0, ed'] of c_i (as the
// portable `factors`, the same operations in the same order).
V3 INLINE void factors(double ci, double cmin, double cmax, double sc, __m256d *a, __m256d *ea) {
    double d = ci - cmin;
    double bd = d - ci;
    double ed = (ci - (d - bd)) + (-cmin - bd);
    double d2 = cmax - ci;
    double bd2 = d2 - cmax;
    double ed2 = (cmax - (d2 - bd2)) + (-ci - bd2);
    *a = _mm256_set_pd(d2 * sc, 1.0, d * sc, 1.0);
    *ea = _mm256_set_pd(ed2 * sc, 0.0, ed * sc, 0.0);
}

// (x, cc) of a ⊙ b: x = RN(a b), cc = (a b - x) + (a cb + ea b) (portable `product`).
V3 INLINE void product(__m256d a, __m256d ea, __m256d b, __m256d cb, __m256d *x, __m256d *cc) {
    __m256d p = _mm256_mul_pd(a, b);
    __m256d pe = _mm256_fmsub_pd(a, b, p);
    *x = p;
    *cc = _mm256_add_pd(pe, _mm256_add_pd(_mm256_mul_pd(a, cb), _mm256_mul_pd(ea, b)));
}

// Compensated accumulation (portable `accumulate`).
V3 INLINE void accumulate(__m256d *s, __m256d *ee, __m256d x, __m256d cc) {
    __m256d s1 = _mm256_add_pd(*s, x);
    __m256d b = _mm256_sub_pd(s1, *s);
    __m256d e = _mm256_add_pd(_mm256_sub_pd(*s, _mm256_sub_pd(s1, b)), _mm256_sub_pd(x, b));
    *s = s1;
    *ee = _mm256_add_pd(*ee, _mm256_add_pd(e, cc));
}

V3 int certmax_vertex_sweep_fma(const double *c, const long *order, long K, double cmin, double cmax,
                                double sc, const double *packed, double slack, void *scratch,
                                double *out, long *idx) {
    __m256d *st = (__m256d *)scratch;       // prefix states: 2 (K + 1)
    __m256d *fc = st + 2 * (K + 1);         // factors: 2 per position
    __m256d s = _mm256_setzero_pd(), ee = _mm256_setzero_pd();
    for (long p = 0; p < K; p++) {
        _mm256_storeu_pd((double *)&st[2 * p], s);
        _mm256_storeu_pd((double *)&st[2 * p + 1], ee);
        long i = order[p];
        __m256d a, ea;
        factors(c[i], cmin, cmax, sc, &a, &ea);
        _mm256_storeu_pd((double *)&fc[2 * p], a);
        _mm256_storeu_pd((double *)&fc[2 * p + 1], ea);
        // packed[8 i ..]: [yU, yU, yL, yL], [cU, cU, cL, cL]
        __m256d b = _mm256_loadu_pd(packed + 8 * i), cb = _mm256_loadu_pd(packed + 8 * i + 4);
        __m256d x, cc;
        product(a, ea, b, cb, &x, &cc);
        accumulate(&s, &ee, x, cc);
    }
    _mm256_storeu_pd((double *)&st[2 * K], s);
    _mm256_storeu_pd((double *)&st[2 * K + 1], ee);

    const __m128d slack2 = _mm_set1_pd(2 * slack);
    const __m128d small = _mm_set1_pd(0x1p-900);
    const __m128d k57 = _mm_set1_pd(0x1p-57), k55 = _mm_set1_pd(0x1p-55);
    const __m128i one = _mm_set1_epi64x(1);
    __m128d bestLo = _mm_set1_pd(__builtin_inf()), bestHi = bestLo;
    __m128i bestIdx = _mm_setzero_si128();
    __m256d bs = _mm256_setzero_pd(), be = _mm256_setzero_pd();
    long j = K;
    for (;;) {
        __m256d fs = _mm256_loadu_pd((const double *)&st[2 * j]), fe = _mm256_loadu_pd((const double *)&st[2 * j + 1]);
        __m256d sg = _mm256_add_pd(fs, bs);
        __m256d b = _mm256_sub_pd(sg, fs);
        __m256d tau = _mm256_add_pd(_mm256_sub_pd(fs, _mm256_sub_pd(sg, b)), _mm256_sub_pd(bs, b));
        __m256d l = _mm256_add_pd(_mm256_add_pd(tau, fe), be);
        // lanes (0, 2, 1, 3): den = [sg0, sg2], num = [sg1, sg3]
        __m256d sgp = _mm256_permute4x64_pd(sg, 0xD8), lp = _mm256_permute4x64_pd(l, 0xD8);
        __m128d den = _mm256_castpd256_pd128(sgp), num = _mm256_extractf128_pd(sgp, 1);
        __m128d ld = _mm256_castpd256_pd128(lp), ln = _mm256_extractf128_pd(lp, 1);
        // Rare branches of the portable code (denominator or numerator below 2^-900): defer.
        __m128d okDen = _mm_cmp_pd(den, small, _CMP_GE_OQ), okNum = _mm_cmp_pd(num, small, _CMP_GE_OQ);
        if (_mm_movemask_pd(_mm_and_pd(okDen, okNum)) != 3) return 1;
        __m128d rd = _mm_div_pd(_mm_set1_pd(1.0), den);
        __m128d q0 = _mm_mul_pd(num, rd);
        __m128d pHi = _mm_mul_pd(q0, den);
        __m128d pLo = _mm_fmsub_pd(q0, den, pHi);
        __m128d r = _mm_add_pd(_mm_sub_pd(_mm_sub_pd(num, pHi), pLo), _mm_sub_pd(ln, _mm_mul_pd(q0, ld)));
        __m128d q1 = _mm_mul_pd(r, rd);
        __m128d gv = _mm_add_pd(q0, q1);
        __m128d ge = _mm_sub_pd(q1, _mm_sub_pd(gv, q0));
        __m128d h = _mm_add_pd(_mm_mul_pd(gv, k57), slack2);
        // Slack not below half an ulp (the portable code's directed widening): defer.
        if (_mm_movemask_pd(_mm_cmp_pd(slack2, _mm_mul_pd(gv, k55), _CMP_LE_OQ)) != 3) return 1;
        __m128i bits = _mm_castpd_si128(gv);
        __m128d down = _mm_castsi128_pd(_mm_sub_epi64(bits, one)), up = _mm_castsi128_pd(_mm_add_epi64(bits, one));
        __m128d gLo = _mm_blendv_pd(down, gv, _mm_cmp_pd(ge, h, _CMP_GE_OQ));
        __m128d gHi = _mm_blendv_pd(up, gv, _mm_cmp_pd(ge, _mm_sub_pd(_mm_setzero_pd(), h), _CMP_LE_OQ));
        bestLo = _mm_blendv_pd(bestLo, gLo, _mm_cmp_pd(gLo, bestLo, _CMP_LT_OQ));
        __m128d better = _mm_cmp_pd(gHi, bestHi, _CMP_LT_OQ);
        bestHi = _mm_blendv_pd(bestHi, gHi, better);
        bestIdx = _mm_castpd_si128(_mm_blendv_pd(_mm_castsi128_pd(bestIdx), _mm_castsi128_pd(_mm_set1_epi64x(j)), better));
        if (j == 0) break;
        j -= 1;
        long i = order[j];
        __m256d a = _mm256_loadu_pd((const double *)&fc[2 * j]), ea = _mm256_loadu_pd((const double *)&fc[2 * j + 1]);
        // [yL, yL, yU, yU], [cL, cL, cU, cU]: the halves of the packed columns swapped
        __m256d yb = _mm256_permute4x64_pd(_mm256_loadu_pd(packed + 8 * i), 0x4E);
        __m256d cb = _mm256_permute4x64_pd(_mm256_loadu_pd(packed + 8 * i + 4), 0x4E);
        __m256d x, cc;
        product(a, ea, yb, cb, &x, &cc);
        accumulate(&bs, &be, x, cc);
    }
    double lo[2], hi[2];
    long ix[2];
    _mm_storeu_pd(lo, bestLo);
    _mm_storeu_pd(hi, bestHi);
    _mm_storeu_si128((__m128i *)ix, bestIdx);
    out[0] = lo[0]; out[1] = lo[1]; out[2] = hi[0]; out[3] = hi[1];
    idx[0] = ix[0]; idx[1] = ix[1];
    return 0;
}

#else

int certmax_kernels_have_fma(void) { return 0; }

int certmax_vertex_sweep_fma(const double *c, const long *order, long K, double cmin, double cmax,
                             double sc, const double *packed, double slack, void *scratch,
                             double *out, long *idx) {
    (void)c; (void)order; (void)K; (void)cmin; (void)cmax; (void)sc; (void)packed; (void)slack;
    (void)scratch; (void)out; (void)idx;
    return 1;
}

#endif
