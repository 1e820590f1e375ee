#!/usr/bin/env bash
# ctest's fmnist_vae_learns: the VAE trains 2 epochs on the first 3000 training images (batch 32,
# 188 steps); its test reconstruction loss (binary cross-entropy summed over the 784 pixels, per
# image) must fall below 330, and --out's six pictures must be real PNG and SVG files. Measured
# on 2 cores: untrained 559 / 541 / 588 at seeds 0 / 1 / 2, trained 292.6 / 286.1 / 293.4. Drawing
# every image as the training set's mean image scores 385, so a model whose code carries nothing
# about its image (a broken encoder, a collapsed posterior) fails too.
set -euo pipefail
fmnist_vae=$1
max_recon=330
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fmnist_vae" --limit 3000 --epochs 2 --batch-size 32 --seed 0 --out "$work/pictures" > "$work/out.log"
cat "$work/out.log"
line=$(grep '^test reconstruction loss ' "$work/out.log")
recon=$(echo "$line" | awk '{print $4}')
untrained=$(echo "$line" | sed -E 's/.*untrained ([0-9.]+)\).*/\1/')
awk -v r="$recon" -v u="$untrained" -v m="$max_recon" 'BEGIN {
  if (!(r < m)) { print "fmnist_vae_smoke.sh: reconstruction loss " r " is not below " m; exit 1 }
  if (!(u > m)) { print "fmnist_vae_smoke.sh: the untrained model already scores " u; exit 1 }
}'
for name in reconstructions samples latent; do
  png="$work/pictures/$name.png" svg="$work/pictures/$name.svg"
  [ -s "$png" ] && [ -s "$svg" ] || { echo "fmnist_vae_smoke.sh: $name.png or .svg missing or empty"; exit 1; }
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    { echo "fmnist_vae_smoke.sh: $png is not a PNG"; exit 1; }
  grep -q '</svg>' "$svg" || { echo "fmnist_vae_smoke.sh: $svg is not a whole SVG"; exit 1; }
done
[ "$(ls "$work/pictures" | wc -l)" -eq 6 ] || { echo "fmnist_vae_smoke.sh: stray files"; ls "$work/pictures"; exit 1; }
echo "fmnist_vae_smoke.sh: reconstruction loss $recon < $max_recon (untrained $untrained), six pictures"
