#!/usr/bin/env bash
# A parent project with add_subdirectory(itsim): configures without looking
# up Boost or GoogleTest, builds only the library, links and runs.
#   run_subproject.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
cmake -S "$src/tb/integration/subproject" -B "$work" -DITSIM_SOURCE_DIR="$src" > "$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; exit 1; }
if grep -E -i "boost|gtest|googletest" "$work/configure.log"; then
    echo "run_subproject.sh: the subproject looked up Boost or GoogleTest" >&2
    exit 1
fi
cmake --build "$work" -j2 > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; exit 1; }
for t in itsim itsim_platform; do
    if [ -e "$work/itsim/platform/$t" ] || grep -q "Building.*platform/" "$work/build.log"; then
        echo "run_subproject.sh: the subproject built the program ($t)" >&2
        exit 1
    fi
done
"$work/parent"
