#!/usr/bin/env bash
# ctest's predict_after_training: mnist_mlp trains a small MLP for one epoch and saves it; predict
# then classifies three test images from the IDX file and one PGM written here, and each line must
# name an image and its top classes with probabilities.
set -euo pipefail
mnist_mlp=$1 predict=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mnist_mlp" --epochs 1 --hidden 32 --validation 1000 --schedule none --save "$work/m.npz" > "$work/train.log"
data=/usr/share/datasets/fashion-mnist
{ printf 'P5\n# a white square on black\n28 28\n255\n'; head -c 784 /dev/zero | tr '\0' '\377'; } > "$work/white.pgm"
out=$("$predict" --model "$work/m.npz" --images "$data/t10k-images-idx3-ubyte.gz" --count 3 --top 2 "$work/white.pgm")
echo "$out"
[ "$(echo "$out" | wc -l)" -eq 4 ]
echo "$out" | grep -qE '^.*t10k-images-idx3-ubyte.gz\[0\]:  [A-Za-z/ -]+ [0-9.]+%  [A-Za-z/ -]+ [0-9.]+%$'
echo "$out" | grep -qE 'white.pgm:  [A-Za-z/ -]+ [0-9.]+%'
# The first test image of Fashion-MNIST is an ankle boot; one epoch gets it right.
echo "$out" | head -1 | grep -q 'Ankle boot'
# A file that is no binary PGM is refused in one line, naming it.
printf 'P2\n2 2\n255\n0 0 0 0\n' > "$work/ascii.pgm"
if err=$("$predict" --model "$work/m.npz" "$work/ascii.pgm" 2>&1); then exit 1; fi
[ "$err" = "predict: $work/ascii.pgm is not a binary 8-bit PGM (P5) image" ]
head -c 100 "$work/white.pgm" > "$work/short.pgm"
if err=$("$predict" --model "$work/m.npz" "$work/short.pgm" 2>&1); then exit 1; fi
echo "$err" | grep -q "short.pgm is truncated"
