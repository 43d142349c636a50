#!/bin/sh
# Stands in for itsim in the CTest tools.run_ir_refuses_lost_msis: runs the
# itsim named by ITSIM_REAL with the same arguments and reports one MSI
# fewer delivered than it did, as a change that loses an MSI would. (No
# pipefail in sh: itsim's exit status is lost behind awk's, but an itsim
# that fails prints no summary line, and the test then fails its grep.)
"${ITSIM_REAL:?}" "$@" | awk '
    /^  MSIs: / && match($0, /sent, [0-9]+ delivered/) {
        n = substr($0, RSTART + 6, RLENGTH - 16) - 1
        $0 = substr($0, 1, RSTART + 5) n substr($0, RSTART + RLENGTH - 10)
    }
    { print }'
