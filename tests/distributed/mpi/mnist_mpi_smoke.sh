#!/usr/bin/env bash
# ctest's mpi_mnist_mlp: examples/mnist_mlp under mpirun -np 2 as the README runs it, unchanged
# flags: 2 epochs in one go vs 1 epoch, a checkpoint and --resume, which must print the same
# epoch-2 figures and final confusion matrix; resuming on 3 ranks is refused on every rank, as
# are a one-process run's checkpoint and ranks started with different --lr, --epochs or --optimizer.
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
# A one-process run's checkpoint on 2 ranks: refused on every rank, saying what to do.
"$mlp" "${flags[@]}" --epochs 1 --checkpoint "$work/one.npz" > /dev/null
if "$@" -np 2 "$mlp" "${flags[@]}" --epochs 2 --resume "$work/one.npz" > "$work/one.txt" 2>&1; then
  echo "mnist_mpi_smoke.sh: resuming a 1-process checkpoint on 2 ranks was not refused" >&2; exit 1
fi
for r in 0 1; do
  grep -qF "[rank $r] mnist_mlp: --resume: $work/one.npz is the checkpoint of a run on 1 process and cannot continue on 2 ranks" "$work/one.txt" || {
    cat "$work/one.txt"; echo "mnist_mpi_smoke.sh: rank $r did not say why" >&2; exit 1; }
done
"$@" -np 2 "$mlp" "${flags[@]}" --epochs 2 --resume "$work/ck.npz" > "$work/resumed.txt"
figures "$work/whole.txt" > "$work/a"
figures "$work/resumed.txt" > "$work/b"
[ -s "$work/a" ] || { echo "mnist_mpi_smoke.sh: no figures in the output" >&2; exit 1; }
diff "$work/a" "$work/b" || { echo "mnist_mpi_smoke.sh: the resumed run differs" >&2; exit 1; }
# Ranks started with different flags refuse together at the start, each line naming its rank.
disagree() {  # FLAG RANK0_VALUE RANK1_VALUE OTHER_FLAGS...
  local flag=$1 v0=$2 v1=$3
  shift 3
  local rest=("$@")
  if timeout 60 "${mpirun[@]}" -np 1 "$mlp" "${flags[@]}" "${rest[@]}" "$flag" "$v0" \
       : -np 1 "$mlp" "${flags[@]}" "${rest[@]}" "$flag" "$v1" > "$work/disagree.txt" 2>&1; then
    echo "mnist_mpi_smoke.sh: ranks with $flag $v0 and $v1 were not refused" >&2; exit 1
  fi
  for r in 0 1; do
    grep -qF "[rank $r] mnist_mlp: $flag: rank 0 says $v0, rank 1 says $v1; every rank must run with the same flags" "$work/disagree.txt" || {
      cat "$work/disagree.txt"; echo "mnist_mpi_smoke.sh: rank $r did not name $flag" >&2; exit 1; }
  done
}
mpirun=("$@")
disagree --lr 0.001 0.01 --epochs 1
disagree --epochs 1 2
disagree --optimizer adam sgd --epochs 1
echo "mnist_mpi_smoke.sh: 2 ranks, resumed = uninterrupted; 3 ranks refused; ranks that disagree refused"
