#!/usr/bin/env bash
# The figures of docs/distributed.md: bench_ddp for W1, W2, W3 on 1 process and on 2 (overlap on
# and off), RUNS runs each, one BLAS thread per rank; prints every line, then sorts them for medians.
#   benchmarks/bench_ddp.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$1 runs=${2:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe -np 2)
for w in W1 W2 W3; do
  steps=$([ "$w" = W1 ] && echo 400 || echo 150)
  for r in $(seq "$runs"); do
    "$build/benchmarks/bench_ddp" --workload "$w" --steps "$steps"
    "${mpirun[@]}" "$build/benchmarks/bench_ddp" --workload "$w" --steps "$steps"
    "${mpirun[@]}" "$build/benchmarks/bench_ddp" --workload "$w" --steps "$steps" --no-overlap
  done
done
