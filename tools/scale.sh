#!/bin/sh
# The README's "Long runs and scale" table: wall-clock time, peak RSS
# (/usr/bin/time -v: "Maximum resident set size") and MSIs a second of
# `itsim run --quiet` (no summary, event log or statistics file) on
#   - 10^6, 10^7 and 10^8 MSIs from `source` lines (tools/gen_scale.py
#     sources: the default scenario's bring-up, then four sources);
#   - a 10^7-line trace (tools/gen_bringup.py --msis 10000000: the default
#     scenario with 10^7 msi lines);
#   - 2^20 mapped DeviceIDs in a two-level device table, 2^20 LPIs and 256
#     CPUs (tools/gen_scale.py setup): the set-up alone (--msis 0), then the
#     same followed by 10^6 msi lines (MSIs a second over the MSIs' part:
#     10^6 / (CPU - set-up CPU)).
# MSIs/s is per second of CPU time (user + system): on a shared host the
# wall clock also counts the other work.
# Rows go to stdout as they finish; the traces live in a temporary folder.
#
#     tools/scale.sh [ITSIM] [MAX] [MIN]   (default build/platform/itsim;
#         MAX, MIN: the largest and smallest source counts, default 10^8, 10^6)
# For a quick try, SCALE_LINES (msi lines of the long trace, default 10^7)
# and SCALE_DEVICES (default 2^20) make the last rows smaller;
# SCALE_SOURCES_ONLY=1 runs the source rows alone (two invocations can run
# side by side: the MSIs/s are per CPU second).
set -e
itsim=${1:-build/platform/itsim}
max=${2:-100000000}
min=${3:-1000000}
lines_msis=${SCALE_LINES:-10000000}
devices=${SCALE_DEVICES:-1048576}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME TRACE MSIS: one `itsim run --quiet` (no output; exit status
# 0: every expect held; max_time past the 25 s of simulated time 10^8
# source MSIs take); sets WALL and CPU (user + system) in s, RSS (KiB)
# and MSIS
measure() {
    if ! /usr/bin/time -v "$itsim" run "$2" --quiet --set max_time=1000s > "$tmp/$1.out" 2> "$tmp/$1.time"; then
        echo "tools/scale.sh: itsim run failed on $1:" >&2
        tail -n 5 "$tmp/$1.out" "$tmp/$1.time" >&2
        exit 1
    fi
    WALL=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/$1.time" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/$1.time")
    RSS=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/$1.time")
    MSIS=$3
}

# row TITLE [MSIS_FOR_RATE CPU_FOR_RATE]: the last measure's row; MSIs/s
# per second of CPU time (the wall clock also counts other work on the host)
row() {
    awk -v t="$1" -v w="$WALL" -v c="$CPU" -v r="$RSS" -v m="$MSIS" -v rm="$2" -v rc="$3" 'BEGIN {
        if (rm == "") { rm = m; rc = c }
        rate = rm > 0 && rc > 0 ? sprintf("%.2f M", rm / rc / 1e6) : "-"
        printf "| %s | %s | %.2f s | %.2f s | %.0f MB | %s |\n", t, m, w, c, r / 1024, rate }'
}

echo "| run | MSIs | wall | CPU | peak RSS | MSIs/s (CPU) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for n in 1000000 10000000 100000000; do
    [ "$n" -le "$max" ] && [ "$n" -ge "$min" ] || continue
    python3 "$here/gen_scale.py" sources --msis "$n" > "$tmp/s$n.its"
    measure s$n "$tmp/s$n.its" "$n"
    row "$n MSIs from 4 sources"
done

[ -z "$SCALE_SOURCES_ONLY" ] || exit 0
python3 "$here/gen_bringup.py" --msis "$lines_msis" > "$tmp/lines.its"
lines=$(wc -l < "$tmp/lines.its")
measure lines "$tmp/lines.its" "$lines_msis"
row "a $lines-line trace (gen_bringup.py --msis $lines_msis)"
rm -f "$tmp/lines.its"

python3 "$here/gen_scale.py" setup --devices "$devices" --msis 0 > "$tmp/setup0.its"
measure setup0 "$tmp/setup0.its" 0
row "set-up: $devices DeviceIDs (two-level), $devices LPIs, 256 CPUs"
c0=$CPU
rm -f "$tmp/setup0.its"
python3 "$here/gen_scale.py" setup --devices "$devices" --msis 1000000 > "$tmp/setup1.its"
measure setup1 "$tmp/setup1.its" 1000000
row "the same set-up, then 10^6 msi lines (rate: the MSIs' part)" "$MSIS" "$(awk -v a="$CPU" -v b="$c0" 'BEGIN { print a - b }')"
