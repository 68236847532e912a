/* C test of libCertmaxC through the public header only (run by CAPIProgramTests.swift,
 * from the package root). Every check prints what failed; exit status 1 if any did. */
#include "certmax.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                             \
    do {                                                             \
        checks++;                                                    \
        if (!(cond)) {                                               \
            failures++;                                              \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                            \
            fprintf(stderr, "\n");                                   \
        }                                                            \
    } while (0)

/* A failing call: the expected status and a message containing `needle`. */
static void expect_error(int32_t status, int32_t expected, const char *needle, const char *what) {
    const char *msg = certmax_last_error();
    CHECK(status == expected, "%s: status %d, expected %d (%s)", what, status, expected, msg);
    CHECK(strstr(msg, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what, msg, needle);
}

/* DESIGN.md section 2 reference box. */
static const double L[4] = {-2.0, -1.5, -3.0, -0.2};
static const double U[4] = {0.5, 1.0, -0.5, 0.7};
static const double C[4] = {0.4, -1.0, 2.0, 0.1};

static void test_softmax(void) {
    double lo[4], hi[4];
    int32_t s = certmax_softmax_bounds(L, 4, U, 4, 1, 4, 1.0, lo, hi);
    CHECK(s == CERTMAX_OK, "status %d: %s", s, certmax_last_error());
    /* min p_0 = e^-2 / (e^-2 + e^1 + e^-0.5 + e^0.7) = 0.02472373835783250189... */
    CHECK(lo[0] <= 0.0247237383578325019 && lo[0] > 0.0247237383578324, "lo[0] = %.17g", lo[0]);
    for (int j = 0; j < 4; j++) CHECK(0 <= lo[j] && lo[j] <= hi[j] && hi[j] <= 1, "j %d: [%g, %g]", j, lo[j], hi[j]);

    /* Two rows with a padded stride give the single-row bits in each row. */
    double L2[10] = {-2.0, -1.5, -3.0, -0.2, 99, 0.1, 0.2, 0.3, 0.4, 99};
    double U2[8] = {0.5, 1.0, -0.5, 0.7, 0.1, 0.25, 0.3, 0.5};
    double lo2[8], hi2[8], lo1[4], hi1[4];
    s = certmax_softmax_bounds(L2, 5, U2, 4, 2, 4, 0.5, lo2, hi2);
    CHECK(s == CERTMAX_OK, "batch status %d: %s", s, certmax_last_error());
    for (int r = 0; r < 2; r++) {
        s = certmax_softmax_bounds(L2 + 5 * r, 4, U2 + 4 * r, 4, 1, 4, 0.5, lo1, hi1);
        CHECK(s == CERTMAX_OK, "row status %d", s);
        CHECK(memcmp(lo1, lo2 + 4 * r, sizeof lo1) == 0 && memcmp(hi1, hi2 + 4 * r, sizeof hi1) == 0, "row %d differs", r);
    }

    /* float input equals the double call on the same (widened) values. */
    float Lf[4] = {-2.0f, -1.5f, -3.0f, -0.2f}, Uf[4] = {0.5f, 1.0f, -0.5f, 0.7f};
    double Ld[4], Ud[4], lof[4], hif[4];
    for (int j = 0; j < 4; j++) { Ld[j] = Lf[j]; Ud[j] = Uf[j]; }
    CHECK(certmax_softmax_bounds_f32(Lf, 4, Uf, 4, 1, 4, 1.0, lof, hif) == CERTMAX_OK, "f32: %s", certmax_last_error());
    CHECK(certmax_softmax_bounds(Ld, 4, Ud, 4, 1, 4, 1.0, lo1, hi1) == CERTMAX_OK, "widened");
    CHECK(memcmp(lo1, lof, sizeof lo1) == 0 && memcmp(hi1, hif, sizeof hi1) == 0, "f32 differs from the double call");

    /* log softmax: log of the softmax bounds, up to rounding; <= 0. */
    CHECK(certmax_log_softmax_bounds(L, 4, U, 4, 1, 4, 1.0, lo1, hi1) == CERTMAX_OK, "log: %s", certmax_last_error());
    for (int j = 0; j < 4; j++) {
        CHECK(lo1[j] <= hi1[j] && hi1[j] <= 0, "log j %d: [%g, %g]", j, lo1[j], hi1[j]);
        CHECK(fabs(exp(lo1[j]) - lo[j]) < 1e-12 && fabs(exp(hi1[j]) - hi[j]) < 1e-12, "log j %d vs softmax", j);
    }
    CHECK(certmax_log_softmax_bounds_f32(Lf, 4, Uf, 4, 1, 4, 1.0, lof, hif) == CERTMAX_OK, "log f32");
    CHECK(certmax_log_softmax_bounds(Ld, 4, Ud, 4, 1, 4, 1.0, lo1, hi1) == CERTMAX_OK, "log widened");
    CHECK(memcmp(lo1, lof, sizeof lo1) == 0, "log f32 differs");

    /* K = 1: exactly [1, 1]. */
    double one_l = -3, one_u = 5;
    CHECK(certmax_softmax_bounds(&one_l, 1, &one_u, 1, 1, 1, 1.0, lo1, hi1) == CERTMAX_OK && lo1[0] == 1 && hi1[0] == 1, "K = 1");
}

static void test_softmax_errors(void) {
    double lo[4], hi[4];
    double bad[4] = {-2.0, NAN, -3.0, -0.2};
    expect_error(certmax_softmax_bounds(NULL, 4, U, 4, 1, 4, 1.0, lo, hi), CERTMAX_E_INVALID, "\"lower\" is NULL", "NULL lower");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 4, 1.0, NULL, hi), CERTMAX_E_INVALID, "\"lower_out\" is NULL", "NULL out");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 0, 1.0, lo, hi), CERTMAX_E_INVALID, "\"k\" must be >= 1", "k = 0");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, -1, 4, 1.0, lo, hi), CERTMAX_E_INVALID, "\"rows\" must be >= 1", "rows < 0");
    expect_error(certmax_softmax_bounds(L, 3, U, 4, 1, 4, 1.0, lo, hi), CERTMAX_E_INVALID, "\"lower_stride\" must be >= k", "stride");
    expect_error(certmax_softmax_bounds(bad, 4, U, 4, 1, 4, 1.0, lo, hi), CERTMAX_E_INVALID,
                 "field \"lower\"[1]: not a finite number", "NaN");
    expect_error(certmax_softmax_bounds(U, 4, L, 4, 1, 4, 1.0, lo, hi), CERTMAX_E_INVALID, "is greater than", "lower > upper");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 4, 0.0, lo, hi), CERTMAX_E_INVALID, "must be > 0", "T = 0");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 4, NAN, lo, hi), CERTMAX_E_INVALID, "temperature", "T = NaN");
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 4, -INFINITY, lo, hi), CERTMAX_E_INVALID, "temperature", "T = -inf");
    double inf_u[4] = {0.5, INFINITY, -0.5, 0.7};
    expect_error(certmax_log_softmax_bounds(L, 4, inf_u, 4, 1, 4, 1.0, lo, hi), CERTMAX_E_INVALID, "\"upper\"[1]", "inf");
    /* Wide rows take the eight-lane scan: a bad entry in a full block and in the tail. */
    double wl[19], wu[19], wlo[19], whi[19];
    for (int i = 0; i < 19; i++) { wl[i] = -i; wu[i] = i; }
    CHECK(certmax_softmax_bounds(wl, 19, wu, 19, 1, 19, 1.0, wlo, whi) == CERTMAX_OK, "wide row");
    wl[9] = NAN;
    expect_error(certmax_softmax_bounds(wl, 19, wu, 19, 1, 19, 1.0, wlo, whi), CERTMAX_E_INVALID, "\"lower\"[9]", "NaN lane");
    wl[9] = -9; wl[3] = 4;
    expect_error(certmax_softmax_bounds(wl, 19, wu, 19, 1, 19, 1.0, wlo, whi), CERTMAX_E_INVALID, "\"lower\"[3]: 4.0 is greater", "l > u lane");
    wl[3] = -3; wl[17] = -INFINITY;
    expect_error(certmax_softmax_bounds(wl, 19, wu, 19, 1, 19, 1.0, wlo, whi), CERTMAX_E_INVALID, "\"lower\"[17]", "-inf tail");
    wl[17] = -17; wu[12] = INFINITY;
    expect_error(certmax_softmax_bounds(wl, 19, wu, 19, 1, 19, 1.0, wlo, whi), CERTMAX_E_INVALID, "\"upper\"[12]", "+inf lane");
    wu[12] = 12;
    double wr[2];
    expect_error(certmax_taylor_radius(wl, 19, wu, 19, 1, 19, 1.0, wr, wr + 1), CERTMAX_OK, "", "finite radius row");
    wu[5] = NAN;
    expect_error(certmax_taylor_radius(wl, 19, wu, 19, 1, 19, 1.0, wr, wr + 1), CERTMAX_E_INVALID, "directions[0][5]", "NaN radius lane");
    /* A batch names the row. */
    double L2[8] = {0, 0, 0, 0, 0, 0, 1, 0}, U2[8] = {1, 1, 1, 1, 1, 1, 0, 1}, o[8], p[8];
    expect_error(certmax_softmax_bounds(L2, 4, U2, 4, 2, 4, 1.0, o, p), CERTMAX_E_INVALID, "row 1: field \"lower\"[2]", "row");
}

static void *fail_in_thread(void *arg) {
    (void)arg;
    double lo[1], hi[1];
    int32_t s = certmax_softmax_bounds(NULL, 1, NULL, 1, 1, 1, 1.0, lo, hi);
    return (void *)(ptrdiff_t)(s == CERTMAX_E_INVALID && strstr(certmax_last_error(), "NULL") != NULL);
}

static void test_last_error_is_per_thread(void) {
    double lo[4], hi[4];
    expect_error(certmax_softmax_bounds(L, 4, U, 4, 1, 4, -1.0, lo, hi), CERTMAX_E_INVALID, "must be > 0", "setup");
    char before[512];
    snprintf(before, sizeof before, "%s", certmax_last_error());
    pthread_t t;
    void *ok = NULL;
    CHECK(pthread_create(&t, NULL, fail_in_thread, NULL) == 0, "pthread_create");
    pthread_join(t, &ok);
    CHECK(ok != NULL, "the thread's own message");
    CHECK(strcmp(before, certmax_last_error()) == 0, "another thread's failure changed this thread's message");
    /* A success leaves the message. */
    CHECK(certmax_softmax_bounds(L, 4, U, 4, 1, 4, 1.0, lo, hi) == CERTMAX_OK, "ok call");
    CHECK(strcmp(before, certmax_last_error()) == 0, "success changed the message");
}

static void test_vertex(void) {
    double mn[2], mx[2], wmin[4], wmax[4];
    int32_t s = certmax_vertex_objective(C, 4, L, 4, U, 4, 1, 4, 1.0, mn, mx, wmin, wmax);
    CHECK(s == CERTMAX_OK, "status %d: %s", s, certmax_last_error());
    /* DESIGN.md: min = -0.6670098069296645006612, max = 0.6312280066766008012553. */
    CHECK(mn[0] <= -0.66700980692966449 && mn[1] >= -0.66700980692966451 && mn[1] - mn[0] < 1e-14,
          "min [%.17g, %.17g]", mn[0], mn[1]);
    CHECK(mx[0] <= 0.63122800667660081 && mx[1] >= 0.63122800667660079 && mx[1] - mx[0] < 1e-14,
          "max [%.17g, %.17g]", mx[0], mx[1]);
    for (int i = 0; i < 4; i++) {
        CHECK(wmin[i] == L[i] || wmin[i] == U[i], "minimizer %d = %g is not a vertex coordinate", i, wmin[i]);
        CHECK(wmax[i] == L[i] || wmax[i] == U[i], "maximizer %d = %g is not a vertex coordinate", i, wmax[i]);
    }
    /* Broadcast c (stride 0) over two rows equals the per-row calls; NULL witnesses allowed. */
    double L2[8], U2[8], mn2[4], mx2[4], m1[2], x1[2];
    for (int i = 0; i < 4; i++) { L2[i] = L[i]; U2[i] = U[i]; L2[4 + i] = -1000 + i; U2[4 + i] = -990 + 2 * i; }
    CHECK(certmax_vertex_objective(C, 0, L2, 4, U2, 4, 2, 4, 0.7, mn2, mx2, NULL, NULL) == CERTMAX_OK, "broadcast: %s",
          certmax_last_error());
    for (int r = 0; r < 2; r++) {
        CHECK(certmax_vertex_objective(C, 4, L2 + 4 * r, 4, U2 + 4 * r, 4, 1, 4, 0.7, m1, x1, NULL, NULL) == CERTMAX_OK, "row");
        CHECK(memcmp(m1, mn2 + 2 * r, sizeof m1) == 0 && memcmp(x1, mx2 + 2 * r, sizeof x1) == 0, "row %d differs", r);
    }
    double bigc[4] = {0.4, -1.0, 2e300, 0.1};
    expect_error(certmax_vertex_objective(bigc, 4, L, 4, U, 4, 1, 4, 1.0, mn, mx, NULL, NULL), CERTMAX_E_INVALID,
                 "field \"c\"[2]: magnitude above 1e300", "huge c");
    expect_error(certmax_vertex_objective(C, 2, L, 4, U, 4, 2, 4, 1.0, mn, mx, NULL, NULL), CERTMAX_E_INVALID,
                 "\"c_stride\" must be >= k", "c stride");
    expect_error(certmax_vertex_objective(NULL, 4, L, 4, U, 4, 1, 4, 1.0, mn, mx, NULL, NULL), CERTMAX_E_INVALID,
                 "\"c\" is NULL", "NULL c");
}

static void test_zone(void) {
    double mn[2], mx[2], vmn[2], vmx[2], w0[4], w1[4];
    int32_t flags = -1;
    CHECK(certmax_vertex_objective(C, 4, L, 4, U, 4, 1, 4, 1.0, vmn, vmx, NULL, NULL) == CERTMAX_OK, "vertex");
    CHECK(certmax_zone_objective(C, L, U, 4, NULL, 1.0, mn, mx, w0, w1, &flags) == CERTMAX_OK, "zone: %s", certmax_last_error());
    CHECK(memcmp(mn, vmn, sizeof mn) == 0 && memcmp(mx, vmx, sizeof mx) == 0 && flags == 3, "no diff_upper: vertex result");
    /* Difference bounds that cut the box: never looser than vertex, still an enclosure. */
    double D[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) D[4 * i + j] = i == j ? 0 : (U[i] - L[j]) * 0.5;
    D[1] = INFINITY;
    CHECK(certmax_zone_objective(C, L, U, 4, D, 1.0, mn, mx, NULL, NULL, NULL) == CERTMAX_OK, "zone cut: %s", certmax_last_error());
    CHECK(mn[0] >= vmn[0] && mx[1] <= vmx[1] && mn[0] <= mn[1] && mx[0] <= mx[1], "zone [%g, %g] [%g, %g]", mn[0], mn[1], mx[0], mx[1]);
    CHECK(mn[0] > vmn[0] + 1e-6 || mx[1] < vmx[1] - 1e-6, "the cut did not tighten anything");
    D[6] = NAN;
    expect_error(certmax_zone_objective(C, L, U, 4, D, 1.0, mn, mx, NULL, NULL, NULL), CERTMAX_E_INVALID,
                 "field \"diff_upper\"[1][2]", "NaN in diff_upper");
}

static void test_radius(void) {
    /* k = 2: exact radius sqrt(delta^2 + pi^2) / |a_1 - a_2|; refined is exact up to rounding. */
    double z[6] = {2.0, 0.5, 1.0, 1.0, 1.0, 1.0}, a[6] = {0.3, -0.2, 0.5, 0.5, 0.5, 0.5};
    double rho[3], ref[3], ex[6];
    int32_t cert[3];
    CHECK(certmax_taylor_radius(z, 2, a, 2, 3, 2, 1.0, rho, ref) == CERTMAX_OK, "radius: %s", certmax_last_error());
    double exact = sqrt(1.5 * 1.5 + M_PI * M_PI) / 0.5;
    CHECK(rho[0] <= M_PI / 0.5 && rho[0] > M_PI / 0.5 * (1 - 1e-15), "rho_a %.17g", rho[0]);
    CHECK(ref[0] <= exact && ref[0] > exact * (1 - 1e-14), "refined %.17g vs %.17g", ref[0], exact);
    CHECK(isinf(rho[1]) && isinf(ref[1]), "constant directions: +inf");
    CHECK(certmax_taylor_radius_exact(z, 2, a, 2, 3, 2, 1.0, 1e-6, 200000, rho, ref, ex, cert) == CERTMAX_OK, "exact: %s",
          certmax_last_error());
    CHECK(cert[0] == 1 && ex[0] <= exact * (1 + 1e-15) && ex[1] >= exact * (1 - 1e-15), "exact [%.17g, %.17g]", ex[0], ex[1]);
    CHECK(cert[1] == 1 && isinf(ex[2]) && isinf(ex[3]), "constant: +inf certified");
    /* A multiclass row through the argument principle. */
    double z3[3] = {1.0, 0.2, -0.5}, a3[3] = {0.4, -0.1, 0.3};
    CHECK(certmax_taylor_radius_exact(z3, 3, a3, 3, 1, 3, 1.0, 1e-6, 200000, rho, ref, ex, cert) == CERTMAX_OK, "exact 3");
    CHECK(ref[0] <= ex[1] && ex[0] <= ex[1] && ex[0] >= rho[0] * (1 - 1e-12), "k=3: ref %g, [%g, %g]", ref[0], ex[0], ex[1]);
    float zf[2] = {2.0f, 0.5f}, af[2] = {0.3f, -0.2f};
    double zd[2] = {zf[0], zf[1]}, ad[2] = {af[0], af[1]}, r2[1], f2[1];
    CHECK(certmax_taylor_radius_f32(zf, 2, af, 2, 1, 2, 1.0, rho, ref) == CERTMAX_OK, "f32");
    CHECK(certmax_taylor_radius(zd, 2, ad, 2, 1, 2, 1.0, r2, f2) == CERTMAX_OK && r2[0] == rho[0] && f2[0] == ref[0], "f32 differs");
    double zbad[2] = {1.0, INFINITY};
    expect_error(certmax_taylor_radius(zbad, 2, a, 2, 1, 2, 1.0, rho, ref), CERTMAX_E_INVALID, "logits[0][1]", "inf logit");
    expect_error(certmax_taylor_radius(z, 2, a, 2, 1, 2, 0.0, rho, ref), CERTMAX_E_INVALID, "temperature", "T = 0");
    expect_error(certmax_taylor_radius_exact(z, 2, a, 2, 1, 2, 1.0, 2.0, 10, rho, ref, ex, cert), CERTMAX_E_USAGE,
                 "relative_width", "width");
    expect_error(certmax_taylor_radius_exact(z, 2, a, 2, 1, 2, 1.0, 1e-6, 0, rho, ref, ex, cert), CERTMAX_E_USAGE,
                 "max_arc_evaluations", "budget");
}

static void test_verify(void) {
    int32_t verdict = -1;
    char *json = NULL;
    int32_t s = certmax_verify_file("specs/small-verified.json", "vertex", 0, 0x5EED, 20.0, &verdict, &json);
    CHECK(s == CERTMAX_OK && verdict == CERTMAX_VERIFIED, "verify: status %d verdict %d: %s", s, verdict, certmax_last_error());
    CHECK(json != NULL && strstr(json, "\"verdict\": \"verified\"") != NULL, "json: %s", json ? json : "(null)");
    certmax_string_free(json);
    json = NULL;
    s = certmax_verify_file("specs/small-violated.json", NULL, 1, 0x5EED, 20.0, &verdict, &json);
    CHECK(s == CERTMAX_OK && verdict == CERTMAX_VIOLATED, "violated: status %d verdict %d: %s", s, verdict, certmax_last_error());
    CHECK(json != NULL && strstr(json, "\"counterexample\"") != NULL, "counterexample missing");
    certmax_string_free(json);
    json = NULL;
    expect_error(certmax_verify_file("specs/no-such-spec.json", NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_UNREADABLE,
                 "no-such-spec.json", "missing file");
    CHECK(json == NULL, "no JSON on failure");
    expect_error(certmax_verify_file("specs/small-verified.json", "bogus", 0, 1, 1.0, &verdict, &json), CERTMAX_E_USAGE,
                 "method must be one of", "method");
    expect_error(certmax_verify_json("{\"model\": ", "specs", NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_INVALID,
                 "<spec>: malformed JSON", "malformed");
    expect_error(certmax_verify_json("{\"modle\": 1}", "specs", NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_INVALID,
                 "unknown field", "typo");
    expect_error(certmax_verify_json(NULL, NULL, NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_INVALID, "NULL", "NULL spec");
    certmax_string_free(NULL);

    /* A loaded spec: verified twice (two methods) with the file call's results. */
    certmax_spec *spec = NULL;
    s = certmax_spec_load_file("specs/small-verified.json", &spec);
    CHECK(s == CERTMAX_OK && spec != NULL, "load: %d %s", s, certmax_last_error());
    const char *methods[2] = {"interval", "zone"};
    for (int m = 0; m < 2; m++) {
        char *a = NULL, *b = NULL;
        int32_t va = -1, vb = -1;
        CHECK(certmax_spec_verify(spec, methods[m], 0, 7, 5.0, &va, &a) == CERTMAX_OK, "handle verify %s: %s", methods[m],
              certmax_last_error());
        CHECK(certmax_verify_file("specs/small-verified.json", methods[m], 0, 7, 5.0, &vb, &b) == CERTMAX_OK, "file verify");
        CHECK(a && b && va == vb, "verdicts %d %d", va, vb);
        /* Same JSON up to "stage_seconds" (wall-clock times, the last field). */
        const char *sa = a ? strstr(a, "\"stage_seconds\"") : NULL, *sb = b ? strstr(b, "\"stage_seconds\"") : NULL;
        CHECK(sa && sb && sa - a == sb - b && strncmp(a, b, (size_t)(sa - a)) == 0, "handle and file JSON differ (%s)", methods[m]);
        certmax_string_free(a);
        certmax_string_free(b);
    }
    certmax_spec_free(spec);
    spec = (certmax_spec *)1;
    expect_error(certmax_spec_load_file("specs/no-such-spec.json", &spec), CERTMAX_E_UNREADABLE, "no-such-spec.json", "load missing");
    CHECK(spec == NULL, "no handle on failure");
    expect_error(certmax_spec_load_json("[1]", NULL, &spec), CERTMAX_E_INVALID, "<spec>", "load JSON array");
    expect_error(certmax_spec_verify(NULL, NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_INVALID, "\"spec\" is NULL", "NULL handle");
    certmax_spec_free(NULL);
}

int main(void) {
    CHECK(strlen(certmax_version()) > 0, "version");
    CHECK(strcmp(certmax_last_error(), "") == 0, "fresh thread: empty message");
    test_softmax();
    test_softmax_errors();
    test_last_error_is_per_thread();
    test_vertex();
    test_zone();
    test_radius();
    test_verify();
    printf("certmax C API test: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
