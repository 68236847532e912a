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

/* ---- Hostile arguments: every class of bad value on every entry point returns a status
 * (never a trap), and extreme but valid values give finite, sound results. ------------ */

static void test_hostile_pointers(void) {
    double L[2] = {0, 1}, U[2] = {1, 2}, C[2] = {1, -1}, o1[4], o2[4], ex[2];
    int32_t cert[1], verdict;
    char *json = NULL;
    certmax_spec *spec = NULL;
    /* Each pointer argument NULL in turn (outputs the functions may not skip). */
    expect_error(certmax_softmax_bounds(L, 2, NULL, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "\"upper\" is NULL", "sm upper");
    expect_error(certmax_softmax_bounds(L, 2, U, 2, 1, 2, 1.0, o1, NULL), CERTMAX_E_INVALID, "\"upper_out\" is NULL", "sm upper_out");
    expect_error(certmax_softmax_bounds_f32(NULL, 2, NULL, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "NULL", "sm f32");
    expect_error(certmax_log_softmax_bounds(NULL, 2, U, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "NULL", "log lower");
    expect_error(certmax_log_softmax_bounds_f32(NULL, 2, NULL, 2, 1, 2, 1.0, NULL, NULL), CERTMAX_E_INVALID, "NULL", "log f32");
    expect_error(certmax_vertex_objective(C, 2, NULL, 2, U, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "NULL", "vx lower");
    expect_error(certmax_vertex_objective(C, 2, L, 2, NULL, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "NULL", "vx upper");
    expect_error(certmax_vertex_objective(C, 2, L, 2, U, 2, 1, 2, 1.0, NULL, o2, NULL, NULL), CERTMAX_E_INVALID, "NULL", "vx min");
    expect_error(certmax_vertex_objective(C, 2, L, 2, U, 2, 1, 2, 1.0, o1, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "vx max");
    expect_error(certmax_zone_objective(NULL, L, U, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "zone c");
    expect_error(certmax_zone_objective(C, NULL, U, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "zone l");
    expect_error(certmax_zone_objective(C, L, NULL, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "zone u");
    expect_error(certmax_zone_objective(C, L, U, 2, NULL, 1.0, NULL, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "zone min");
    expect_error(certmax_zone_objective(C, L, U, 2, NULL, 1.0, o1, NULL, NULL, NULL, NULL), CERTMAX_E_INVALID, "NULL", "zone max");
    expect_error(certmax_taylor_radius(NULL, 2, U, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "NULL", "radius logits");
    expect_error(certmax_taylor_radius(L, 2, NULL, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "NULL", "radius dirs");
    expect_error(certmax_taylor_radius(L, 2, U, 2, 1, 2, 1.0, NULL, o2), CERTMAX_E_INVALID, "NULL", "radius rho");
    expect_error(certmax_taylor_radius_f32(NULL, 2, NULL, 2, 1, 2, 1.0, o1, NULL), CERTMAX_E_INVALID, "NULL", "radius f32");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, 1.0, 1e-6, 100, o1, o2, NULL, cert), CERTMAX_E_INVALID, "NULL", "exact out");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, 1.0, 1e-6, 100, o1, o2, ex, NULL), CERTMAX_E_INVALID, "NULL", "exact cert");
    expect_error(certmax_taylor_radius_exact(NULL, 2, U, 2, 1, 2, 1.0, 1e-6, 100, o1, o2, ex, cert), CERTMAX_E_INVALID, "NULL", "exact z");
    expect_error(certmax_verify_file(NULL, NULL, 0, 1, 1.0, &verdict, &json), CERTMAX_E_INVALID, "NULL", "verify path");
    expect_error(certmax_verify_file("specs/small-verified.json", NULL, 0, 1, 1.0, NULL, &json), CERTMAX_E_INVALID, "NULL", "verdict");
    expect_error(certmax_verify_file("specs/small-verified.json", NULL, 0, 1, 1.0, &verdict, NULL), CERTMAX_E_INVALID, "NULL", "json");
    expect_error(certmax_verify_json("{}", NULL, NULL, 0, 1, 1.0, &verdict, NULL), CERTMAX_E_INVALID, "NULL", "verify_json out");
    expect_error(certmax_spec_load_file(NULL, &spec), CERTMAX_E_INVALID, "NULL", "load NULL path");
    expect_error(certmax_spec_load_file("specs/small-verified.json", NULL), CERTMAX_E_INVALID, "NULL", "load NULL out");
    expect_error(certmax_spec_load_json(NULL, NULL, &spec), CERTMAX_E_INVALID, "NULL", "load_json NULL");
    expect_error(certmax_spec_load_file("/dev/null", &spec), CERTMAX_E_INVALID, "", "load empty file");
    expect_error(certmax_spec_load_file("specs", &spec), CERTMAX_E_UNREADABLE, "directory", "load a directory");
    expect_error(certmax_verify_file("specs/small-verified.json", "vertex", 0, 1, NAN, &verdict, &json), CERTMAX_E_USAGE,
                 "attack_seconds", "NaN attack seconds");
    expect_error(certmax_verify_file("specs/small-verified.json", "vertex", 0, 1, -1.0, &verdict, &json), CERTMAX_E_USAGE,
                 "attack_seconds", "negative attack seconds");
}

static void test_hostile_sizes(void) {
    double L[2] = {0, 1}, U[2] = {1, 2}, C[2] = {1, -1}, o1[4], o2[4], ex[2];
    int32_t cert[1];
    const ptrdiff_t big = PTRDIFF_MAX / 2 + 1;
    /* Sizes and strides that overflow or exceed CERTMAX_MAX_K are refused before any read. */
    expect_error(certmax_softmax_bounds(L, 2, U, 2, 1, -7, 1.0, o1, o2), CERTMAX_E_INVALID, "\"k\" must be >= 1", "k < 0");
    expect_error(certmax_softmax_bounds(L, 2, U, 2, 0, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "\"rows\" must be >= 1", "rows 0");
    expect_error(certmax_softmax_bounds(L, CERTMAX_MAX_K + 1, U, CERTMAX_MAX_K + 1, 1, CERTMAX_MAX_K + 1, 1.0, o1, o2),
                 CERTMAX_E_INVALID, "CERTMAX_MAX_K", "k too large");
    expect_error(certmax_softmax_bounds(L, PTRDIFF_MAX, U, PTRDIFF_MAX, 1, PTRDIFF_MAX, 1.0, o1, o2), CERTMAX_E_INVALID,
                 "CERTMAX_MAX_K", "k = PTRDIFF_MAX");
    expect_error(certmax_softmax_bounds(L, 2, U, 2, big, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "overflows", "rows x k");
    expect_error(certmax_softmax_bounds(L, big, U, 2, 3, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "overflows", "stride x rows");
    expect_error(certmax_softmax_bounds(L, -2, U, 2, 1, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "lower_stride", "negative stride");
    expect_error(certmax_vertex_objective(C, -1, L, 2, U, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "c_stride", "c stride");
    expect_error(certmax_vertex_objective(C, 2, L, 2, U, 2, 1, CERTMAX_MAX_K * 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID,
                 "", "vertex k");
    expect_error(certmax_zone_objective(C, L, U, 0, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "\"k\"", "zone k 0");
    expect_error(certmax_zone_objective(C, L, U, PTRDIFF_MAX, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "",
                 "zone huge k");
    expect_error(certmax_taylor_radius(L, 2, U, 2, big, 2, 1.0, o1, o2), CERTMAX_E_INVALID, "overflows", "radius rows");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, -3, 1.0, 1e-6, 100, o1, o2, ex, cert), CERTMAX_E_INVALID, "\"k\"",
                 "exact k");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, 1.0, 1e-6, -5, o1, o2, ex, cert), CERTMAX_E_USAGE,
                 "max_arc_evaluations", "negative budget");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, 1.0, 0.0, 5, o1, o2, ex, cert), CERTMAX_E_USAGE,
                 "relative_width", "zero width");
    expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, 1.0, NAN, 5, o1, o2, ex, cert), CERTMAX_E_USAGE,
                 "relative_width", "NaN width");
}

/* Non-finite and out-of-range values on every computing entry point. */
static void test_hostile_values(void) {
    double L[2] = {0, 1}, U[2] = {1, 2}, C[2] = {1, -1}, o1[4], o2[4], ex[2];
    int32_t cert[1];
    const double temps[5] = {0.0, -0.0, -1.0, INFINITY, NAN};
    for (int i = 0; i < 5; i++) {
        double t = temps[i];
        expect_error(certmax_softmax_bounds(L, 2, U, 2, 1, 2, t, o1, o2), CERTMAX_E_INVALID, "temperature", "sm T");
        expect_error(certmax_log_softmax_bounds(L, 2, U, 2, 1, 2, t, o1, o2), CERTMAX_E_INVALID, "temperature", "log T");
        expect_error(certmax_vertex_objective(C, 2, L, 2, U, 2, 1, 2, t, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "temperature", "vx T");
        expect_error(certmax_zone_objective(C, L, U, 2, NULL, t, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "temperature", "zone T");
        expect_error(certmax_taylor_radius(L, 2, U, 2, 1, 2, t, o1, o2), CERTMAX_E_INVALID, "temperature", "radius T");
        expect_error(certmax_taylor_radius_exact(L, 2, U, 2, 1, 2, t, 1e-6, 100, o1, o2, ex, cert), CERTMAX_E_INVALID,
                     "temperature", "exact T");
    }
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; i++) {
        double Lb[2] = {0, bad[i]}, Cb[2] = {bad[i], 0};
        expect_error(certmax_vertex_objective(C, 2, Lb, 2, U, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "\"lower\"[1]",
                     "vx bad lower");
        expect_error(certmax_vertex_objective(Cb, 2, L, 2, U, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "\"c\"[0]",
                     "vx bad c");
        expect_error(certmax_zone_objective(Cb, L, U, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "\"c\"[0]",
                     "zone bad c");
        expect_error(certmax_zone_objective(C, Lb, U, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "\"lower\"[1]",
                     "zone bad lower");
        expect_error(certmax_taylor_radius_exact(L, 2, Lb, 2, 1, 2, 1.0, 1e-6, 100, o1, o2, ex, cert), CERTMAX_E_INVALID,
                     "directions[0][1]", "exact bad direction");
    }
    /* lower > upper on the objective entry points. */
    expect_error(certmax_vertex_objective(C, 2, U, 2, L, 2, 1, 2, 1.0, o1, o2, NULL, NULL), CERTMAX_E_INVALID, "is greater than", "vx l>u");
    expect_error(certmax_zone_objective(C, U, L, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "is greater than", "zone l>u");
    double Cbig[2] = {1e301, 0};
    expect_error(certmax_zone_objective(Cbig, L, U, 2, NULL, 1.0, o1, o2, NULL, NULL, NULL), CERTMAX_E_INVALID, "\"c\"[0]", "zone |c|");
}

/* Extreme but valid inputs: finite, ordered, sound results (no NaN reaches the caller). */
static void test_hostile_extremes(void) {
    const double M = 1.7976931348623157e308;
    double L[2] = {-M, M}, U[2] = {M, M}, C[2] = {1, -1}, lo[2], hi[2], mn[2], mx[2];
    const double temps[5] = {1e-3, 1.0, 1e300, 1e-320, 4.9406564584124654e-324};
    for (int i = 0; i < 5; i++) {
        double t = temps[i];
        CHECK(certmax_softmax_bounds(L, 2, U, 2, 1, 2, t, lo, hi) == CERTMAX_OK, "extreme box T=%g: %s", t, certmax_last_error());
        for (int j = 0; j < 2; j++)
            CHECK(0 <= lo[j] && lo[j] <= hi[j] && hi[j] <= 1, "extreme box T=%g j=%d: [%g, %g]", t, j, lo[j], hi[j]);
        CHECK(certmax_log_softmax_bounds(L, 2, U, 2, 1, 2, t, lo, hi) == CERTMAX_OK, "log extreme T=%g: %s", t, certmax_last_error());
        for (int j = 0; j < 2; j++) CHECK(!isnan(lo[j]) && lo[j] <= hi[j] && hi[j] <= 0, "log T=%g j=%d: [%g, %g]", t, j, lo[j], hi[j]);
        CHECK(certmax_vertex_objective(C, 2, L, 2, U, 2, 1, 2, t, mn, mx, NULL, NULL) == CERTMAX_OK, "vertex extreme T=%g: %s", t,
              certmax_last_error());
        CHECK(-1 - 1e-12 <= mn[0] && mn[0] <= mn[1] && mx[0] <= mx[1] && mx[1] <= 1 + 1e-12, "vertex T=%g: [%g, %g] [%g, %g]", t, mn[0], mn[1],
              mx[0], mx[1]);
        CHECK(certmax_zone_objective(C, L, U, 2, NULL, t, mn, mx, NULL, NULL, NULL) == CERTMAX_OK, "zone extreme T=%g: %s", t,
              certmax_last_error());
        CHECK(-1 - 1e-12 <= mn[0] && mn[0] <= mn[1] && mx[0] <= mx[1] && mx[1] <= 1 + 1e-12, "zone T=%g: [%g, %g] [%g, %g]", t, mn[0], mn[1], mx[0],
              mx[1]);
    }
    /* Subnormal temperatures in the radius: z = (0, 1), a = (1, 0) has radius sqrt(1 + (pi T)^2) ~ 1
     * (the closed form was NaN at T = 1e-320 before). */
    double z[2] = {0, 1}, a[2] = {1, 0}, rho[1], ref[1], ex[2];
    int32_t cert[1];
    const double rt[3] = {1e-320, 1e-300, 4.9406564584124654e-324};
    for (int i = 0; i < 3; i++) {
        CHECK(certmax_taylor_radius_exact(z, 2, a, 2, 1, 2, rt[i], 1e-6, 1000, rho, ref, ex, cert) == CERTMAX_OK,
              "radius T=%g: %s", rt[i], certmax_last_error());
        CHECK(cert[0] == 1 && ex[0] <= 1 && ex[1] >= 1 && ex[1] - ex[0] < 1e-14 && rho[0] <= ref[0] && ref[0] <= ex[0],
              "radius T=%g: rho_a %g refined %g [%.17g, %.17g] certified %d", rt[i], rho[0], ref[0], ex[0], ex[1], cert[0]);
    }
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
    test_hostile_pointers();
    test_hostile_sizes();
    test_hostile_values();
    test_hostile_extremes();
    printf("certmax C API test: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
