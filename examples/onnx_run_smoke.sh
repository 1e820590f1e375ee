#!/usr/bin/env bash
# ctest's onnx_run_smoke: onnx_run loads the torch-exported LeNet (tests/onnx/data), prints it,
# classifies 20 Fashion-MNIST test images with their labels (a line per image and the accuracy),
# a PNG (docs/images/backprop.png, resized), and draws the graph as DOT; a missing file, a corrupt
# model and a truncated one each exit non-zero with one line naming the file.
#   examples/onnx_run_smoke.sh ONNX_RUN
set -euo pipefail
onnx_run=$1
here=$(cd "$(dirname "$0")" && pwd)
model=$here/../tests/onnx/data/torch_lenet.onnx
data=/usr/share/datasets/fashion-mnist
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

out=$("$onnx_run" "$model")
echo "$out" | head -3
echo "$out" | grep -q "OnnxModel(opset=14, nodes=19"
echo "$out" | grep -qE "^  parameter conv1.weight +\(6, 1, 5, 5\)$"
echo "$out" | grep -q "^  61706 parameters$"

out=$("$onnx_run" "$model" --idx "$data/t10k-images-idx3-ubyte.gz" \
      --labels "$data/t10k-labels-idx1-ubyte.gz" --count 20 --png "$here/../docs/images/backprop.png" \
      --graph "$work/g.dot")
[ "$(echo "$out" | grep -c 't10k-images-idx3-ubyte.gz\[[0-9]*\]: [0-9] .* [0-9.]*% (label [0-9])$')" -eq 20 ]
echo "$out" | grep -qE 'backprop.png: [0-9] .* [0-9.]+%$'
echo "$out" | grep -qE '^accuracy: [0-9]+/20 = [0-9.]+%$'
grep -q "^digraph" "$work/g.dot"
grep -q "conv1.weight" "$work/g.dot"

fails_in_one_line() {  # expected text, then the arguments
  local want=$1; shift
  local err
  if err=$("$onnx_run" "$@" 2>&1); then echo "onnx_run $* succeeded"; exit 1; fi
  [ "$(echo "$err" | wc -l)" -eq 1 ] || { echo "more than one line: $err"; exit 1; }
  echo "$err" | grep -q -- "$want" || { echo "'$err' does not say '$want'"; exit 1; }
}
fails_in_one_line "model: cannot read '/nonexistent/m.onnx': no such file" /nonexistent/m.onnx
printf 'not a model at all' > "$work/corrupt.onnx"
fails_in_one_line "not an ONNX model" "$work/corrupt.onnx"
head -c 5000 "$model" > "$work/truncated.onnx"
fails_in_one_line "onnx::load($work/truncated.onnx)" "$work/truncated.onnx"
fails_in_one_line "--idx: cannot read" "$model" --idx /nonexistent/images
echo "onnx_run_smoke: the torch LeNet loaded, classified 20 IDX images and a PNG, drew its graph; bad files refused in one line"
