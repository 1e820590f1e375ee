#!/usr/bin/env bash
# ctest's resume_matches_uninterrupted: 3 epochs with a checkpoint after each vs resumed from the
# first, for mnist_mlp (3000 images) and mnist_cnn's bn model (dropout, augmentation; a 1200-image
# cut made here): the same figures, confusion matrix, CSV rows and weights and final
# checkpoint entries. Then --resume's refusals, a resume with the flags left out (the checkpoint's
# are used), a finished run's outputs written without training, and AdamW's --weight-decay 0.
set -euo pipefail
mnist_mlp=$1 mnist_cnn=$2
command -v unzip > /dev/null || { echo "resume_smoke.sh: needs unzip (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=/usr/share/datasets/fashion-mnist

# The first n items of an IDX file: its magic, the new count, the rest of its header, the items.
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
cut_idx() {  # source.gz n item_bytes header_bytes out
  gzip -dc "$1" > "$work/full"
  { head -c 4 "$work/full"; be32 "$2"; } > "$5"
  dd if="$work/full" iflag=skip_bytes,count_bytes skip=8 count=$(($4 - 8 + $2 * $3)) bs=65536 \
     status=none >> "$5"
}
mkdir "$work/small"
cut_idx "$data/train-images-idx3-ubyte.gz" 1200 784 16 "$work/small/train-images-idx3-ubyte"
cut_idx "$data/train-labels-idx1-ubyte.gz" 1200 1 8 "$work/small/train-labels-idx1-ubyte"
cut_idx "$data/t10k-images-idx3-ubyte.gz" 300 784 16 "$work/small/t10k-images-idx3-ubyte"
cut_idx "$data/t10k-labels-idx1-ubyte.gz" 300 1 8 "$work/small/t10k-labels-idx1-ubyte"

# The figures of a log: epoch lines without their timing, the final accuracy and confusion matrix.
figures() { sed -n -e 's/^\(epoch  *[0-9]*\/[0-9]*  train loss.*test acc [0-9.]*%\).*/\1/p' \
                   -e '/^test accuracy/,$p' "$1" | grep -v '^weights saved'; }
# The .npy entries of an .npz, one after another: the archive without its timestamps.
entries() { unzip -p "$1"; }

check() {  # name program flags...
  local name=$1 program=$2
  shift 2
  "$program" "$@" --checkpoint "$work/$name-{epoch}.npz" --save "$work/$name-a.npz" \
             --log "$work/$name-a.csv" > "$work/$name-a.log"
  # The log continues from the checkpoint: the row of epoch 3 is written anew.
  head -3 "$work/$name-a.csv" > "$work/$name-b.csv"
  echo "3,9,9,9,9,9,9" >> "$work/$name-b.csv"
  "$program" "$@" --resume "$work/$name-1.npz" --checkpoint "$work/$name-r{epoch}.npz" \
             --save "$work/$name-b.npz" --log "$work/$name-b.csv" > "$work/$name-b.log"
  grep -q "^resumed from $work/$name-1.npz after epoch 1$" "$work/$name-b.log"
  if grep -q '^epoch  1/' "$work/$name-b.log"; then exit 1; fi
  [ "$(figures "$work/$name-a.log" | grep -c '^epoch')" -eq 3 ]
  diff <(figures "$work/$name-a.log" | grep -v '^epoch  1/') <(figures "$work/$name-b.log")
  diff <(cut -d, -f1-6 "$work/$name-a.csv") <(cut -d, -f1-6 "$work/$name-b.csv")  # not seconds
  # unzip (scripts/install-deps.sh installs it): the zip headers hold the write time, so the
  # archives differ byte for byte; their entries must not
  [ "$(entries "$work/$name-a.npz" | wc -c)" -gt 0 ]  # an empty listing would compare equal
  cmp <(entries "$work/$name-a.npz") <(entries "$work/$name-b.npz")
  # (the per-epoch curves a checkpoint keeps hold each epoch's seconds: the CSV compared them)
  cmp <(unzip -p "$work/$name-3.npz" -x curves.rows.npy) <(unzip -p "$work/$name-r3.npz" -x curves.rows.npy)
  echo "$name: resumed run matches"
}
check mlp "$mnist_mlp" --epochs 3 --hidden 32 --validation 57000 --seed 5 --threads 1
check cnn "$mnist_cnn" --model bn --epochs 3 --validation 200 --seed 2 --threads 1 --data "$work/small"

# refused RC PATTERN flags...: mnist_mlp exits with RC and one line on stderr matching PATTERN.
refused() {
  local rc=$1 pattern=$2 got=0
  shift 2
  "$mnist_mlp" "$@" 2> "$work/err" > /dev/null || got=$?
  [ "$got" -eq "$rc" ] && [ "$(wc -l < "$work/err")" -eq 1 ] && grep -q "$pattern" "$work/err"
}
flags=(--hidden 32 --validation 57000)
# A cosine schedule over 3 epochs cannot become one over 4; a run-defining flag given otherwise
# than the checkpoint's run had is refused by name, before any work.
refused 2 "anneals over 3 epochs: give --epochs 3, as its run had" \
        "${flags[@]}" --epochs 4 --resume "$work/mlp-1.npz"
# Another model is refused by name, before any training; so is a file of weights only.
refused 1 '^mnist_mlp: load_state_dict(): Sequential: key "1.weight" has shape (32, 784)' \
        --epochs 3 --hidden 64 --validation 57000 --resume "$work/mlp-1.npz"
refused 1 "^mnist_mlp: Checkpoint::load($work/mlp-a.npz): no 'version' entry" \
        "${flags[@]}" --epochs 3 --resume "$work/mlp-a.npz"
refused 2 "^mnist_mlp: --seed: the checkpoint's run used 5, this command says 1 (leave the flag out" \
        "${flags[@]}" --seed 1 --resume "$work/mlp-1.npz"
refused 2 "^mnist_mlp: --batch-size: the checkpoint's run used 64, this command says 32" \
        "${flags[@]}" --batch-size 32 --resume "$work/mlp-1.npz"
refused 2 "^mnist_mlp: --optimizer: the checkpoint's run used adam, this command says adamw" \
        "${flags[@]}" --optimizer adamw --resume "$work/mlp-1.npz"
echo "refusals ok"

# Flags left out take the checkpoint's: only the model's --hidden and the threads are given.
"$mnist_mlp" --hidden 32 --threads 1 --resume "$work/mlp-1.npz" --save "$work/mlp-c.npz" \
    > "$work/mlp-c.log"
cmp <(entries "$work/mlp-a.npz") <(entries "$work/mlp-c.npz")
# A finished run writes the outputs asked for without training (a run killed after its last
# checkpoint): the same weights, and a report and pictures with all three epochs.
"$mnist_mlp" --hidden 32 --threads 1 --resume "$work/mlp-3.npz" --save "$work/mlp-d.npz" \
    --report "$work/mlp-d.html" --plot "$work/plots" > "$work/mlp-d.log"
grep -q "^its run is complete (3 epochs): writing its outputs without training$" "$work/mlp-d.log"
if grep -q '^epoch ' "$work/mlp-d.log"; then exit 1; fi
cmp <(entries "$work/mlp-a.npz") <(entries "$work/mlp-d.npz")
[ "$(grep -o '<tr><td>[123]</td>' "$work/mlp-d.html" | wc -l)" -ge 3 ]
[ -s "$work/plots/loss.png" ]
# --weight-decay 0 is 0, for AdamW too (its default 1e-2 only when the flag is left out).
"$mnist_mlp" --hidden 8 --threads 1 --epochs 1 --validation 57000 --optimizer adamw \
    --weight-decay 0 --checkpoint "$work/w0.npz" > /dev/null
"$mnist_mlp" --hidden 8 --threads 1 --epochs 1 --validation 57000 --optimizer adamw \
    --checkpoint "$work/w1.npz" > /dev/null
# An .npz entry's float32 values, one per line (no numpy needed); a double option is kept as
# float32 parts whose first is its nearest float.
values() { python3 -c '
import struct, sys, zipfile
data = zipfile.ZipFile(sys.argv[1]).read(sys.argv[2] + ".npy")
start = 10 + int.from_bytes(data[8:10], "little")
for (v,) in struct.iter_unpack("<f", data[start:]): print("%g" % v)' "$1" "$2"; }
[ "$(values "$work/w0.npz" optim.param_groups.0.weight_decay | head -1)" = "0" ]
[ "$(values "$work/w1.npz" optim.param_groups.0.weight_decay | head -1)" = "0.01" ]
echo "resume takes the run's flags, finishes a finished run; AdamW's decay 0 is 0"
