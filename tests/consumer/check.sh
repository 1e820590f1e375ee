#!/usr/bin/env bash
# Installs the built descent into a fresh prefix, then builds and runs tests/consumer against it
# twice: through find_package(descent) and through pkg-config with a plain g++ line. Also checks
# that the installed package carries none of descent's own build flags (-march, xsimd).
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
cmake -S "$here" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > /dev/null
cmake --build "$work/cmake-build" > /dev/null
"$work/cmake-build/consumer"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
g++ -O2 "$here/main.cpp" -o "$work/consumer-pc" $(pkg-config --cflags --libs descent)
"$work/consumer-pc"
echo "consumer: find_package and pkg-config builds both ran"
