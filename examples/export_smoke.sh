#!/usr/bin/env bash
# ctest's mnist_mlp_exports_onnx: mnist_mlp trains a small MLP for one epoch with --export, and
# onnxruntime (tests/onnx/run_ort.js) runs the written model on a batch of 3 (traced at 1: the
# batch is a symbol), giving (3, 10).
#   examples/export_smoke.sh MNIST_MLP NODE ORT_MODULE_DIR
set -euo pipefail
mnist_mlp=$1 node=$2 ort=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mnist_mlp" --epochs 1 --hidden 32 --validation 1000 --schedule none --export "$work/m.onnx" > "$work/train.log"
grep -q "model exported to $work/m.onnx" "$work/train.log"
head -c $((3 * 784 * 4)) /dev/zero > "$work/in.bin"
dims=$("$node" "$here/../tests/onnx/run_ort.js" "$ort" "$work/m.onnx" "$work/in.bin" 3,1,28,28 "$work/out.bin")
[ "$dims" = "3,10" ]
[ "$(stat -c %s "$work/out.bin")" -eq 120 ]
# An unwritable path is refused before training, naming the flag.
if err=$("$mnist_mlp" --export /nonexistent/m.onnx 2>&1); then exit 1; fi
echo "$err" | grep -q -- "--export: cannot write '/nonexistent/m.onnx'"
echo "export_smoke: mnist_mlp --export wrote a model onnxruntime runs"
