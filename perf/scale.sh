#!/usr/bin/env bash
# Scaling harness: wall time (median of $RUNS runs) and peak memory of whole
# sgc processes -- check, build -t terraform, build -t cloudformation --split
# -- on synthetic policies of 200, 1k, 5k, 10k and 50k flows (one group per
# ten flows), and the growth factor per 10x flows at the small and the large
# end. Prints Markdown tables.
#
#   bash perf/scale.sh            # RUNS=3 by default
#   RUNS=5 bash perf/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
if [ ! -x /usr/bin/time ]; then
  echo "perf/scale.sh needs GNU time (/usr/bin/time): apt-get install time" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The binary is copied before it is measured: run from the file the
# linker has just written, sgc showed 8 MB more peak memory (23 against
# 31 MB for --version, 2026-12-03) until the file was written back.
go build -o "$work/sgc.linked" ./cmd/sgc
cp "$work/sgc.linked" "$work/sgc"
go build -o "$work/gen" ./perf/gen
sizes="200 1000 5000 10000 50000"
for f in $sizes; do
  "$work/gen" -flows "$f" -groups $((f / 10)) -seed 1 -o "$work/p$f"
done

# measure CMD...: prints "median_seconds peak_MB" over $RUNS runs. Wall
# time is taken from bash's microsecond clock (GNU time rounds to 10 ms,
# too coarse for small policies); peak memory from GNU time.
measure() {
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/out"
    local start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/t" "$@" >/dev/null 2>&1 || true
    local end=$EPOCHREALTIME
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
    read -r kb <"$work/t"
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  echo "$median $((peak / 1024))"
}

declare -A T M
for f in $sizes; do
  p="$work/p$f"
  read -r T[check$f] M[check$f] < <(measure "$work/sgc" check "$p" --now 2026-06-01)
  read -r T[tf$f] M[tf$f] < <(measure "$work/sgc" build "$p" -t terraform -o "$work/out" --now 2026-06-01)
  read -r T[cfn$f] M[cfn$f] < <(measure "$work/sgc" build "$p" -t cloudformation --split -o "$work/out" --now 2026-06-01)
done

echo "| flows | groups | check (s / MB) | build terraform (s / MB) | build cloudformation --split (s / MB) |"
echo "|---:|---:|---:|---:|---:|"
for f in $sizes; do
  printf "| %s | %s | %s / %s | %s / %s | %s / %s |\n" "$f" $((f / 10)) "${T[check$f]}" "${M[check$f]}" \
    "${T[tf$f]}" "${M[tf$f]}" "${T[cfn$f]}" "${M[cfn$f]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a <= 0) a = 0.005; printf "%.1f", b / a }'; }
echo
echo "| growth (time / memory) | check | build terraform | build cloudformation |"
echo "|---|---:|---:|---:|"
for pair in "1000 10000" "5000 50000"; do
  set -- $pair
  printf "| %s → %s flows (×%s) | %s / %s | %s / %s | %s / %s |\n" "$1" "$2" $(($2 / $1)) \
    "$(ratio "${T[check$1]}" "${T[check$2]}")" "$(ratio "${M[check$1]}" "${M[check$2]}")" \
    "$(ratio "${T[tf$1]}" "${T[tf$2]}")" "$(ratio "${M[tf$1]}" "${M[tf$2]}")" \
    "$(ratio "${T[cfn$1]}" "${T[cfn$2]}")" "$(ratio "${M[cfn$1]}" "${M[cfn$2]}")"
done

# The CDK comparison, where perf/cdk has its packages
# (npm install --prefix perf/cdk): CPU time (user + system, median of
# $RUNS) of `sgc build -t cloudformation --split` and of a lean CDK app
# synthesizing the same groups and rules (perf/cdk/app.js, the workload
# written by perf/gen -rules) at 1k, 10k and 50k flows.
if [ -d perf/cdk/node_modules/aws-cdk-lib ] && command -v node >/dev/null; then
  # CPU to the millisecond from bash's own time (GNU time prints
  # hundredths, too coarse for sgc at 1k flows, where 0.02 s could be
  # anything from 15 to 25 ms).
  cpu() {
    local times=() t
    for _ in $(seq "$RUNS"); do
      rm -rf "$work/out"
      t=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1 || true; } 2>&1 )
      times+=("$(awk '{ printf "%.3f", $1 + $2 }' <<<"$t")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
  }
  # Every sgc size is timed before any CDK run: a CDK run of 50k flows
  # takes 15 s of CPU and gigabytes of heap, and sgc timed right after
  # the CDK's runs took 18-26% more CPU than before any (0.84-0.90 s
  # against 0.71 s at 50k flows, 2026-12-03), as the machine recovers
  # from them.
  declare -A S C
  # The workloads are all written before anything is timed.
  for f in 1000 10000 50000; do
    "$work/gen" -flows "$f" -groups $((f / 10)) -seed 1 -o "$work/c$f" -rules "$work/c$f.json"
  done
  for f in 1000 10000 50000; do
    S[$f]=$(cpu "$work/sgc" build "$work/c$f" -t cloudformation --split -o "$work/out" --now 2026-06-01)
  done
  for f in 1000 10000 50000; do
    C[$f]=$(CDK_VALIDATION=false cpu node --max-old-space-size=8192 perf/cdk/app.js "$work/c$f.json" "$work/out")
  done
  echo
  echo "| flows | sgc CPU (s) | CDK lean synth CPU (s) | CDK / sgc |"
  echo "|---:|---:|---:|---:|"
  for f in 1000 10000 50000; do
    printf "| %s | %s | %s | %s |\n" "$f" "${S[$f]}" "${C[$f]}" "$(ratio "${S[$f]}" "${C[$f]}")"
  done
fi
