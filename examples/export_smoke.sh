#!/usr/bin/env bash
# ctest's mnist_mlp_exports_onnx: mnist_mlp trains a small MLP for one epoch with --export, and
# onnxruntime (tests/onnx/run_ort.js) runs the written model on a batch of 3 (traced at 1: the
# batch is a symbol), giving (3, 10).
# With a fourth argument char_lm, ctest's char_lm_exports_onnx: char_lm's lstm, gru and gpt train 2 steps
# with --export, and onnxruntime runs each on 3 windows of 16 tokens (int64), giving (3, 16, V).
#   examples/export_smoke.sh MNIST_MLP NODE ORT_MODULE_DIR
#   examples/export_smoke.sh CHAR_LM NODE ORT_MODULE_DIR char_lm
set -euo pipefail
mnist_mlp=$1 node=$2 ort=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${4:-}" = char_lm ]; then
  char_lm=$1
  head -c $((3 * 16 * 8)) /dev/zero > "$work/tokens.bin"
  for model in lstm gru gpt; do
    "$char_lm" --model $model --max-bytes 30000 --batch 4 --context 16 --embed 16 --hidden 32 \
      --layers 1 --steps 2 --eval-every 2 --eval-batches 1 --export "$work/$model.onnx" > "$work/train.log"
    grep -q "model exported to $work/$model.onnx" "$work/train.log"
    dims=$("$node" "$here/../tests/onnx/run_ort.js" "$ort" "$work/$model.onnx" "$work/tokens.bin" 3,16 "$work/out.bin" int64)
    case "$dims" in 3,16,*) ;; *) echo "export_smoke: $model gave dims $dims"; exit 1 ;; esac
  done
  # An unwritable path is refused before training, naming the flag.
  if err=$("$char_lm" --export /nonexistent/m.onnx 2>&1); then exit 1; fi
  echo "$err" | grep -q -- "--export: cannot write '/nonexistent/m.onnx'"
  echo "export_smoke: char_lm --export wrote lstm, gru and gpt models onnxruntime runs"
  exit 0
fi
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
