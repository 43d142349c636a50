#!/usr/bin/env bash
# The example platform (tb/integration/example) as a user builds it: itsim
# installed into a temporary prefix (cmake --install), then the example
# configured, built and run from there twice, once through
# find_package(itsim) and once through pkg-config. Exit status 0 when both
# builds ran and the example's checks passed.
#   run_example.sh SOURCE_DIR BUILD_DIR [CXX [FLAGS]]
# CXX and FLAGS: the compiler and the sanitizer flags the library was built
# with (a sanitized libitsim.a links only into a sanitized program).
set -euo pipefail
src=$1 build=$2 cxx=${3:-c++} flags=${4:-}
work=$(mktemp -d /tmp/itsim-example.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() {   # step NAME LOG COMMAND...: runs it, shows the log's end on failure
    local name=$1 log=$2; shift 2
    if ! "$@" > "$log" 2>&1; then
        echo "run_example.sh: $name failed:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

# The README shows the example's assembly: every line of it, as in main.cpp.
sed -n '/---- The assembly/,/---- end of the assembly/p' "$src/tb/integration/example/main.cpp" | sed '1d;$d;s/^    //' |
while IFS= read -r line; do
    grep -qxF -- "$line" "$src/README.md" ||
        { echo "run_example.sh: README.md does not show this line of the example's assembly: $line" >&2; exit 1; }
done

step install "$work/install.log" cmake --install "$build" --prefix "$prefix"
pcdir=$(dirname "$(find "$prefix" -name itsim.pc | head -n 1)")
[ -f "$pcdir/itsim.pc" ] || { echo "run_example.sh: no itsim.pc installed" >&2; exit 1; }
[ -f "$prefix/include/itsim/msi/msi_frontend.h" ] || { echo "run_example.sh: headers not installed" >&2; exit 1; }

common=(-S "$src/tb/integration/example" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags")
# With find_package: only the prefix is known to CMake.
step "configure (find_package)" "$work/cmake.log" cmake "${common[@]}" -B "$work/with-cmake" -DCMAKE_PREFIX_PATH="$prefix"
step "build (find_package)" "$work/cmake-build.log" cmake --build "$work/with-cmake" -j2
# With pkg-config: only the .pc directory is known, and CMake is told nothing.
step "configure (pkg-config)" "$work/pc.log" env PKG_CONFIG_PATH="$pcdir" cmake "${common[@]}" -B "$work/with-pc" -DUSE_PKG_CONFIG=ON
step "build (pkg-config)" "$work/pc-build.log" cmake --build "$work/with-pc" -j2
# Neither build may have read a header from the source or build tree.
if grep -rqs -e "$src/models" -e "$build/include" "$work/with-cmake/CMakeFiles" "$work/with-pc/CMakeFiles"; then
    echo "run_example.sh: the example was compiled against the source or build tree, not the installed package" >&2
    exit 1
fi
echo "== find_package"
"$work/with-cmake/example"
echo "== pkg-config"
"$work/with-pc/example"
