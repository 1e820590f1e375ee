#!/usr/bin/env bash
# Builds descent in Release (its own build dir, benchmarks only) and runs a benchmark, which prints
# its table of docs/benchmarks.md to stdout: bench_core (ops against bare BLAS) by default, bench_mlp
# (workloads W1-W4 on Fashion-MNIST) with `mlp` as first argument, bench_seq (W5 char-LSTM, W6 tiny
# GPT on the fortunes corpus) with `seq`. Other arguments go to the
# benchmark (--threads N, --no-torch, --runs N). The environment is used as it is:
# OPENBLAS_CORETYPE, if set, picks OpenBLAS's kernels.
#   scripts/bench.sh                          # 1 and 2 threads, + PyTorch if /usr/bin/python3 has it
#   scripts/bench.sh mlp --runs 5             # W1, W2, W4 against PyTorch, median of 5 epochs
#   scripts/bench.sh seq --threads 1          # W5 and W6 against PyTorch, 200 steps
#   env -u OPENBLAS_CORETYPE scripts/bench.sh # the same with OpenBLAS's autodetected kernels
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DESCENT_BENCH_BUILD_DIR:-$root/build-bench}"
bench=bench_core
case "${1:-}" in
    core) shift ;;
    mlp) bench=bench_mlp; shift ;;
    seq) bench=bench_seq; shift ;;
esac

# Build output goes to stderr so that stdout carries only the benchmark's table.
{
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=OFF -DDESCENT_BUILD_BENCHMARKS=ON
    ninja -j2 -C "$build" "$bench"
} 1>&2

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo no-git)," \
     "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/benchmarks/$bench" "$@"
