#!/usr/bin/env bash
# ctest's diagnostics_csv: one short mnist_mlp epoch (1000 images, 16 batches) with --diagnostics
# every 5 batches; the CSV must hold, for batches 5, 10, 15 and the last (16), one row per
# parameter with finite norms and ratio and one row per ReLU with a fraction in [0, 1].
set -euo pipefail
mnist_mlp=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mnist_mlp" --epochs 1 --validation 59000 --diagnostics "$work/diag.csv" --diagnostics-every 5 \
  > "$work/out.log"
awk -F, '
  NR == 1 {
    if ($0 != "epoch,batch,kind,name,grad_norm,weight_norm,update_ratio,dead_fraction,warning") {
      print "diagnostics_smoke.sh: header is " $0; bad = 1
    }
    next
  }
  function finite(v) { return v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ }
  $3 == "param" {
    if (!finite($5) || !finite($6) || !finite($7) || $8 != "") { print "bad row: " $0; bad = 1 }
    seen[$2 " " $4] = 1
  }
  $3 == "relu" {
    if ($5 != "" || !finite($8) || $8 < 0 || $8 > 1) { print "bad row: " $0; bad = 1 }
    seen[$2 " " $4] = 1
  }
  $3 != "param" && $3 != "relu" { print "bad kind: " $0; bad = 1 }
  END {
    split("5 10 15 16", batches, " ")
    split("1.weight 1.bias 3.weight 3.bias 5.weight 5.bias 2 4", names, " ")
    for (b in batches) for (n in names)
      if (!((batches[b] " " names[n]) in seen)) { print "missing: batch " batches[b] " " names[n]; bad = 1 }
    if (NR != 1 + 4 * 8) { print "rows: " NR - 1 ", expected 32"; bad = 1 }
    exit bad
  }' "$work/diag.csv"
echo "diagnostics_smoke.sh: 32 rows, all finite"
