#!/usr/bin/env bash
# Installs the built descent into a fresh prefix, then builds and runs tests/consumer against it:
# through find_package(descent) and through pkg-config with a plain g++ line, both on a machine view
# without MPI (find_package(MPI) disabled; a pkg-config path without MPI's .pc files), since the
# core package must not need it; then the distributed component's consumer the same two ways, with
# MPI visible. Also checks that the installed package carries none of descent's own build flags.
#   tests/consumer/check.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > /dev/null
leaks=$(grep -rhE --include='*.cmake' --include='*.pc' -e '-march|XTENSOR_USE_XSIMD|xtensor|xsimd' \
          "$work/prefix/lib" | grep -vE '^\s*#' || true)
if [ -n "$leaks" ]; then
  echo "consumer: the installed package passes descent's build flags or xtensor on: $leaks" >&2
  exit 1
fi

# The core package on a machine view without MPI.
cmake -S "$here" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_DISABLE_FIND_PACKAGE_MPI=ON > "$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; echo "consumer: find_package(descent) needs MPI" >&2; exit 1; }
cmake --build "$work/cmake-build" > /dev/null
"$work/cmake-build/consumer"
mkdir "$work/pc-without-mpi"
for dir in $(pkg-config --variable pc_path pkg-config | tr ':' ' '); do
  for pc in "$dir"/*.pc; do
    case "$(basename "$pc")" in mpi*.pc | ompi*.pc | orte*.pc) continue ;; esac
    [ -e "$pc" ] && [ ! -e "$work/pc-without-mpi/$(basename "$pc")" ] && ln -s "$pc" "$work/pc-without-mpi/"
  done
done
flags=$(PKG_CONFIG_LIBDIR="$work/prefix/lib/pkgconfig:$work/pc-without-mpi" pkg-config --cflags --libs descent) ||
  { echo "consumer: pkg-config descent needs MPI's .pc files" >&2; exit 1; }
# shellcheck disable=SC2086
g++ -O2 "$here/main.cpp" -o "$work/consumer-pc" $flags
"$work/consumer-pc"

# The distributed component, with MPI visible.
cmake -S "$here" -B "$work/cmake-build-distributed" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DWITH_DISTRIBUTED=ON > /dev/null
cmake --build "$work/cmake-build-distributed" > /dev/null
"$work/cmake-build-distributed/distributed_consumer"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
g++ -O2 "$here/distributed_main.cpp" -o "$work/distributed-consumer-pc" \
    $(pkg-config --cflags --libs descent-distributed)
"$work/distributed-consumer-pc"
# The onnx component, when descent was built with it.
if [ -f "$work/prefix/lib/cmake/descent/descentOnnxTargets.cmake" ]; then
  cmake -S "$here" -B "$work/cmake-build-onnx" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
        -DWITH_ONNX=ON > /dev/null
  cmake --build "$work/cmake-build-onnx" > /dev/null
  TMPDIR="$work" "$work/cmake-build-onnx/onnx_consumer"
fi
echo "consumer: find_package and pkg-config builds ran, the core package's without MPI"
