#!/bin/sh
# The README's GICv4 latency table: traces/v4_kvm.its (Linux's and KVM's
# sequence) run with gic.version=4.0 and 4.1, each run's "virtual"
# statistics and the V commands' latencies side by side, in nanoseconds
# (mean over the run's samples).
#
#     tools/v4_latency.sh [ITSIM]      (default: build/platform/itsim)
set -e
itsim=${1:-build/platform/itsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for v in 4.0 4.1; do
    sed "s/^platform gic.version=4.1/platform gic.version=$v/" traces/v4_kvm.its > "$tmp/v4_kvm_$v.its"
    "$itsim" run "$tmp/v4_kvm_$v.its" --quiet --stats "$tmp/$v.json"
done
python3 - "$tmp/4.0.json" "$tmp/4.1.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
rows = [
    ("vLPI to a resident vPE: MSI write to vCPU acknowledge", "virtual", "vlpi_write_to_vack"),
    ("vLPI to a non-resident vPE: MSI write to doorbell pending", "virtual", "vlpi_write_to_doorbell"),
    ("doorbell pending to the vPE scheduled (Dirty read 0)", "virtual", "doorbell_to_schedule"),
    ("doorbell pending to the vCPU's acknowledge", "virtual", "doorbell_to_vack"),
    ("schedule: GICR_VPENDBASER write to Dirty read 0", "virtual", "schedule"),
    ("deschedule: GICR_VPENDBASER write to Dirty read 0", "virtual", "deschedule"),
    ("VMAPP (CWRITER write to CREADR past it)", "cmd", "VMAPP"),
    ("VMAPTI", "cmd", "VMAPTI"),
    ("VMOVP", "cmd", "VMOVP"),
    ("VSYNC", "cmd", "VSYNC"),
]
def get(s, where, key):
    d = (s.get("virtual", {}) if where == "virtual" else s["commands"]["latency_by_type"]).get(key)
    return "-" if not d or not d["count"] else "%.1f" % (d["mean_ps"] / 1000.0)
print("| latency (ns, mean) | GICv4.0 | GICv4.1 |")
print("| --- | ---: | ---: |")
for title, where, key in rows:
    print("| %s | %s | %s |" % (title, get(a, where, key), get(b, where, key)))
PY
