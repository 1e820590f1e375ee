# libdescent: one library built from the layers (docs/design.md), compiled once and linked by tests,
# examples and benchmarks; static by default, shared with -DBUILD_SHARED_LIBS=ON. Users include
# <descent/...> and link descent::descent (CMake) or use pkg-config's descent.pc. distributed/ is
# its own library, descent::distributed (descent-distributed.pc), so that only its users need MPI.
set(DESCENT_LAYERS core io autograd data nn optim train distributed study)
set(DESCENT_SOURCES)
foreach(layer ${DESCENT_LAYERS})
  file(GLOB_RECURSE layer_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${layer}/*.cpp)
  list(APPEND DESCENT_SOURCES ${layer_sources})
endforeach()
set(DESCENT_DISTRIBUTED_SOURCES ${DESCENT_SOURCES})
list(FILTER DESCENT_SOURCES EXCLUDE REGEX "/distributed/")
list(FILTER DESCENT_DISTRIBUTED_SOURCES INCLUDE REGEX "/distributed/")
# distributed/'s MPI backend is the one file that includes <mpi.h>; without MPI, the
# single-process fallback alone is built.
if(NOT DESCENT_WITH_MPI)
  list(FILTER DESCENT_DISTRIBUTED_SOURCES EXCLUDE REGEX "/distributed/mpi_communicator[.]cpp$")
endif()

# The math line above every node's apply(), as the committed table study/op_formulas.cpp (read by
# study/formulas.hpp, the HTML stepper) and docs/backprop.md's op table: both written by
# tools/gen_op_formulas.cpp, which no library build runs, so a comment's layout cannot break the
# build. The ctests op_formulas_match_code and docs_op_table_matches_code (tests/CMakeLists.txt)
# fail when either drifts; `cmake --build build --target update_op_table` rewrites both.
add_executable(gen_op_formulas ${PROJECT_SOURCE_DIR}/tools/gen_op_formulas.cpp)
file(GLOB DESCENT_NODE_SOURCES CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/autograd/*.hpp ${PROJECT_SOURCE_DIR}/autograd/*.cpp
     ${PROJECT_SOURCE_DIR}/autograd/ops/*.cpp ${PROJECT_SOURCE_DIR}/nn/functional/*.cpp)
list(SORT DESCENT_NODE_SOURCES)
set(DESCENT_NODE_SOURCES ${DESCENT_NODE_SOURCES} CACHE INTERNAL "sources holding autograd nodes")
add_custom_target(update_op_table
  COMMAND gen_op_formulas update-cpp study/op_formulas.cpp ${DESCENT_NODE_SOURCES}
  COMMAND gen_op_formulas update-doc docs/backprop.md ${DESCENT_NODE_SOURCES}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} VERBATIM)

add_library(descent ${DESCENT_SOURCES})
add_library(descent::descent ALIAS descent)

# <descent/core/tensor.hpp> resolves to core/tensor.hpp in this tree through a link in the build tree,
# so the sources need no include/ folder of their own.
set(DESCENT_INCLUDE_ROOT ${PROJECT_BINARY_DIR}/include)
file(MAKE_DIRECTORY ${DESCENT_INCLUDE_ROOT})
file(CREATE_LINK ${PROJECT_SOURCE_DIR} ${DESCENT_INCLUDE_ROOT}/descent SYMBOLIC)

target_include_directories(descent PUBLIC
  $<BUILD_INTERFACE:${DESCENT_INCLUDE_ROOT}>
  $<INSTALL_INTERFACE:include>)
target_compile_options(descent PRIVATE -Wall -Wextra)
# `#pragma omp simd` lets float reductions vectorise without -ffast-math; no OpenMP runtime.
target_compile_options(descent PRIVATE -fopenmp-simd)
# The public headers need C++17 (std::optional, structured bindings) and nothing of xtensor: the
# build flags (-march, xsimd) stay private, so a consumer's binary is as portable as its own flags.
target_compile_features(descent PUBLIC cxx_std_17)
# Every library TU parses the same standard headers and core/tensor.hpp (~65k preprocessed lines)
# before its own code; a precompiled header parses them once per build (docs/benchmarks.md has the
# build times). CI builds one job without it, so that each file still includes what it uses.
option(DESCENT_PCH "precompile the library's common headers" ON)
if(DESCENT_PCH)
  target_precompile_headers(descent PRIVATE
    <algorithm> <cmath> <cstring> <functional> <limits> <memory> <optional> <ostream> <sstream>
    <string> <tuple> <unordered_map> <vector>
    "${PROJECT_SOURCE_DIR}/core/error.hpp" "${PROJECT_SOURCE_DIR}/core/tensor.hpp")
endif()
set_target_properties(descent PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
                      POSITION_INDEPENDENT_CODE ${BUILD_SHARED_LIBS})
target_link_libraries(descent
  PUBLIC Threads::Threads
  PRIVATE $<BUILD_INTERFACE:descent_flags> ${BLAS_LIBRARIES} ZLIB::ZLIB PkgConfig::LIBZIP)
if(DESCENT_WITH_ONEDNN)
  # Link only: OpenMP's -fopenmp would reach every TU; blas.cpp and conv_onednn.cpp only call
  # omp_set_num_threads.
  target_link_libraries(descent PRIVATE DNNL::dnnl $<LINK_ONLY:OpenMP::OpenMP_CXX>)
  set_property(SOURCE ${PROJECT_SOURCE_DIR}/core/kernels/blas.cpp
               ${PROJECT_SOURCE_DIR}/core/kernels/conv_onednn.cpp APPEND PROPERTY
               COMPILE_DEFINITIONS DESCENT_WITH_ONEDNN)
endif()

# descent::distributed: data parallel training (distributed/), on top of descent::descent.
add_library(descent_distributed ${DESCENT_DISTRIBUTED_SOURCES})
add_library(descent::distributed ALIAS descent_distributed)
set_target_properties(descent_distributed PROPERTIES EXPORT_NAME distributed VERSION ${PROJECT_VERSION}
                      SOVERSION ${PROJECT_VERSION_MAJOR} POSITION_INDEPENDENT_CODE ${BUILD_SHARED_LIBS})
target_compile_options(descent_distributed PRIVATE -Wall -Wextra)
target_link_libraries(descent_distributed PUBLIC descent PRIVATE $<BUILD_INTERFACE:descent_flags>)
if(DESCENT_WITH_MPI)
  # Private: a consumer gets no MPI flags; a static library brings MPI onto the link line.
  target_link_libraries(descent_distributed PRIVATE MPI::MPI_CXX)
  set_property(SOURCE ${PROJECT_SOURCE_DIR}/distributed/environment.cpp APPEND PROPERTY
               COMPILE_DEFINITIONS DESCENT_WITH_MPI)
endif()

# descent::onnx: ONNX export and import (onnx/), on top of descent::descent. ONNX's and protobuf's
# headers stay inside its sources, so its users (and the core library) need neither to compile.
if(DESCENT_ONNX)
  file(GLOB DESCENT_ONNX_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/onnx/*.cpp)
  add_library(descent_onnx ${DESCENT_ONNX_SOURCES})
  add_library(descent::onnx ALIAS descent_onnx)
  set_target_properties(descent_onnx PROPERTIES EXPORT_NAME onnx VERSION ${PROJECT_VERSION}
                        SOVERSION ${PROJECT_VERSION_MAJOR} POSITION_INDEPENDENT_CODE ${BUILD_SHARED_LIBS})
  target_compile_options(descent_onnx PRIVATE -Wall -Wextra)
  target_link_libraries(descent_onnx PUBLIC descent PRIVATE $<BUILD_INTERFACE:descent_flags> onnx)
endif()

# Install: headers under include/descent/, the library, and a package config for find_package(descent).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
foreach(layer ${DESCENT_LAYERS})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/descent/${layer}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/descent.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/descent)
install(TARGETS descent EXPORT descentTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT descentTargets NAMESPACE descent:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/descent)
# Its own export set: descentConfig.cmake reads it (and looks for MPI) only for
# find_package(descent COMPONENTS distributed).
install(TARGETS descent_distributed EXPORT descentDistributedTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT descentDistributedTargets NAMESPACE descent::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/descent)
if(DESCENT_ONNX)
  # Its own export set too: read only for find_package(descent COMPONENTS onnx).
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/onnx/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/descent/onnx
          FILES_MATCHING PATTERN "*.hpp")
  install(TARGETS descent_onnx EXPORT descentOnnxTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT descentOnnxTargets NAMESPACE descent:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/descent)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/descentConfig.cmake.in
  ${PROJECT_BINARY_DIR}/descentConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/descent)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/descentConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/descentConfig.cmake ${PROJECT_BINARY_DIR}/descentConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/descent)

# pkg-config: `g++ -std=c++17 main.cpp $(pkg-config --cflags --libs descent)`. A static libdescent
# needs its own dependencies on the link line, so they are in Libs/Requires; a shared one hides them.
if(BUILD_SHARED_LIBS)
  set(DESCENT_PC_REQUIRES "")
  set(DESCENT_PC_REQUIRES_PRIVATE "openblas zlib libzip")
  set(DESCENT_PC_LIBS_DEPS "-pthread")
else()
  set(DESCENT_PC_REQUIRES "openblas zlib libzip")
  set(DESCENT_PC_REQUIRES_PRIVATE "")
  set(DESCENT_PC_LIBS_DEPS "-pthread")
  if(DESCENT_WITH_ONEDNN)  # oneDNN ships no .pc file; libgomp is the compiler's own
    string(APPEND DESCENT_PC_LIBS_DEPS " -ldnnl -lgomp")
  endif()
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/descent.pc.in ${PROJECT_BINARY_DIR}/descent.pc @ONLY)
# descent-distributed.pc: descent plus distributed/, and MPI's C library (Debian's mpi-c) for a
# static build with the MPI backend.
set(DESCENT_DISTRIBUTED_PC_REQUIRES "descent")
if(DESCENT_WITH_MPI AND NOT BUILD_SHARED_LIBS)
  string(APPEND DESCENT_DISTRIBUTED_PC_REQUIRES " mpi-c")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/descent-distributed.pc.in
               ${PROJECT_BINARY_DIR}/descent-distributed.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/descent.pc ${PROJECT_BINARY_DIR}/descent-distributed.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# GCC 12 warns inside its own AVX-512 intrinsics header (the deliberately undefined __Y of
# _mm512_undefined_*) wherever xsimd inlines them: a known false positive, silenced in the TUs that
# use xsimd only.
set_source_files_properties(
  ${PROJECT_SOURCE_DIR}/core/kernels/elementwise.cpp
  ${PROJECT_SOURCE_DIR}/core/kernels/softmax.cpp
  PROPERTIES COMPILE_OPTIONS "-Wno-uninitialized;-Wno-maybe-uninitialized")

# optim/: the optimizers match torch.optim bit for bit, so a*b + c is never fused into one rounding
# by the compiler (GCC's default for C++ is -ffp-contract=fast); the multiply-adds torch fuses are
# written out as fmadd() (optim/update_math.hpp). And without errno the update loops' square roots
# vectorise (4x faster steps), with the same results: sqrt is exact either way. For every source
# directly in optim/, so that a new optimizer's .cpp gets them too (the schedulers are not here).
# These flags change predefined macros, so the precompiled header (built without them) is skipped.
file(GLOB DESCENT_OPTIM_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/optim/*.cpp)
set_source_files_properties(${DESCENT_OPTIM_SOURCES}
  PROPERTIES COMPILE_OPTIONS "-ffp-contract=off;-fno-math-errno" SKIP_PRECOMPILE_HEADERS ON)
