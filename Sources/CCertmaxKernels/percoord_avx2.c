// x86-64-v3 (AVX2) forms of the two SIMD passes of SoftmaxBounds' per-coordinate kernel
// (Sources/CertmaxSoftmax/SoftmaxBounds.swift, `_perCoordinateKernel`).
//
// Error rule: none of its own. Every lane performs exactly the IEEE-754 double operations
// of the portable Swift SIMD8 code, in the same order and in round-to-nearest: no FMA (the
// file turns floating-point contraction off, and the target attribute enables only AVX2), no
// reassociation, no approximate reciprocal. The results are therefore bit-identical to the
// portable kernel, whose error bounds are proved in SoundExp.swift (the exponentials) and at
// `_quotientLower` / `_quotientUpper` (the quotients); CertmaxSoftmaxTests compares the two
// paths bit for bit on seeded boxes and both against MPFR.
//
// Only these functions are compiled for AVX2 (function target attributes); the rest of the
// binary stays baseline x86-64, and the Swift caller takes this path only when
// certmax_kernels_have_avx2() says the CPU and OS support it.
#include "certmax_kernels.h"

#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

static int detect_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

int certmax_kernels_have_avx2(void) {
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        c = detect_avx2();
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return c;
}

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

// SoundExp's constants (Sources/CertmaxNumerics/SoundExp.swift; hex literals are exact).
static const double kInvLn2 = 0x1.71547652b82fep0;
static const double kLn2Hi = 0x1.62e42fefa38p-1;
static const double kLn2Lo = 0x1.ef35793c7673p-45;
static const double kMagic = 0x1.8p52;
static const double kFactorDown = 0x1.ffffffffffffcp-1;
static const double kFactorUp = 0x1.0000000000002p0;
static const double kC2 = 0x1p-1;
static const double kC3 = 0x1.5555555555555p-3;
static const double kC4 = 0x1.5555555555555p-5;
static const double kC5 = 0x1.1111111111111p-7;
static const double kC6 = 0x1.6c16c16c16c17p-10;
static const double kC7 = 0x1.a01a01a01a01ap-13;
static const double kC8 = 0x1.a01a01a01a01ap-16;
static const double kC9 = 0x1.71de3a556c734p-19;
static const double kC10 = 0x1.27e4fb7789f5cp-22;
static const double kC11 = 0x1.ae64567f544e4p-26;
static const double kC12 = 0x1.1eed8eff8d898p-29;
static const double kC13 = 0x1.6124613a86d09p-33;

#define SET1 _mm256_set1_pd
#define ADD _mm256_add_pd
#define SUB _mm256_sub_pd
#define MUL _mm256_mul_pd
#define DIV _mm256_div_pd

// SoundExp.twoDifference: s = RN(a - b), e = (a - (s - bb)) + (-b - bb), bb = s - a.
AVX2 INLINE void two_difference(__m256d a, __m256d b, __m256d *s, __m256d *e) {
    __m256d ss = SUB(a, b);
    __m256d bb = SUB(ss, a);
    __m256d nb = _mm256_xor_pd(b, SET1(-0.0));
    *s = ss;
    *e = ADD(SUB(a, SUB(ss, bb)), SUB(nb, bb));
}

// SoundExp.allOrdinary(s, tail: e) for one 4-lane half: a mask of lanes with
// -708 <= s <= 709 and |e| <= 2^-44 (ordered comparisons: NaN fails).
AVX2 INLINE __m256d ordinary_mask(__m256d s, __m256d e) {
    __m256d lim = SET1(0x1p-44), nlim = SET1(-0x1p-44);
    __m256d m = _mm256_and_pd(_mm256_cmp_pd(s, SET1(-708.0), _CMP_GE_OQ), _mm256_cmp_pd(s, SET1(709.0), _CMP_LE_OQ));
    m = _mm256_and_pd(m, _mm256_cmp_pd(e, lim, _CMP_LE_OQ));
    return _mm256_and_pd(m, _mm256_cmp_pd(e, nlim, _CMP_GE_OQ));
}

// 64-bit arithmetic shift right by one (AVX2 has no vpsraq): the logical shift with the
// sign bit put back (bit 62 of the result is the old bit 63, so the value is sign-extended).
AVX2 INLINE __m256i srai1_epi64(__m256i x) {
    __m256i sign = _mm256_and_si256(x, _mm256_set1_epi64x(INT64_MIN));
    return _mm256_or_si256(_mm256_srli_epi64(x, 1), sign);
}

// SoundExp.core(s, tail: e) followed by scale(q * factor, k) and the known-fact clamp of
// differenceBound (up: s <= 0 and y > 1 -> 1; down: s >= 0 and y < 1 -> 1).
AVX2 INLINE __m256d exp_difference(__m256d s, __m256d e, int up) {
    __m256d kb = ADD(MUL(s, SET1(kInvLn2)), SET1(kMagic));
    __m256d kd = SUB(kb, SET1(kMagic));
    int64_t magicBits;
    memcpy(&magicBits, &kMagic, sizeof magicBits);
    __m256i ki = _mm256_sub_epi64(_mm256_castpd_si256(kb), _mm256_set1_epi64x(magicBits));
    __m256d t = SUB(s, MUL(kd, SET1(kLn2Hi)));
    __m256d r = SUB(t, SUB(MUL(kd, SET1(kLn2Lo)), e));
    __m256d r2 = MUL(r, r), r4 = MUL(r2, r2), r8 = MUL(r4, r4);
    __m256d t01 = ADD(SET1(kC2), MUL(r, SET1(kC3)));
    __m256d t23 = ADD(SET1(kC4), MUL(r, SET1(kC5)));
    __m256d t45 = ADD(SET1(kC6), MUL(r, SET1(kC7)));
    __m256d t67 = ADD(SET1(kC8), MUL(r, SET1(kC9)));
    __m256d t89 = ADD(SET1(kC10), MUL(r, SET1(kC11)));
    __m256d tab = ADD(SET1(kC12), MUL(r, SET1(kC13)));
    __m256d t03 = ADD(t01, MUL(r2, t23));
    __m256d t47 = ADD(t45, MUL(r2, t67));
    __m256d t8b = ADD(t89, MUL(r2, tab));
    __m256d t07 = ADD(t03, MUL(r4, t47));
    __m256d q = ADD(SET1(1.0), ADD(r, MUL(r2, ADD(t07, MUL(r8, t8b)))));
    // scale: k1 = k >> 1, k2 = k - k1, y = (q f 2^k1) 2^k2.
    __m256i k1 = srai1_epi64(ki);
    __m256i k2 = _mm256_sub_epi64(ki, k1);
    __m256i bias = _mm256_set1_epi64x(1023);
    __m256d s1 = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(k1, bias), 52));
    __m256d s2 = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(k2, bias), 52));
    __m256d y = MUL(MUL(MUL(q, SET1(up ? kFactorUp : kFactorDown)), s1), s2);
    __m256d one = SET1(1.0);
    __m256d fix;
    if (up) {
        fix = _mm256_and_pd(_mm256_cmp_pd(s, _mm256_setzero_pd(), _CMP_LE_OQ), _mm256_cmp_pd(y, one, _CMP_GT_OQ));
    } else {
        fix = _mm256_and_pd(_mm256_cmp_pd(s, _mm256_setzero_pd(), _CMP_GE_OQ), _mm256_cmp_pd(y, one, _CMP_LT_OQ));
    }
    return _mm256_blendv_pd(y, one, fix);
}

AVX2 size_t certmax_percoord_exp_avx2(const double *u, const double *l, double m1, double n1,
                                      double *eu, double *el, size_t n) {
    __m256d vm1 = SET1(m1), vn1 = SET1(n1);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256d su0, eu0, su1, eu1, sl0, el0, sl1, el1;
        two_difference(_mm256_loadu_pd(u + i), vm1, &su0, &eu0);
        two_difference(_mm256_loadu_pd(u + i + 4), vm1, &su1, &eu1);
        two_difference(_mm256_loadu_pd(l + i), vn1, &sl0, &el0);
        two_difference(_mm256_loadu_pd(l + i + 4), vn1, &sl1, &el1);
        // The portable code decides per SIMD8 block (and per bound): the whole block of 8
        // must be ordinary, else this block and the rest go back to the caller.
        __m256d okU = _mm256_and_pd(ordinary_mask(su0, eu0), ordinary_mask(su1, eu1));
        __m256d okL = _mm256_and_pd(ordinary_mask(sl0, el0), ordinary_mask(sl1, el1));
        if (_mm256_movemask_pd(_mm256_and_pd(okU, okL)) != 0xF) break;
        _mm256_storeu_pd(eu + i, exp_difference(su0, eu0, 1));
        _mm256_storeu_pd(eu + i + 4, exp_difference(su1, eu1, 1));
        _mm256_storeu_pd(el + i, exp_difference(sl0, el0, 0));
        _mm256_storeu_pd(el + i + 4, exp_difference(sl1, el1, 0));
    }
    return i;
}

AVX2 int certmax_percoord_quotients_avx2(const double *eu, const double *el, double tu, double tl,
                                         double g, double h, double *lo, double *hi, size_t n) {
    __m256d vtu = SET1(tu), vtl = SET1(tl), vg = SET1(g), vh = SET1(h);
    __m256d tinyX = SET1(0x1p-1000), tinyQ = SET1(0x1p-1021), hugeY = SET1(0x1p1020);
    __m256d one = SET1(1.0), fLo = SET1(0x1.ffffffffffffbp-1), fHi = SET1(0x1.0000000000003p0);
    __m256d good = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
    size_t n8 = n - n % 8;
    for (size_t i = 0; i < n8; i += 4) {
        __m256d euv = _mm256_loadu_pd(eu + i), elv = _mm256_loadu_pd(el + i);
        __m256d x = MUL(elv, vg), y = MUL(euv, vh);
        // _quotientLower(x, tu - eu): RN(RN(x / RN(x + s)) (1 - 5u)).
        __m256d sLo = SUB(vtu, euv);
        __m256d qlo = MUL(DIV(x, ADD(x, sLo)), fLo);
        // _quotientUpper(y, tl - el): s < 1 (or NaN) -> 1; RN(RN(y / RN(y + s)) (1 + 6u)), capped at 1.
        __m256d sHi = SUB(vtl, elv);
        __m256d sc = _mm256_blendv_pd(sHi, one, _mm256_cmp_pd(sHi, one, _CMP_NGE_UQ));
        __m256d r = MUL(DIV(y, ADD(y, sc)), fHi);
        __m256d qhi = _mm256_blendv_pd(r, one, _mm256_cmp_pd(r, one, _CMP_NLE_UQ));
        _mm256_storeu_pd(lo + i, qlo);
        _mm256_storeu_pd(hi + i, qhi);
        __m256d ok = _mm256_and_pd(_mm256_cmp_pd(x, tinyX, _CMP_GE_OQ), _mm256_cmp_pd(euv, tinyX, _CMP_GE_OQ));
        ok = _mm256_and_pd(ok, _mm256_cmp_pd(qlo, tinyQ, _CMP_GE_OQ));
        ok = _mm256_and_pd(ok, _mm256_cmp_pd(qhi, tinyQ, _CMP_GE_OQ));
        ok = _mm256_and_pd(ok, _mm256_cmp_pd(y, hugeY, _CMP_LT_OQ));
        good = _mm256_and_pd(good, ok);
    }
    return _mm256_movemask_pd(good) == 0xF ? 1 : 0;
}

#else

int certmax_kernels_have_avx2(void) { return 0; }

size_t certmax_percoord_exp_avx2(const double *u, const double *l, double m1, double n1,
                                 double *eu, double *el, size_t n) {
    (void)u; (void)l; (void)m1; (void)n1; (void)eu; (void)el; (void)n;
    return 0;
}

int certmax_percoord_quotients_avx2(const double *eu, const double *el, double tu, double tl,
                                    double g, double h, double *lo, double *hi, size_t n) {
    (void)eu; (void)el; (void)tu; (void)tl; (void)g; (void)h; (void)lo; (void)hi; (void)n;
    return 0;
}

#endif
