#!/usr/bin/env bash
# ctest's sigkill_not_lost: mnist_mlp killed with SIGKILL at random moments (during training,
# during a checkpoint write, during --save) never leaves a broken file: after every kill the
# checkpoint, if there is one yet, resumes to the end, --save's weights are whole, and the
# temporary files of the killed process are swept by the next save.
#   sigkill_smoke.sh MNIST_MLP [KILLS]
set -euo pipefail
mnist_mlp=$1 kills=${2:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "sigkill_smoke: $*" >&2; exit 1; }
flags=(--epochs 8 --hidden 16 --validation 1000 --schedule none --batch-size 128 --threads 1)
RANDOM=11  # the same kill times on every run of the test
resumed=0
for i in $(seq "$kills"); do
    rm -f "$work"/*
    # 0.0 s to 2.9 s: before the first checkpoint, around one, during --save, or after the end.
    delay="$((RANDOM % 3)).$((RANDOM % 10))"
    "$mnist_mlp" "${flags[@]}" --checkpoint "$work/ck.npz" --save "$work/m.npz" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    echo "kill $i after ${delay}s: checkpoint $([ -e "$work/ck.npz" ] && echo yes || echo none)"
    if [ -e "$work/ck.npz" ]; then
        "$mnist_mlp" "${flags[@]}" --checkpoint "$work/ck.npz" --save "$work/m.npz" \
            --resume "$work/ck.npz" > "$work/resume.txt" 2>&1 ||
            fail "kill $i after ${delay}s: the checkpoint does not resume: $(tail -2 "$work/resume.txt")"
        grep -q "^test accuracy" "$work/resume.txt" || fail "kill $i: the resumed run did not finish"
        resumed=$((resumed + 1))
        leftover=$(ls "$work" | grep '\.tmp\.' || true)
        [ -z "$leftover" ] || fail "kill $i: temporary files left after the next save: $leftover"
    fi
    if [ -e "$work/m.npz" ]; then  # whole weights: they load as a model
        python3 -c "import zipfile,sys; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)" \
            "$work/m.npz" || fail "kill $i: --save's file is broken"
    fi
done
[ "$resumed" -gt 0 ] || fail "no kill came after a checkpoint: nothing was tested"
echo "sigkill: $kills kills, $resumed checkpoints resumed to the end, no broken or stray file"
