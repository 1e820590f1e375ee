#!/usr/bin/env bash
# Installs what descent needs to build, test and run its examples on Debian 12 (Debian packages only).
# Runs as root, or through sudo when available.
set -euo pipefail
packages=(
  build-essential cmake ninja-build          # compiler and build
  libxtensor-dev libxsimd-dev                # tensors, SIMD elementwise math
  libxtensor-blas-dev libopenblas-dev        # sgemm (xtensor-blas only as a test reference)
  libdnnl-dev ocl-icd-opencl-dev             # oneDNN's sgemm (its CMake config wants OpenCL's headers)
  doctest-dev                                # tests
  zlib1g-dev libzip-dev pkgconf              # IDX .gz files; .npz state dicts (a zip of .npy)
  libcli11-dev libpng-dev                    # the examples' command lines; predict reads PNG
  unzip                                      # examples/resume_smoke.sh compares checkpoints entry by entry
  clang-14 libclang-rt-14-dev                # scripts/fuzz.sh (libFuzzer) and scripts/sanitize.sh
  graphviz                                   # study::render() runs dot (and its tests do)
  chromium chromium-driver python3-selenium  # the HTML stepper's test drives a headless browser
  libopenmpi-dev openmpi-bin                 # distributed/'s MPI backend; mpirun for its tests
  gnuplot-nox                                # descent_lab and --plot draw their pictures with gnuplot
  wamerican                                  # descent_lab words: /usr/share/dict/american-english
  dataset-fashion-mnist                      # the examples' data, in /usr/share/datasets/fashion-mnist
  libonnx-dev libprotobuf-dev                # descent::onnx (ONNX's config needs protobuf's, not pulled in)
  libonnx-testdata                           # the ONNX node conformance cases
  fortunes                                   # char_lm's default text, /usr/share/games/fortunes
)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# onnxruntime, the independent runtime tests/onnx checks exported models with: npm's onnxruntime-node
# ships libonnxruntime.so for linux x64 inside the package; ONNXRUNTIME_NODE_INSTALL=skip keeps its
# install script from fetching anything else. Into a fixed prefix that tests/onnx/CMakeLists.txt knows.
# Node.js and npm from Debian unless a node (and its npm) is already there, as a nodesource nodejs.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi
ort_prefix=/opt/descent-deps/onnxruntime-node
ort_version=1.31.1
if [ ! -f "$ort_prefix/node_modules/onnxruntime-node/package.json" ] ||
   ! grep -q "\"version\": \"$ort_version\"" "$ort_prefix/node_modules/onnxruntime-node/package.json"; then
  $sudo mkdir -p "$ort_prefix"
  $sudo env ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix "$ort_prefix" \
    "onnxruntime-node@$ort_version"
fi
