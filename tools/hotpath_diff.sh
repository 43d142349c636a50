#!/usr/bin/env bash
# Same inputs, same outputs, before and after a speed change (docs/performance.md):
# runs every scenario, regression and source trace in both timing modes on two
# itsim binaries and compares the event logs, statistics files, waveforms and
# console output byte for byte. Each run is made twice: with a waveform (--vcd)
# and without one, since a waveform of the lines turns the redistributors'
# coalescing off (redistributor.h, "Coalesced fast mode").
#
#   tools/hotpath_diff.sh OLD_ITSIM NEW_ITSIM [OUTDIR]
#     OLD_ITSIM  e.g. a build of the commit before the change, made in a
#                worktree: git worktree add /tmp/old HEAD; cmake -S /tmp/old -B /tmp/old/b ...
#     OUTDIR     where both sides' outputs go (default /tmp/hotpath_diff); the
#                old side's outputs are kept there and reused while OLD_ITSIM
#                is unchanged
# Exit status 0: every file identical; 1: a difference (listed as DIFF lines).
# A run that takes longer than HOTPATH_TIMEOUT seconds (300) is stopped (exit 124
# in its .out file): a hang of one side shows as a difference.
set -uo pipefail
old=${1:?OLD_ITSIM}; new=${2:?NEW_ITSIM}; out=${3:-/tmp/hotpath_diff}
root=$(cd "$(dirname "$0")/.." && pwd)
stamp=$(sha1sum "$old" | cut -c1-40)
if [ "$(cat "$out/old/.binary" 2>/dev/null)" != "$stamp" ]; then rm -rf "$out/old"; fi
rm -rf "$out/new"; mkdir -p "$out/old" "$out/new"
run() {   # side binary trace mode (mode "fast" or "accurate", "-nv": without a waveform)
    local n m=${4%-nv} w=(); n=$(basename "$3" .its)
    [ "$m" = "$4" ] && w=(--vcd "$out/$1/$n.$4.vcd")
    (cd "$root" && timeout "${HOTPATH_TIMEOUT:-300}" "$2" run "$3" --set mode="$m" --events "$out/$1/$n.$4.jsonl" --stats "$out/$1/$n.$4.json" \
        "${w[@]}" >"$out/$1/$n.$4.out" 2>&1; echo "exit $?" >>"$out/$1/$n.$4.out")
}
fail=0
for t in "$root"/traces/*.its "$root"/tb/regress/*.its "$root"/tb/sources/*.its; do
    n=$(basename "$t" .its)
    for m in fast accurate fast-nv accurate-nv; do
        [ -f "$out/old/$n.$m.out" ] || run old "$old" "$t" "$m"
        run new "$new" "$t" "$m"
        for f in jsonl json vcd; do
            [ "$f" = vcd ] && [ "${m%-nv}" != "$m" ] && continue
            cmp -s "$out/old/$n.$m.$f" "$out/new/$n.$m.$f" || { echo "DIFF $n.$m.$f"; fail=1; }
        done
        # the console output but for the run's wall time
        cmp -s <(sed -E 's/ simulated in [0-9.]+ s/ simulated/' "$out/old/$n.$m.out") \
            <(sed -E 's/ simulated in [0-9.]+ s/ simulated/' "$out/new/$n.$m.out") || { echo "DIFF $n.$m.out"; fail=1; }
    done
done
echo "$stamp" >"$out/old/.binary"
[ $fail = 0 ] && echo "identical: every trace, both modes, with and without a waveform (events, stats, vcd, output)"
exit $fail
