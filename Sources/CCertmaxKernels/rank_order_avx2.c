// x86-64-v3 (AVX2) threshold order for small K: the indices of c sorted ascending, ties by
// index (VertexSoftmax._sortOrder's order), computed by counting ranks:
// rank(i) = #{j < i : c_j <= c_i} + #{j > i : c_j < c_i}, order[rank(i)] = i.
//
// Error rule: none (comparisons only, no arithmetic on the values). Comparisons are IEEE
// ordered ones, so -0 and +0 are equal coefficients (ordered by index), as in the portable
// sort; NaN is excluded by every caller. The (c, index) order is total, so the ranks are a
// permutation of 0..<K and the result is exactly the portable insertion sort's order
// (VertexSoftmaxFMAKernelTests compares them).
//
// Edge Cases: K >= 1 (K = 1 gives order[0] = 0); K <= 64 (a stack copy of K + 4 doubles).
// Cost K^2/4 vector comparisons, branch free.
//
// Postconditions: order[0..<K] is a permutation of 0..<K with (c[order[p]], order[p])
// strictly increasing in p.
#include "certmax_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

// Lanes below lane k of a block (the block holding i itself: ties there count for j < i).
static const long long kBelow[4][4] = {{0, 0, 0, 0}, {-1, 0, 0, 0}, {-1, -1, 0, 0}, {-1, -1, -1, 0}};

AVX2 void certmax_rank_order_avx2(const double *c, long K, long *order) {
    // c padded with +inf to whole blocks of 4: +inf < c_i never holds for finite c_i, and the
    // padding lies after every i, where only c_j < c_i counts.
    double buf[K + 4];
    long K4 = (K + 3) & ~3L;
    for (long j = 0; j < K; j++) buf[j] = c[j];
    for (long j = K; j < K4; j++) buf[j] = __builtin_inf();
    for (long i = 0; i < K; i++) {
        const __m256d ci = _mm256_set1_pd(buf[i]);
        const long ib = i & ~3L;
        __m256i acc = _mm256_setzero_si256();
        for (long j = 0; j < ib; j += 4)
            acc = _mm256_sub_epi64(acc, _mm256_castpd_si256(_mm256_cmp_pd(_mm256_loadu_pd(buf + j), ci, _CMP_LE_OQ)));
        __m256d v = _mm256_loadu_pd(buf + ib);
        __m256d tie = _mm256_and_pd(_mm256_cmp_pd(v, ci, _CMP_EQ_OQ), _mm256_loadu_pd((const double *)kBelow[i & 3]));
        acc = _mm256_sub_epi64(acc, _mm256_castpd_si256(_mm256_or_pd(_mm256_cmp_pd(v, ci, _CMP_LT_OQ), tie)));
        for (long j = ib + 4; j < K4; j += 4)
            acc = _mm256_sub_epi64(acc, _mm256_castpd_si256(_mm256_cmp_pd(_mm256_loadu_pd(buf + j), ci, _CMP_LT_OQ)));
        __m128i s2 = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s2 = _mm_add_epi64(s2, _mm_unpackhi_epi64(s2, s2));
        order[_mm_cvtsi128_si64(s2)] = i;
    }
}

#else

void certmax_rank_order_avx2(const double *c, long K, long *order) {
    (void)c; (void)K; (void)order;
}

#endif
