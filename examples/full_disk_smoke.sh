#!/usr/bin/env bash
# ctest's full_disk_not_lost: on a nearly full disk (a small tmpfs, so root) nothing old is lost and
# nothing half-new is left. --save, --log and --checkpoint onto their old files, then --plot and
# descent_lab --out onto an old picture set, each with too little space: every run exits non-zero
# with one line on stderr, every old file keeps its bytes, and no temporary file is left behind.
#   full_disk_smoke.sh MNIST_MLP DESCENT_LAB
set -euo pipefail
mnist_mlp=$1 lab=$2
fail() { echo "full_disk_smoke: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "full_disk_smoke: needs root to mount a small tmpfs" >&2; exit 77; }
mnt=$(mktemp -d)
mount -t tmpfs -o size=1m tmpfs "$mnt" || { echo "full_disk_smoke: cannot mount a tmpfs" >&2; exit 77; }
trap 'umount "$mnt"; rmdir "$mnt"' EXIT
fast=(--epochs 1 --hidden 16 --validation 1000 --schedule none --batch-size 256)

# fill_to KB: a filler file that leaves about KB kilobytes free on the tmpfs.
fill_to() {
    rm -f "$mnt/fill"
    local avail
    avail=$(df -k --output=avail "$mnt" | tail -1 | tr -d ' ')
    [ "$avail" -gt "$1" ] || fail "only ${avail} KB free, wanted more than $1"
    dd if=/dev/zero of="$mnt/fill" bs=1k count=$((avail - $1)) status=none
}
snapshot() { (cd "$mnt" && find . \( -path ./fill -o -path ./fill2 \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum); }
# expect_refused CMD...: exit non-zero within 60 s, one line on stderr; the old files unchanged.
expect_refused() {
    snapshot > "$mnt/../before.$$"
    local rc=0
    timeout 60 "$@" > /dev/null 2> "$mnt/../err.$$" || rc=$?
    local err
    err=$(cat "$mnt/../err.$$")
    snapshot > "$mnt/../after.$$"
    local changed
    changed=$(diff "$mnt/../before.$$" "$mnt/../after.$$" || true)
    rm -f "$mnt/../before.$$" "$mnt/../after.$$" "$mnt/../err.$$"
    [ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "exit $rc (not a refusal) on a full disk: $*"
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "not one line: $*: $err"
    [ -z "$changed" ] || fail "old files changed or new ones left by: $*: $changed"
    echo "refused: $err"
}

# The old run's outputs, then too little space for the new ones (another seed: other bytes).
mkdir "$mnt/plot" "$mnt/lab"
"$mnist_mlp" "${fast[@]}" --save "$mnt/m.npz" --log "$mnt/log.csv" --checkpoint "$mnt/ck.npz" \
    --plot "$mnt/plot" > /dev/null
"$lab" variants --quick --out "$mnt/lab" > /dev/null
[ "$(ls "$mnt/plot" | wc -l)" = 4 ] || fail "the first run drew $(ls "$mnt/plot")"
fill_to 8
expect_refused "$mnist_mlp" "${fast[@]}" --seed 1 --checkpoint "$mnt/ck.npz"
expect_refused "$mnist_mlp" "${fast[@]}" --seed 1 --save "$mnt/m.npz"
dd if=/dev/zero of="$mnt/fill2" bs=1k status=none 2> /dev/null || true  # not a byte left
expect_refused "$mnist_mlp" "${fast[@]}" --seed 1 --log "$mnt/log.csv"
rm -f "$mnt/fill2"
# The pictures: room for about two of the four, so a set written one by one would be half new.
fill_to 48
expect_refused "$mnist_mlp" "${fast[@]}" --seed 1 --plot "$mnt/plot"
fill_to 48
expect_refused "$lab" variants --quick --seed 1 --out "$mnt/lab"
echo "full disk: every old file kept, no half-new picture set, every refusal one line"
