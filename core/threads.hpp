// Thread control: the size of descent's thread pool (kernels/parallel.hpp), which splits large
// matrix products; OpenBLAS itself runs on one thread.
#pragma once

#include <string>

namespace descent {

// Threads a matrix product may use, the caller's included (torch::set_num_threads). The default is
// one per core, or OPENBLAS_NUM_THREADS / OMP_NUM_THREADS when set.
void set_num_threads(int n);  // n in [1, num_cores()]; ValueError otherwise
int get_num_threads();
// The cores of this machine (at least 1): the most threads set_num_threads accepts.
int num_cores();
// The OpenBLAS kernel set chosen for this CPU (e.g. "Cooperlake", "Haswell"): log it with
// benchmarks.
std::string blas_core_name();
// Who computes matrix products, and with which kernels, e.g. "oneDNN 2.6.3 sgemm (avx512_core_amx)"
// or "OpenBLAS 0.3.21 sgemm (SkylakeX kernels)": print it with every figure.
std::string gemm_backend();
// Who computes float convolutions: "oneDNN 2.6.3 direct convolution (avx512_core_amx)", or
// "im2col + " the matrix products' backend.
std::string conv_backend();

}  // namespace descent
