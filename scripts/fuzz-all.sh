#!/usr/bin/env bash
# Runs every fuzz target of the repository in turn, FUZZTIME each (default
# 2m), and prints one line per target with its executions. A failure stops
# the run and leaves the crashing input in the package's testdata/fuzz.
#   FUZZTIME=30s bash scripts/fuzz-all.sh
#   bash scripts/fuzz-all.sh FuzzImport FuzzEmit    # only these
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-2m}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg=./$(dirname "${file#./}")
  for name in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    log=$(mktemp)
    if ! go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
      cat "$log"
      echo "FAIL $pkg $name"
      exit 1
    fi
    execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    echo "ok   $pkg $name $fuzztime ${execs:-?} execs"
    rm -f "$log"
  done
done
