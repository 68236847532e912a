#include "COpenBLAS.h"
int cm_openblas_threads(void) { return openblas_get_num_threads(); }
