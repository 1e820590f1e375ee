#!/usr/bin/env bash
# The sanitizer jobs: the whole doctest suite under AddressSanitizer + UBSan (build-asan/,
# DESCENT_SANITIZE=ON), then the threading tests (thread pool, set_num_threads, the shared
# generator, the DataLoader) under ThreadSanitizer (build-tsan/, DESCENT_SANITIZE=thread; the
# descent_thread_tests binary, which holds only their files). Any report fails the run. Installs
# nothing; uses the default compiler (g++ 12).
#   scripts/sanitize.sh            # both jobs
#   scripts/sanitize.sh asan|tsan  # one of them
#   DESCENT_SANITIZE_JOBS=2        # build parallelism (default 2)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${DESCENT_SANITIZE_JOBS:-2}"
which="${1:-all}"
start=$(date +%s)
summary=()
status=0

# build <dir> <sanitize value> <target>: configure (tests only; -O1 and -g1, line tables only,
# to build faster: a report still names file and line) and build. The tsan job builds the library
# without the precompiled header, so a source file that forgets an #include fails here.
build() {
    mkdir -p "$1"
    local pch=ON
    [ "$2" = thread ] && pch=OFF
    cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
        -DDESCENT_SANITIZE="$2" -DDESCENT_BUILD_EXAMPLES=OFF -DDESCENT_BUILD_BENCHMARKS=OFF \
        -DDESCENT_PCH="$pch" \
        >"$1/configure.log" 2>&1 || { cat "$1/configure.log"; return 1; }
    ninja -C "$1" -j "$jobs" "$3"
}

job() {  # job <name> <dir> <sanitize> <target>
    local name=$1 dir=$2 san=$3 target=$4 t0 rc
    t0=$(date +%s)
    if ! build "$dir" "$san" "$target"; then
        summary+=("$name: build FAILED")
        status=1
        return
    fi
    local log="$dir/test.log"
    if [ "$target" = descent_tests ]; then
        # docs_* and installed_package_consumer build programs of their own, without the
        # sanitizer flags, against the sanitized library: they test the build, not the code, so
        # they run in the normal suite only. So do the mpi_* tests (distributed/): they start
        # descent_mpi_tests under mpirun, a binary this job does not build, and Open MPI itself is
        # not built with the sanitizers. op_formulas_match_code and docs_op_table_matches_code
        # compare source text with tools/gen_op_formulas, which this job does not build. The
        # onnx tests (descent_onnx_tests, onnx_conformance: tests/onnx) are binaries this job does
        # not build either.
        ctest --test-dir "$dir" -j "$jobs" --output-on-failure \
            -E 'docs_compile|docs_run|installed_package_consumer|^mpi_|op_formulas_match_code|docs_op_table_matches_code|^onnx|descent_onnx_tests' \
            >"$log" 2>&1
    else
        "$dir/tests/$target" >"$log" 2>&1
    fi
    rc=$?
    local counted
    counted=$(grep -E 'tests passed|tests failed|test cases:' "$log" | tail -1 | tr -s ' ')
    if [ $rc -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer' \
        "$log"; then
        grep -E -A30 'Sanitizer|runtime error:|\*\*\*Failed|ERROR' "$log" | head -120
        summary+=("$name FAILED ($counted) in $(( $(date +%s) - t0 ))s")
        status=1
    else
        summary+=("$name ok ($counted) in $(( $(date +%s) - t0 ))s")
    fi
}

# allocator_may_return_null: a refused malloc returns null, as glibc's does, so that the tests of
# MemoryError (a 4 EiB tensor) see the failure descent turns into an exception.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
case "$which" in
    all | asan | tsan) ;;
    *) echo "usage: scripts/sanitize.sh [asan|tsan]" >&2; exit 2 ;;
esac
[ "$which" != tsan ] && job asan "$root/build-asan" ON descent_tests
[ "$which" != asan ] && job tsan "$root/build-tsan" thread descent_thread_tests
line="sanitize: $(printf '%s; ' "${summary[@]}")$(( $(date +%s) - start ))s total"
if [ $status -ne 0 ]; then
    echo "$line: FAILED" >&2
    exit 1
fi
echo "$line: OK"
