#!/usr/bin/env bash
# What --vcd costs: runs the README scenario with and without waveforms,
# alternating, N times each, and prints the median wall times and their
# ratio. Usage: tools/vcd_overhead.sh [ITSIM] [TRACE] [N]
set -euo pipefail
itsim=${1:-build/platform/itsim}
trace=${2:-traces/bringup.its}
n=${3:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ms() { local a b; a=$(date +%s%N); "$@" >/dev/null; b=$(date +%s%N); echo $(( (b - a) / 1000 )); }
for _ in $(seq "$n"); do
  ms "$itsim" run "$trace" -q --events "$tmp/e.jsonl" >>"$tmp/off"
  ms "$itsim" run "$trace" -q --events "$tmp/e.jsonl" --vcd "$tmp/w.vcd" >>"$tmp/on"
done
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
off=$(median "$tmp/off"); on=$(median "$tmp/on")
awk -v off="$off" -v on="$on" -v n="$n" 'BEGIN {printf "medians of %d runs: without --vcd %.1f ms, with --vcd %.1f ms, ratio %.2fx\n", n, off/1000, on/1000, on/off}'
