#ifndef CERTMAX_COPENBLAS_H
#define CERTMAX_COPENBLAS_H
// The two OpenBLAS entry points the symbolic bound engine uses, declared here rather
// than through <cblas.h> (Debian's cblas.h is an alternatives link that may name the
// reference BLAS). Linked against libopenblas (Debian: libopenblas-dev).
//
// Rounding: dgemm sums in an unspecified order (blocked, with FMA); every caller bounds
// the result with the order-independent error bound |fl(AB) - AB| <= gamma_k |A||B|
// (Higham, Accuracy and Stability of Numerical Algorithms, 3.5) plus an underflow term.

enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113 };

void cblas_dgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA,
                 const enum CBLAS_TRANSPOSE TransB, const int M, const int N, const int K,
                 const double alpha, const double *A, const int lda, const double *B,
                 const int ldb, const double beta, double *C, const int ldc);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

/// Shim so the target has an object file.
int cm_openblas_threads(void);
#endif
