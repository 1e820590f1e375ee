#!/usr/bin/env bash
# Lists what the test suite left for a reader of the CI log to look at: the files in
# BUILD/artifacts (the HTML stepper's screenshot in headless Chromium, by html_in_browser.py),
# with their sizes. Fails when the folder is empty, i.e. when the browser test did not run.
#   scripts/artifacts.sh [BUILD]     # default: build
set -euo pipefail
dir="$(cd "${1:-build}" && pwd)/artifacts"
shopt -s nullglob
files=("$dir"/*)
if [ ${#files[@]} -eq 0 ]; then
  echo "artifacts: nothing in $dir (did html_stepper_in_chromium run?)" >&2
  exit 1
fi
for f in "${files[@]}"; do
  echo "artifact: $f ($(stat -c %s "$f") bytes)"
done
