#!/usr/bin/env python3
"""Ir per operation by stage of the hot MSI, from a callgrind file of
itsim_bench (docs/performance.md says how it is made).

  tools/hotpath_stages.py CALLGRIND_FILE OPS

Inclusive counts of the functions that begin each stage, differences where
one stage calls the next, divided by OPS (the bench's ops=)."""
import re
import subprocess
import sys

STAGES = [
    # (stage, function whose inclusive Ir it is, functions to subtract)
    ("MSI write: driver, bus master, bus", "itsim::DriverAgent::send_msi", ["itsim::Its::b_transport"]),
    ("ITS: GITS_TRANSLATER decode, ingress, lane", "itsim::Its::b_transport", ["itsim::ItsCore::translate"]),
    ("ITS: translate (device, event, collection caches)", "itsim::ItsCore::translate", ["itsim::Its::Env::send"]),
    ("LPI stream: set_pending at the redistributor (config lookup, post)", "itsim::Its::Env::send", []),
    ("redistributor: commit at its time (pending, priority order)", "itsim::Redistributor::apply_commits", []),
    ("CPU line: rise (irq signal, line_rose)", "itsim::Redistributor::drive_line", []),
    ("acknowledge (ICC_IAR1, line falls)", "itsim::CpuInterface::do_ack", []),
    ("end of interrupt (ICC_EOIR1, next)", "itsim::CpuInterface::end_handler", []),
    ("redistributor tick() itself and arm()", "itsim::Redistributor::tick",
     ["itsim::Redistributor::apply_commits", "itsim::Redistributor::drive_line", "itsim::CpuInterface::wake"]),
    ("platform records: System::on_msi / on_change / on_ack (platform/system.cpp)", None, []),
    ("SystemC kernel: scheduling, timed events, signal update", None, []),
]
RECORDS = ["System::System(itsim::Params const&)::{lambda(itsim::MsiRecord const&)",
           "itsim::System::on_change(",
           "System::System(itsim::Params const&)::{lambda(itsim::AckRecord const&)"]


def inclusive(path):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                         capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+\S*?:(.*) \[", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2)))
    return rows


def find(rows, name):
    best = 0
    for ir, fn in rows:
        if fn.startswith(name + "(") or fn.startswith("non-virtual thunk to " + name + "(") or name in fn and name.endswith("("):
            best = max(best, ir)
    return best


def main():
    path, ops = sys.argv[1], int(sys.argv[2])
    rows = inclusive(path)
    total = max(ir for ir, _ in rows)
    done = 0
    out = []
    inline = find(rows, "itsim::Its::accept_inline") > 0
    if not inline:
        print("# accurate mode: the translation runs in a worker thread and its waits count the\n"
              "# processes that run meanwhile (inclusive Ir through a thread switch); only the total is exact")
    for stage, fn, minus in STAGES:
        if fn is None:
            continue
        if not inline:
            minus = [m for m in minus if m != "itsim::ItsCore::translate"]
        v = find(rows, fn) - sum(find(rows, m) for m in minus)
        out.append((stage, v))
    rec = 0
    for r in RECORDS:
        rec += max((ir for ir, fn in rows if r in fn), default=0)
    # the records run inside the stages above (not added to the total twice)
    out.append((STAGES[9][0], rec))
    send = find(rows, "itsim::DriverAgent::send_msi")
    tick = find(rows, "itsim::Redistributor::tick")
    kernel = total - send - tick
    out.append((STAGES[10][0] + " (all but send_msi and tick)", kernel))
    for stage, v in out:
        print(f"{stage}\t{v / ops:.0f}")
    print(f"total\t{total / ops:.0f}")


main()
