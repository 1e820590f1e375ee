#!/usr/bin/env bash
# Runs a command that must fail: passes when it exits non-zero within SECONDS and its output
# matches REGEX (a dead or stuck rank must end the run with a reason, not hang it).
#   expect_abort.sh SECONDS REGEX command...
set -uo pipefail
limit=$1 regex=$2
shift 2
start=$(date +%s)
output=$(timeout $((limit + 30)) "$@" 2>&1)
status=$?
elapsed=$(($(date +%s) - start))
echo "$output"
echo "expect_abort.sh: exit status $status after $elapsed s"
if [ "$status" -eq 0 ]; then echo "expect_abort.sh: the command succeeded" >&2; exit 1; fi
if [ "$elapsed" -gt "$limit" ]; then echo "expect_abort.sh: took over $limit s" >&2; exit 1; fi
if ! grep -Eq "$regex" <<<"$output"; then echo "expect_abort.sh: no line matches: $regex" >&2; exit 1; fi
