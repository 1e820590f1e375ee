# Finds descent's dependencies (Debian 12 packages; scripts/install-deps.sh installs them) and puts the
# flags that change xtensor's container type on one INTERFACE target, so every TU agrees (ODR).
set(BLA_VENDOR OpenBLAS)  # FindBLAS/FindLAPACK -> libopenblas.so, which also exports openblas_*
find_package(xtensor 0.24 REQUIRED)
find_package(xtensor-blas 0.20 REQUIRED)
find_package(BLAS REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)     # IDX .gz files
# .npz state dicts. Through pkg-config: Debian 12's libzip CMake config names the zipcmp tools,
# which live in packages of their own, and fails without them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
# MPI, for distributed/'s backend: optional; without it distributed/ is the one-process fallback.
# Only MPI's C API is used, so the deprecated C++ bindings are not linked.
option(DESCENT_WITH_MPI "Build distributed/'s MPI backend when MPI (Open MPI or MPICH) is found" ON)
if(DESCENT_WITH_MPI)
  set(MPI_CXX_SKIP_MPICXX TRUE)
  find_package(MPI COMPONENTS CXX)
  if(NOT MPI_CXX_FOUND)
    message(STATUS "descent: MPI not found; distributed/ is built as the single-process fallback")
    set(DESCENT_WITH_MPI OFF)
  endif()
endif()

# oneDNN, for kernels::gemm: optional; without it OpenBLAS computes every product. oneDNN picks its
# kernels from the CPU's features, where OpenBLAS 0.3.21 may fall back to SSE3 kernels on a CPU model
# it does not know (docs/design.md, "Which GEMM kernels run"). Its CMake config wants OpenCL's
# headers (ocl-icd-opencl-dev), though descent runs it on the CPU only. OpenMP: descent sets
# oneDNN's OpenMP thread count per call, so it links libgomp (but compiles nothing with -fopenmp).
option(DESCENT_WITH_ONEDNN "Compute matrix products with oneDNN (libdnnl-dev) when it is found" ON)
if(DESCENT_WITH_ONEDNN)
  find_package(dnnl 2.6 CONFIG QUIET)
  find_package(OpenMP COMPONENTS CXX)
  if(NOT dnnl_FOUND OR NOT OpenMP_CXX_FOUND)
    message(STATUS "descent: oneDNN (libdnnl-dev, ocl-icd-opencl-dev) not found; OpenBLAS computes matrix products")
    set(DESCENT_WITH_ONEDNN OFF)
  endif()
endif()

# ONNX, for descent::onnx (onnx/, export and import of .onnx models): optional. Debian's ONNX
# config needs find_package(Protobuf) first and does not pull libprotobuf-dev in. Only descent::onnx
# links them; the core library never sees protobuf.
option(DESCENT_ONNX "Build descent::onnx when ONNX (libonnx-dev) and Protobuf (libprotobuf-dev) are found" ON)
if(DESCENT_ONNX)
  find_package(Protobuf QUIET)
  if(Protobuf_FOUND)
    find_package(ONNX CONFIG QUIET)
  endif()
  if(NOT Protobuf_FOUND OR NOT ONNX_FOUND)
    message(STATUS "descent: ONNX or Protobuf (libonnx-dev, libprotobuf-dev) not found; descent::onnx is not built")
    set(DESCENT_ONNX OFF)
  endif()
  # The independent runtime the tests check exported models with (tests/onnx/run_ort.js):
  # npm's onnxruntime-node, where scripts/install-deps.sh installs it, run by node.
  find_program(DESCENT_NODE node)
  set(DESCENT_ORT_MODULE /opt/descent-deps/onnxruntime-node/node_modules/onnxruntime-node
      CACHE PATH "onnxruntime-node's package folder (scripts/install-deps.sh installs it)")
endif()

add_library(descent_flags INTERFACE)
# xsimd only in optimised builds: at -O0, GCC 12 defines its AVX-512 intrinsics as macros that
# xsimd 8.1's AVX-512BW kernels (xt::log among them) cannot call, and the Debug build fails.
target_link_libraries(descent_flags INTERFACE xtensor
  $<$<NOT:$<CONFIG:Debug>>:xtensor::use_xsimd>)
if(DESCENT_NATIVE)
  target_link_libraries(descent_flags INTERFACE xtensor::optimize)  # -march=native
elseif(DESCENT_ARCH)
  target_compile_options(descent_flags INTERFACE -march=${DESCENT_ARCH})
endif()
# Sanitizers and fuzzing instrument every TU that sees descent_flags: the library and its users.
if(DESCENT_SANITIZE STREQUAL "thread")
  target_compile_options(descent_flags INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(descent_flags INTERFACE -fsanitize=thread)
elseif(DESCENT_SANITIZE)
  target_compile_options(descent_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(descent_flags INTERFACE -fsanitize=address,undefined)
endif()
if(DESCENT_FUZZ)
  target_compile_options(descent_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-omit-frame-pointer -g)
endif()
