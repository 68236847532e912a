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
// Edge Cases: K >= 1 (K = 1 gives order[0] = 0). Cost K^2/4 vector comparisons, branch
// free: meant for K <= 64.
//
// Postconditions: order[0..<K] is a permutation of 0..<K with (c[order[p]], order[p])
// strictly increasing in p.
#include "certmax_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

AVX2 void certmax_rank_order_avx2(const double *c, long K, long *order) {
    for (long i = 0; i < K; i++) {
        const double x = c[i];
        const __m256d ci = _mm256_set1_pd(x);
        __m256i acc = _mm256_setzero_si256();
        long r = 0, j = 0;
        for (; j + 4 <= i; j += 4)
            acc = _mm256_sub_epi64(acc, _mm256_castpd_si256(_mm256_cmp_pd(_mm256_loadu_pd(c + j), ci, _CMP_LE_OQ)));
        for (; j < i; j++) r += c[j] <= x;
        for (j = i + 1; j + 4 <= K; j += 4)
            acc = _mm256_sub_epi64(acc, _mm256_castpd_si256(_mm256_cmp_pd(_mm256_loadu_pd(c + j), ci, _CMP_LT_OQ)));
        for (; j < K; j++) r += c[j] < x;
        long lanes[4];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        order[r + lanes[0] + lanes[1] + lanes[2] + lanes[3]] = i;
    }
}

#else

void certmax_rank_order_avx2(const double *c, long K, long *order) {
    (void)c; (void)K; (void)order;
}

#endif
