#!/usr/bin/env bash
# Builds descent in Release (its own build dir, benchmarks only) and runs bench_core, which prints
# the table of docs/benchmarks.md to stdout. Extra arguments go to bench_core (--threads N,
# --no-torch). The environment is used as it is: OPENBLAS_CORETYPE, if set, picks OpenBLAS's kernels.
#   scripts/bench.sh                          # 1 and 2 threads, + PyTorch if /usr/bin/python3 has it
#   env -u OPENBLAS_CORETYPE scripts/bench.sh # the same with OpenBLAS's autodetected kernels
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DESCENT_BENCH_BUILD_DIR:-$root/build-bench}"

# Build output goes to stderr so that stdout carries only the benchmark's table.
{
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=OFF -DDESCENT_BUILD_BENCHMARKS=ON
    ninja -j2 -C "$build" bench_core
} 1>&2

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo no-git)," \
     "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/benchmarks/bench_core" "$@"
