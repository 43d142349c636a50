#!/usr/bin/env bash
# The instruction-count budget (README "Speed"): runs every row of the budget
# file - one workload of itsim_bench in one mode at a small scale - under
# callgrind, counting only the measured phase, and compares its instructions
# (Ir) per operation with the row's budget. The rows `run` and `run-events`
# are a whole itsim run per MSI instead (tools/run_ir.sh, docs/run-cost.md;
# run-events with --events and --stats), of the itsim beside the bench
# (BUILD/platform/itsim for BUILD/tb/itsim_bench), their scale the long
# run's MSIs over 200 000 (the short run a fifth of that).
#
#   tools/ir_budget.sh [options] ITSIM_BENCH [BUDGET_FILE]
#     ITSIM_BENCH   a Release gcc build of itsim_bench (the CTest entry
#                   bench.ir_budget uses the one tb/CMakeLists.txt builds in
#                   BUILD/tb/ir-budget)
#     BUDGET_FILE   default tb/bench/ir_budget.txt beside this script
#   --jobs N        valgrind runs at once (2)
#   --only LIST     only these rows: workload or workload/mode, comma-separated
#   --slowdown N    a deliberately slowed build, to see the check fail: pass
#                   --slowdown N to itsim_bench (N empty-loop turns per MSI);
#                   the run rows' itsim runs with BUILD/tb/libir_slow_notify.so
#                   preloaded, N turns per sc_event::notify(const sc_time&)
#                   (tb/bench/slow_notify.cpp)
#   --update        write the measured figures into BUDGET_FILE (comments and
#                   row order kept); review the change like any other
#   --workdir DIR   where the runs leave their logs and callgrind files
#                   (default: a temporary directory, removed at the end)
#
# Exit status: 0 every row within 3% above its budget (a row more than 10%
# below it says "lower the budget" and still passes), 1 a row more than 3%
# above its budget, 2 a usage error or a run that failed.
set -euo pipefail

jobs=2 only="" slowdown=0 update=0 workdir=""
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs=${2:?}; shift 2 ;;
        --only) only=${2:?}; shift 2 ;;
        --slowdown) slowdown=${2:?}; shift 2 ;;
        --update) update=1; shift ;;
        --workdir) workdir=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "ir_budget.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
bench=$1
root=$(cd "$(dirname "$0")/.." && pwd)
budget=${2:-$root/tb/bench/ir_budget.txt}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "ir_budget.sh: --jobs must be a positive number" >&2; exit 2; }
[[ "$slowdown" =~ ^[0-9]+$ ]] || { echo "ir_budget.sh: --slowdown must be a number" >&2; exit 2; }
if ! command -v valgrind > /dev/null; then
    echo "ir_budget.sh: valgrind not found (.ci/deps installs it)" >&2
    exit 2
fi
if [ ! -x "$bench" ]; then
    echo "ir_budget.sh: $bench: no such program (build the target itsim_bench_release)" >&2
    exit 2
fi
[ -r "$budget" ] || { echo "ir_budget.sh: $budget: cannot read the budget file" >&2; exit 2; }
bench=$(cd "$(dirname "$bench")" && pwd)/$(basename "$bench")
itsim=$(dirname "$(dirname "$bench")")/platform/itsim   # for the run rows
slow_lib=$(dirname "$bench")/libir_slow_notify.so           # their --slowdown

# The rows: workload mode scale Ir-per-op; '#' starts a comment.
rows=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    body=${line%%#*}
    read -r -a f <<< "$body" || true
    [ ${#f[@]} -eq 0 ] && continue
    if [ ${#f[@]} -ne 4 ] || ! [[ "${f[1]}" =~ ^(fast|accurate|-)$ ]] || ! [[ "${f[2]}" =~ ^[0-9]*\.?[0-9]+$ ]] ||
        ! [[ "${f[3]}" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
        echo "$budget:$lineno:1: a row is 'workload fast|accurate|- scale Ir-per-op', got '$body'" >&2
        exit 2
    fi
    if [ -n "$only" ]; then
        keep=0
        IFS=, read -r -a sel <<< "$only"
        for s in "${sel[@]}"; do
            [ "$s" = "${f[0]}" ] || [ "$s" = "${f[0]}/${f[1]}" ] && keep=1
        done
        [ $keep = 1 ] || continue
    fi
    if [[ "${f[0]}" =~ ^run(-events)?$ ]]; then
        if ! [[ "${f[1]}" =~ ^(fast|accurate)$ ]]; then
            echo "$budget:$lineno:1: a ${f[0]} row runs in mode fast or accurate, got '${f[1]}'" >&2
            exit 2
        fi
        if [ ! -x "$itsim" ]; then
            echo "ir_budget.sh: $itsim: no such program, for the ${f[0]} rows (build the target itsim beside itsim_bench)" >&2
            exit 2
        fi
        if [ "$slowdown" != 0 ] && [ ! -r "$slow_lib" ]; then
            echo "ir_budget.sh: $slow_lib: no such library, for the ${f[0]} rows' --slowdown (build the target ir_slow_notify beside itsim_bench)" >&2
            exit 2
        fi
    fi
    rows+=("${f[0]} ${f[1]} ${f[2]} ${f[3]}")
done < "$budget"
[ ${#rows[@]} -gt 0 ] || { echo "ir_budget.sh: no rows to run in $budget${only:+ (--only $only)}" >&2; exit 2; }

if [ -z "$workdir" ]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/ir_budget.XXXXXX")
    trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir"

# The compiler the budget was measured with (its header says) against the
# one that built this itsim_bench: a different compiler gives other figures.
want_cc=$(sed -n 's/^# built with: //p' "$budget" | head -n 1)
have_cc=$(readelf -p .comment "$bench" 2> /dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p' | grep '^GCC' | sort -u | head -n 1 || true)

run_row() {   # index workload mode scale
    local dir=$workdir/$1-$2-$3
    rm -rf "$dir" && mkdir -p "$dir"
    case "$2" in run|run-events)
        local long extra=()
        long=$(awk -v s="$4" 'BEGIN { printf "%d", s * 200000 + 0.5 }')
        [ "$2" = run-events ] && extra=(-- --events "$dir/events.jsonl" --stats "$dir/stats.json")
        local preload=""
        [ "$slowdown" != 0 ] && preload=$slow_lib
        (cd "$dir" && RUN_IR_MSIS=$long RUN_IR_SHORT=$((long / 5)) RUN_IR_PRELOAD=$preload ITSIM_SLOW_TURNS=$slowdown \
            "$root/tools/run_ir.sh" "$itsim" "$3" "${extra[@]}" \
            > out.txt 2> valgrind.txt) || echo "exit $?" > "$dir/failed"
        return ;;
    esac
    (cd "$dir" && valgrind --tool=callgrind --collect-atstart=no "$bench" --workload "$2" --mode "$3" --scale "$4" \
        --callgrind --slowdown "$slowdown" > out.txt 2> valgrind.txt) || echo "exit $?" > "$dir/failed"
}
start=$SECONDS
running=0
for i in "${!rows[@]}"; do
    read -r w m s _ <<< "${rows[$i]}"
    run_row "$i" "$w" "$m" "$s" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

failed=0 over=0 low=0
table="" paste=""
for i in "${!rows[@]}"; do
    read -r w m s b <<< "${rows[$i]}"
    dir=$workdir/$i-$w-$m
    ir=$(sed -n -e 's/^callgrind .* Ir_per_op=\([0-9.]*\).*/\1/p' -e 's/^itsim run, mode [a-z]*: \([0-9.]*\) Ir per MSI.*/\1/p' \
        "$dir/out.txt" 2> /dev/null | head -n 1)
    ok=1
    case "$w" in run|run-events) ;; *) grep -q 'check=ok' "$dir/out.txt" 2> /dev/null || ok=0 ;; esac
    if [ -e "$dir/failed" ] || [ -z "$ir" ] || [ $ok = 0 ]; then
        echo "ir_budget.sh: $w/$m at scale $s failed ($(cat "$dir/failed" 2> /dev/null || echo "no Ir per op printed")):" >&2
        tail -n 5 "$dir/out.txt" "$dir/valgrind.txt" >&2 || true
        failed=1
        continue
    fi
    verdict=$(awk -v b="$b" -v x="$ir" 'BEGIN {
        r = x / b
        if (r > 1.03) printf "%.4f OVER BUDGET (+%.1f%%)", r, (r - 1) * 100
        else if (r < 0.90) printf "%.4f ok, lower the budget (%.1f%%)", r, (r - 1) * 100
        else printf "%.4f ok", r }')
    case "$verdict" in *OVER*) over=1 ;; *lower*) low=1 ;; esac
    table+=$(printf '| %s | %s | %s | %s | %s | %s |' "$w" "$m" "$s" "$b" "$ir" "$verdict")$'\n'
    paste+=$(printf '%-10s %-9s %-6s %s' "$w" "$m" "$s" "$ir")$'\n'
done
[ $failed = 0 ] || exit 2

echo "Instructions (Ir) per operation in the measured phase, under callgrind ($((SECONDS - start)) s):"
echo "  budget: $budget${want_cc:+ (measured with $want_cc)}"
slowed=""
[ "$slowdown" = 0 ] || slowed=", --slowdown $slowdown"
echo "  itsim_bench: $bench${have_cc:+ (built with $have_cc)}$slowed"
if [ -n "$want_cc" ] && [ -n "$have_cc" ] && [ "$want_cc" != "$have_cc" ]; then
    echo "  note: another compiler than the budget's; the figures are not comparable to the instruction"
fi
echo
echo "| workload | mode | scale | budget Ir/op | measured Ir/op | ratio |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
printf '%s' "$table"
echo
echo "The rows with the measured figures (to paste into $(basename "$budget"), or run with --update):"
printf '%s' "$paste"

if [ $update = 1 ]; then
    tmp=$budget.tmp.$$
    awk -v rows="$paste" '
        BEGIN { n = split(rows, r, "\n"); for (i = 1; i <= n; ++i) { split(r[i], f, " "); if (f[1] != "") new[f[1] " " f[2]] = r[i] } }
        { body = $0; sub(/#.*/, "", body); split(body, f, " ")
          if (f[1] != "" && (f[1] " " f[2]) in new) print new[f[1] " " f[2]]; else print }' "$budget" > "$tmp"
    mv "$tmp" "$budget"
    echo
    echo "updated $budget"
fi
if [ $over = 1 ]; then
    echo
    echo "FAILED: a workload costs more than 3% above its budget. Find the change that added the instructions"
    echo "(tools/callgrind_self.py on the callgrind files of a --workdir run, against a run of the old build),"
    echo "or, if the cost is wanted, raise the"
    echo "budget in a reviewed change with the rows above."
    [ $update = 1 ] && exit 0
    exit 1
fi
[ $low = 0 ] || { echo; echo "A workload costs more than 10% below its budget: lower the budget (the rows above)."; }
exit 0
