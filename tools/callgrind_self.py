#!/usr/bin/env python3
"""Exclusive (self) costs of a callgrind output file, per function, per
object (the program, libsystemc, libc) or per source file, divided by a
number of operations.

    tools/callgrind_self.py FILE [--ops N] [--event Ir] [--by function|object|file] [--top K]

FILE is a callgrind.out file (tools/ir_budget.sh --workdir DIR keeps one per
row: DIR/<row>/callgrind.out.<pid>.1 is the measured phase; the bench
prints its operation count as ops=N). --event names any event the file
recorded (Ir; with --cache-sim=yes also D1mr, D1mw, ...).

Why not callgrind_annotate: valgrind 3.19's callgrind_annotate attributes
exclusive costs wrongly when a file or function name is first defined on a
call line (cfi=, cfl=, cfn=), which link-time optimised builds produce, and
it has no per-object totals. This script reads the format itself: name
compression, relative positions, and the cost line after each calls= line
(an inclusive cost, which is not the caller's own).
"""
import argparse
import collections
import re
import sys

NAME = re.compile(r"\((\d+)\)(?: (.*))?")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--ops", type=float, default=1.0, help="divide by this many operations (default 1)")
    ap.add_argument("--event", default="Ir")
    ap.add_argument("--by", choices=["function", "object", "file"], default="function")
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args()
    if a.ops <= 0:
        sys.exit("callgrind_self.py: --ops must be positive")

    names = {"ob": {}, "fl": {}, "fn": {}}

    def name(kind, text):
        m = NAME.match(text.strip())
        if not m:   # an uncompressed name
            return text.strip()
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), "(%s)" % m.group(1))

    column = None
    positions = 1   # "positions: line"; --dump-instr=yes makes it "instr line"
    ob = fl = fn = None
    after_calls = False
    cost = collections.Counter()
    try:
        f = open(a.file)
    except OSError as e:
        sys.exit("callgrind_self.py: %s" % e)
    with f:
        for line in f:
            if line.startswith("positions:"):
                positions = len(line.split()) - 1
            elif line.startswith("events:"):
                events = line.split()[1:]
                if a.event not in events:
                    sys.exit("callgrind_self.py: %s: no event %s (it has %s)" % (a.file, a.event, " ".join(events)))
                column = positions + events.index(a.event)
            elif line.startswith("ob="):
                ob = name("ob", line[3:])
            elif line.startswith("fl="):
                fl = name("fl", line[3:])
            elif line.startswith(("fi=", "fe=")):
                fl = name("fl", line[3:])
            elif line.startswith("fn="):
                fn = name("fn", line[3:])
            elif line.startswith("cob="):
                name("ob", line[4:])
            elif line.startswith(("cfi=", "cfl=")):
                name("fl", line[4:])
            elif line.startswith("cfn="):
                name("fn", line[4:])
            elif line.startswith("calls="):
                after_calls = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                if after_calls:   # the call's inclusive cost
                    after_calls = False
                    continue
                parts = line.split()
                if column is not None and len(parts) > column:
                    key = {"function": fn, "object": ob, "file": fl}[a.by]
                    cost[key] += int(parts[column])
    if column is None:
        sys.exit("callgrind_self.py: %s: not a callgrind file (no events: line)" % a.file)
    total = sum(cost.values())
    print("%s per operation: %.1f (%d in all, %g operations)" % (a.event, total / a.ops, total, a.ops))
    for key, c in cost.most_common(a.top):
        print("%10.1f  %s" % (c / a.ops, key))


if __name__ == "__main__":
    main()
