// Thread control. descent's only parallel code is OpenBLAS (matrix products); this sets its pool.
#pragma once

#include <string>

namespace descent {

// Threads OpenBLAS may use (torch::set_num_threads). The default is one per core, or
// OPENBLAS_NUM_THREADS / OMP_NUM_THREADS when set. Products with fewer than 16 rows or columns run
// on one thread (kernels/blas.cpp says why).
void set_num_threads(int n);
int get_num_threads();
// The OpenBLAS kernel set chosen for this CPU (e.g. "Cooperlake", "Haswell"): log it with
// benchmarks.
std::string blas_core_name();

}  // namespace descent
