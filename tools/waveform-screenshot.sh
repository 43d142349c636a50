#!/bin/sh
# Screenshot of a VCD opened with a GTKWave save file, under a virtual X
# server (needs xvfb, gtkwave, imagemagick):
#   tools/waveform-screenshot.sh FILE.vcd SAVEFILE.gtkw OUT.png [WIDTHxHEIGHT]
# Run it from the top of the repository (the save file finds its translate
# filters in tools/gtkw/). docs/waveform.png was made with
#   build/platform/itsim run traces/bringup.its --vcd build/bringup.vcd
#   tools/waveform-screenshot.sh build/bringup.vcd traces/itsim.gtkw docs/waveform.png
set -eu
[ $# -ge 3 ] || { echo "usage: $0 FILE.vcd SAVEFILE.gtkw OUT.png [WIDTHxHEIGHT]" >&2; exit 2; }
vcd=$1 save=$2 png=$3 size=${4:-1600x1150}
export VCD="$vcd" SAVE="$save" PNG="$png"
xvfb-run -a -s "-screen 0 ${size}x24" sh -c '
  gtkwave "$VCD" "$SAVE" >/dev/null 2>&1 &
  pid=$!
  sleep 5
  import -window root "$PNG"
  kill $pid 2>/dev/null || true'
echo "wrote $png"
