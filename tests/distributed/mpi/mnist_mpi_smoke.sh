#!/usr/bin/env bash
# ctest's mpi_mnist_mlp: examples/mnist_mlp under mpirun -np 2 as the README runs it, unchanged
# flags: 2 epochs in one go vs 1 epoch, a checkpoint and --resume, which must print the same
# epoch-2 figures and final confusion matrix; resuming on 3 ranks is refused on every rank.
#   mnist_mpi_smoke.sh MNIST_MLP MPIRUN...  (MPIRUN without -np: e.g. mpirun --oversubscribe)
set -euo pipefail
mlp=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--hidden 32 --threads 1 --validation 1000 --schedule none --seed 3)
figures() { sed -n -e 's/^\(epoch  *2\/2  train loss.*test acc [0-9.]*%\).*/\1/p' \
                   -e '/^test accuracy/,$p' "$1"; }

"$@" -np 2 "$mlp" "${flags[@]}" --epochs 2 > "$work/whole.txt"
grep -q "2 ranks, global batch 128" "$work/whole.txt"
"$@" -np 2 "$mlp" "${flags[@]}" --epochs 1 --checkpoint "$work/ck.npz" > "$work/first.txt"
if "$@" -np 3 "$mlp" "${flags[@]}" --epochs 2 --resume "$work/ck.npz" > "$work/three.txt" 2>&1; then
  echo "mnist_mpi_smoke.sh: resuming a 2-rank checkpoint on 3 ranks was not refused" >&2; exit 1
fi
grep -q "the checkpoint is of a run of 2 ranks and cannot continue on 3" "$work/three.txt" || {
  cat "$work/three.txt"; echo "mnist_mpi_smoke.sh: no reason given on 3 ranks" >&2; exit 1; }
"$@" -np 2 "$mlp" "${flags[@]}" --epochs 2 --resume "$work/ck.npz" > "$work/resumed.txt"
figures "$work/whole.txt" > "$work/a"
figures "$work/resumed.txt" > "$work/b"
[ -s "$work/a" ] || { echo "mnist_mpi_smoke.sh: no figures in the output" >&2; exit 1; }
diff "$work/a" "$work/b" || { echo "mnist_mpi_smoke.sh: the resumed run differs" >&2; exit 1; }
echo "mnist_mpi_smoke.sh: 2 ranks, resumed = uninterrupted; 3 ranks refused"
