#!/usr/bin/env bash
# ctest's special_files_not_lost: what a user points mnist_mlp and predict at is never lost or
# replaced, and a hostile input is one short line, at once: --log /dev/stdout into a redirected
# file, --save onto a device node, --log into a FIFO (read, and unread), a dangling symlink, a
# path that is a flag, an image header claiming 32768 x 32768 pixels, a FIFO image, a model with
# NaN weights, a training checkpoint as the model, and a 100,000-character value echoed back.
set -euo pipefail
mnist_mlp=$1 predict=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fast=(--epochs 1 --hidden 16 --validation 1000 --schedule none --batch-size 256)
fail() { echo "special_files_smoke: $*" >&2; exit 1; }
# expect RC REGEX CMD...: the command exits RC within 20 s, its stderr one line matching REGEX.
expect() {
    local rc=$1 regex=$2; shift 2
    local got=0
    timeout 20 "$@" > "$work/out" 2> "$work/err" || got=$?
    [ "$got" = "$rc" ] || fail "exit $got, not $rc: $* ($(head -c 300 "$work/err"))"
    [ "$(wc -l < "$work/err")" -eq 1 ] || fail "not one line: $*: $(head -c 300 "$work/err")"
    grep -qE -e "$regex" "$work/err" || fail "'$(cat "$work/err")' does not match '$regex'"
}

# 1. --log /dev/stdout > run.txt: the header and the row reach run.txt, which stays the same file.
"$mnist_mlp" "${fast[@]}" --log /dev/stdout > "$work/run.txt"
grep -q '^epoch,' "$work/run.txt" || fail "no CSV header in run.txt"
grep -qE '^1,[0-9.e+-]+,' "$work/run.txt" || fail "no CSV row in run.txt: $(cat "$work/run.txt")"
ls "$work" | grep -q tmp && fail "a temporary file was left: $(ls "$work")"

# 2. --save onto a device node: it stays a device (as root, a node of our own; else /dev/null).
dev=/dev/null
if [ "$(id -u)" = 0 ] && mknod "$work/null" c 1 3 2>/dev/null; then dev=$work/null; fi
"$mnist_mlp" "${fast[@]}" --save "$dev" > /dev/null
[ -c "$dev" ] || fail "$dev is no longer a character device"

# 3. --log into a FIFO that a reader drains: the rows arrive and it stays a FIFO.
mkfifo "$work/fifo"
cat "$work/fifo" > "$work/from_fifo" &
reader=$!
"$mnist_mlp" "${fast[@]}" --log "$work/fifo" > /dev/null
wait $reader
[ -p "$work/fifo" ] || fail "the FIFO was replaced"
grep -qE '^1,' "$work/from_fifo" || fail "no row came through the FIFO"
# ... and a FIFO nobody reads: refused at once, not a hang.
expect 1 "^mnist_mlp: CsvLogger\(\): cannot write .*fifo: it is a FIFO \(or socket\) that no process is reading$" \
    "$mnist_mlp" "${fast[@]}" --log "$work/fifo"

# 4. A dangling symlink as --save: refused before training, naming where it points.
ln -s /nonexistent_dir/x.npz "$work/link"
expect 2 "^mnist_mlp: --save: cannot write '.*link': folder /nonexistent_dir does not exist \(the symlink points to /nonexistent_dir/x.npz\)" \
    "$mnist_mlp" "${fast[@]}" --save "$work/link"

# 5. A flag taken as a path (--report --save) is refused; ./-name is a file.
expect 2 "^mnist_mlp: --report: '--save' looks like a flag, not a path \(write ./--save for a file so named\)" \
    "$mnist_mlp" "${fast[@]}" --report --save

# 6. predict: a model to classify with, then hostile images.
"$mnist_mlp" "${fast[@]}" --save "$work/m.npz" --checkpoint "$work/ckpt.npz" > /dev/null
python3 - "$work" <<'PY'
import struct, sys, zlib
work = sys.argv[1]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
# A PNG whose header claims 32768 x 32768 gray pixels, with almost no data.
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32768, 32768, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")
open(work + "/bomb.png", "wb").write(png)
open(work + "/bomb.pgm", "wb").write(b"P5\n32768 32768\n255\n" + b"\0" * 100)
PY
expect 1 "^predict: .*bomb.png claims 32768 x 32768 pixels; predict decodes images up to 4096 x 4096$" \
    bash -c "ulimit -v 800000; exec '$predict' --model '$work/m.npz' '$work/bomb.png'"
expect 1 "^predict: .*bomb.pgm claims 32768 x 32768 pixels; predict decodes images up to 4096 x 4096$" \
    bash -c "ulimit -v 800000; exec '$predict' --model '$work/m.npz' '$work/bomb.pgm'"
mkfifo "$work/image.png"
expect 1 "^predict: .*image.png is not a regular file \(a FIFO or device\); give an image file$" \
    "$predict" --model "$work/m.npz" "$work/image.png"
mkdir "$work/folder.png"
expect 1 "^predict: .*folder.png is a directory, not an image$" \
    "$predict" --model "$work/m.npz" "$work/folder.png"

# 7. A model whose weights are NaN is refused by tensor name; a checkpoint's model is used.
python3 - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(work + "/m.npz") as src, zipfile.ZipFile(work + "/nan.npz", "w") as dst:
    for name in src.namelist():
        data = bytearray(src.read(name))
        if name.endswith(".weight.npy"):
            start = 10 + int.from_bytes(data[8:10], "little")  # after the .npy header
            data[start:start + 4] = b"\x00\x00\xc0\x7f"  # float32 NaN
        dst.writestr(name, bytes(data))
PY
data=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
expect 1 "^predict: .*nan.npz: tensor '[^']*weight' has 1 of [0-9]+ values not finite \(NaN or inf\); the model cannot predict$" \
    "$predict" --model "$work/nan.npz" --images "$data" --count 1
"$predict" --model "$work/ckpt.npz" --images "$data" --count 2 > "$work/from_ckpt"
"$predict" --model "$work/m.npz" --images "$data" --count 2 > "$work/from_model"
cmp -s "$work/from_ckpt" "$work/from_model" || fail "the checkpoint's model predicts otherwise"

# 8. A 100,000-character value comes back cut, with its length; a newline comes back escaped.
long=$(head -c 100000 /dev/zero | tr '\0' 7)
expect 2 "\(100000 characters\)" "$mnist_mlp" --lr "$long"
[ "$(wc -c < "$work/err")" -lt 200 ] || fail "a $(wc -c < "$work/err")-character error line"
expect 2 "--lr: 'a\\\\nb' is not a number" "$mnist_mlp" --lr $'a\nb'
echo "special_files_smoke: every special file kept, every hostile input refused in one line"
