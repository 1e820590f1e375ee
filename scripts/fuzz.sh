#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang++-14 with ASan + UBSan) in build-fuzz/ and runs each
# for a bounded time, seeded by the corpora the build generates and fuzz/*.dict. Fails on any crash,
# leak, OOM (-rss_limit_mb=2048) or timeout (-timeout=10 s per input); each input that made a
# target fail is copied to tests/io/regressions/<target>/, which the doctest suite replays
# (tests/io/test_regressions.cpp). Installs nothing: needs clang-14 and libclang-rt-14-dev.
#   scripts/fuzz.sh [SECONDS]      # per target, default 60
#   DESCENT_FUZZ_JOBS=2 scripts/fuzz.sh   # build parallelism (default 2)
#   DESCENT_FUZZ_TARGETS=fuzz_onnx scripts/fuzz.sh   # only these targets
# fuzz_onnx (onnx::load) is built and run when descent::onnx is (libonnx-dev, libprotobuf-dev).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DESCENT_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
jobs="${DESCENT_FUZZ_JOBS:-2}"
targets=(fuzz_idx fuzz_npz fuzz_checkpoint)
start=$(date +%s)

fail() {
    echo "fuzz: FAILED: $*" >&2
    exit 1
}

command -v clang++-14 >/dev/null || fail "clang++-14 not found (apt-get install clang-14 libclang-rt-14-dev)"
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DDESCENT_FUZZ=ON -DDESCENT_NATIVE=OFF \
    -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=OFF -DDESCENT_BUILD_BENCHMARKS=OFF \
    >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; fail "cmake configure"; }
# fuzz_onnx (onnx::load) exists when descent::onnx was found (libonnx-dev, libprotobuf-dev).
grep -q "^build fuzz/fuzz_onnx:" "$build/build.ninja" && targets+=(fuzz_onnx)
[ -n "${DESCENT_FUZZ_TARGETS:-}" ] && read -r -a targets <<<"$DESCENT_FUZZ_TARGETS"
ninja -C "$build" -j "$jobs" "${targets[@]}" fuzz_seeds || fail "build"

summary=()
status=0
for t in "${targets[@]}"; do
    case "$t" in
        fuzz_idx) seeds=idx dict=idx.dict ;;
        fuzz_npz) seeds=npz dict=npz.dict ;;
        fuzz_checkpoint) seeds=checkpoint dict=npz.dict ;;
        fuzz_onnx) seeds=onnx dict=onnx.dict ;;
    esac
    corpus="$build/fuzz/corpus/$t"
    artifacts="$build/fuzz/artifacts/$t/"
    mkdir -p "$corpus" "$artifacts"
    log="$build/fuzz/$t.log"
    echo "fuzz: $t for ${seconds}s (log $log)"
    # The generated seeds plus anything found before; the regressions replayed as seeds too.
    regressions="$root/tests/io/regressions/$t"
    extra=()
    [ -d "$regressions" ] && extra+=("$regressions")
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/fuzz/$t" "$corpus" "$build/fuzz/seeds/$seeds" "${extra[@]}" \
        -dict="$root/fuzz/$dict" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    if [ $rc -ne 0 ]; then
        status=1
        mkdir -p "$regressions"
        for a in "$artifacts"*; do
            [ -f "$a" ] && cp "$a" "$regressions/" && echo "fuzz: $t found $(basename "$a") -> tests/io/regressions/$t/"
        done
        tail -40 "$log"
        summary+=("$t FAILED after ${execs:-?} execs")
    else
        summary+=("$t ${execs:-?} execs")
    fi
done
elapsed=$(( $(date +%s) - start ))
line="fuzz: $(printf '%s; ' "${summary[@]}")${elapsed}s total"
if [ $status -ne 0 ]; then
    echo "$line: FAILED" >&2
    exit 1
fi
echo "$line: OK"
