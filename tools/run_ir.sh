#!/usr/bin/env bash
# Instructions per MSI of a whole `itsim run` (docs/run-cost.md): the
# model and everything the program does around it
# (the MSI sources, the record stream, the statistics, with --events the
# event log), where tb/bench measures the model alone.
#
#   tools/run_ir.sh ITSIM [MODE ...] [-- EXTRA_RUN_ARGS ...]
#     MODE         fast and/or accurate (default: both)
#     EXTRA ...    added to each run, e.g. -- --events /tmp/e.jsonl --stats /tmp/s.json
#
# Each mode runs twice under callgrind, `itsim run --quiet` on two traces
# of tools/gen_scale.py sources (the default scenario's bring-up, then four
# Poisson sources at 1 MHz with Zipf EventIDs): RUN_IR_SHORT (default
# 20 000) and RUN_IR_MSIS (default 200 000) MSIs. The Ir of the long run
# less those of the short one, over the MSIs between, is the cost of one
# MSI: elaboration, bring-up and the end of the run cancel. Both runs are
# checked outside valgrind to have delivered every MSI. Takes about a
# minute per mode at the defaults. tools/ir_budget.sh runs it for its
# run and run-events rows, smaller. RUN_IR_PRELOAD, when set, is preloaded
# (LD_PRELOAD) into the measured runs: ir_budget.sh --slowdown's library.
set -euo pipefail
itsim=${1:?usage: tools/run_ir.sh ITSIM [MODE ...] [-- EXTRA_RUN_ARGS ...]}
shift
modes=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do modes+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#modes[@]} -eq 0 ] && modes=(fast accurate)
root=$(cd "$(dirname "$0")/.." && pwd)
long=${RUN_IR_MSIS:-200000}
short=${RUN_IR_SHORT:-20000}
[[ "$long" =~ ^[0-9]+$ && "$short" =~ ^[0-9]+$ ]] || { echo "run_ir.sh: RUN_IR_MSIS and RUN_IR_SHORT are numbers" >&2; exit 2; }
[ "$long" -gt "$short" ] || { echo "run_ir.sh: RUN_IR_MSIS ($long) must be above RUN_IR_SHORT ($short)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/tools/gen_scale.py" sources --msis "$short" > "$work/short.its"
python3 "$root/tools/gen_scale.py" sources --msis "$long" > "$work/long.its"
# The same run outside valgrind (the same arguments, with its summary
# instead of --quiet, without the preload): it must have sent and
# delivered every MSI of the trace and dropped none, so that a change that
# loses MSIs cannot pass for a cheaper one. (The run is deterministic: the
# one under callgrind does the same.)
delivered() {   # trace mode msis [extra run arguments]
    "$itsim" run "$1" --set mode="$2" "${@:4}" > "$work/check.txt" 2>&1 || { cat "$work/check.txt" >&2; exit 1; }
    grep -q "^  MSIs: *$3 sent, $3 delivered, 0 dropped;" "$work/check.txt" || {
        echo "run_ir.sh: the $2 run of $3 MSIs did not deliver them all:" >&2
        grep "MSIs:" "$work/check.txt" >&2 || cat "$work/check.txt" >&2
        exit 1
    }
}
ir() {   # trace mode -> Ir of the whole run
    env ${RUN_IR_PRELOAD:+LD_PRELOAD="$RUN_IR_PRELOAD"} \
        valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$itsim" run "$1" --quiet --set mode="$2" "${@:3}" \
        > "$work/run.txt" 2>&1 || { cat "$work/run.txt" >&2; exit 1; }
    sed -n 's/^==[0-9]*== Collected : //p' "$work/run.txt"
}
for m in "${modes[@]}"; do
    delivered "$work/short.its" "$m" "$short" "$@"
    delivered "$work/long.its" "$m" "$long" "$@"
    a=$(ir "$work/short.its" "$m" "$@")
    b=$(ir "$work/long.its" "$m" "$@")
    awk -v m="$m" -v a="$a" -v b="$b" -v n=$((long - short)) \
        'BEGIN { printf "itsim run, mode %s: %.1f Ir per MSI (%d MSIs: %.0f Ir; %d MSIs: %.0f Ir)\n", m, (b - a) / n, '"$short"', a, '"$long"', b }'
done
