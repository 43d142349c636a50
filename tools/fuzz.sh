#!/usr/bin/env bash
# Build the libFuzzer harnesses (tb/libfuzzer) with clang 14 and run each
# for a while. See tb/libfuzzer/README.md.
#
#   tools/fuzz.sh [SECONDS] [HARNESS...]   each harness SECONDS (default 60)
#   tools/fuzz.sh --smoke                  build, replay seeds and kept
#                                          regressions, then ~10 s each
#   options: --jobs N   N parallel fuzzing processes per harness
#                       (-jobs=N -workers=N; default 1)
#            --build DIR  build tree (default build-fuzz)
#
# Findings (crash-*, leak-*, timeout-*, oom-*, slow-unit-*) go to
# <build>/findings/<harness>/; the growing corpus to <build>/corpus/<harness>/
# (kept between runs; --smoke uses a throw-away one). Exit status 1 when a
# harness found something or a replay failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

secs=60
smoke=0
jobs=1
build=build-fuzz
harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; secs=10 ;;
    --jobs) jobs=$2; shift ;;
    --build) build=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    [0-9]*) secs=$1 ;;
    *) harnesses+=("$1") ;;
  esac
  shift
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(trace_reader its_core gits_regs gicr_regs params)

max_len() {
  case "$1" in
    trace_reader) echo 16384 ;;
    its_core) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

command -v clang++-14 >/dev/null || { echo "fuzz.sh: clang++-14 missing (.ci/deps installs it)" >&2; exit 2; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DITSIM_LIBFUZZER=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
    { echo "fuzz.sh: configuring $build failed" >&2; exit 2; }
fi
targets=(fuzz_seeds)
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
if ! cmake --build "$build" -j2 --target "${targets[@]}" >"$build/fuzz-build.log" 2>&1; then
  tail -30 "$build/fuzz-build.log" >&2
  echo "fuzz.sh: build failed, see $build/fuzz-build.log" >&2
  exit 2
fi

bin=$root/$build/tb/libfuzzer
seeds=$bin/seeds
status=0
summary=()
for h in "${harnesses[@]}"; do
  findings=$root/$build/findings/$h
  mkdir -p "$findings"
  touch "$findings/.start"   # findings of this run only are counted
  regress=()
  [ -d "tb/libfuzzer/regressions/$h" ] && regress=("$root/tb/libfuzzer/regressions/$h")
  common=(-max_len="$(max_len "$h")" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
          -artifact_prefix="$findings/")
  # Kept regression inputs (and with --smoke every seed) once each. A
  # regression fails until its model bug is fixed; it is replayed apart so
  # that the fuzzing below still runs. libFuzzer stops a replay at the first
  # failing input, hence one replay per directory.
  replayed=ok
  replay() {   # NAME DIR: every input of DIR once
    if ! "$bin/fuzz_$h" -runs=0 "${common[@]}" -artifact_prefix="$findings/$1-" "$2" >"$findings/$1.log" 2>&1; then
      echo "fuzz.sh: $h: an input of $2 fails, see $findings/$1.log" >&2
      replayed=FAILED
      status=1
    fi
  }
  [ $smoke = 1 ] && replay seeds "$seeds/$h"
  [ ${#regress[@]} -gt 0 ] && replay regressions "${regress[0]}"
  if [ $smoke = 1 ]; then
    corpus=$(mktemp -d)
    extra=(-seed=1)
  else
    corpus=$root/$build/corpus/$h
    mkdir -p "$corpus"
    extra=()
  fi
  par=()
  [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
  log=$findings/fuzz.log
  rm -f "$findings"/fuzz-*.log
  echo "fuzz.sh: $h for ${secs}s (jobs $jobs)"
  set +e
  (cd "$findings" && "$bin/fuzz_$h" "${common[@]}" "${extra[@]}" "${par[@]}" -max_total_time="$secs" \
     "$corpus" "$seeds/$h") >"$log" 2>&1
  rc=$?
  set -e
  [ $smoke = 1 ] && rm -rf "$corpus"
  # With -jobs the per-job logs are fuzz-N.log next to the findings.
  logs=("$log")
  for f in "$findings"/fuzz-*.log; do [ -e "$f" ] && logs+=("$f"); done
  execs=$(cat "${logs[@]}" | awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}')
  rate=$(cat "${logs[@]}" | awk '/stat::average_exec_per_sec/ {s += $2} END {print s + 0}')
  found=$(find "$findings" -maxdepth 1 -newer "$findings/.start" \( -name 'crash-*' -o -name 'leak-*' \
          -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
  summary+=("$(printf '%-13s %10s execs %7s exec/s  %s finding(s)  rc %s  replay %s' \
               "$h" "$execs" "$rate" "$found" "$rc" "$replayed")")
  if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
    status=1
    echo "fuzz.sh: $h: see $log and $findings" >&2
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
