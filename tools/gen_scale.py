#!/usr/bin/env python3
"""Traces for the README's "Long runs and scale" table (tools/scale.sh).

  gen_scale.py sources --msis N [--sources K]
      The default scenario's bring-up (16 devices of 32 vectors, 512 LPIs,
      4 CPUs, as tools/gen_bringup.py writes it), then K `source` lines
      (default 4, one device each, docs/sources.md) sending N MSIs between
      them: Poisson arrivals at 1 MHz each, Zipf(1.1) over the device's 32
      EventIDs, fixed seeds. A run of any length is a few lines.

  gen_scale.py setup [--devices D] [--cpus C] [--msis M]
      A large system brought up as Linux would: C CPUs (default 256), a
      collection each (MAPC + SYNC), D devices (default 2^20) in a two-level
      device table (its.device_table=indirect, 64K pages), each with one
      event (MAPD size=0 with a 256-byte ITT, MAPTI to LPI 8192 + d on
      collection d % C), so D LPIs (its.lpi_bits=21 holds 2^20 of them),
      every LPI enabled at priority 0xa0, INVALL + SYNC per collection; then
      M MSIs (default 65536) to devices spread over the whole DeviceID
      range, with expects on a sample (INTID and CPU from the mapping).

The output is written as it is made (a 10^7-line trace needs no memory)
and is the same for the same arguments: python3 tools/gen_scale.py ... > T.its
"""
import argparse
import random
import sys

LPI_BASE = 8192
ITT_BASE = 0x40000000  # the trace's 256 MiB of RAM (driver.h)


def sources(out, msis, nsources):
    w = out.write
    cpus, devices, vectors = 4, 16, 32
    w("itsim-trace 1\n")
    w("# The default scenario's bring-up, then %d MSIs from %d sources (tools/gen_scale.py sources).\n"
      % (msis, nsources))
    for c in range(cpus):
        w("cmd op=MAPC icid=%d rdbase=%d valid=1\ncmd op=SYNC rdbase=%d\n" % (c, c, c))
    w("wait until=drained\n")
    t_us = 2
    for d in range(devices):
        dev = 0x100 + d * 8
        w("@%dus cmd op=MAPD device=0x%x itt=0x%x size=4 valid=1\n" % (t_us, dev, ITT_BASE + d * 0x1000))
        for v in range(vectors):
            n = d * vectors + v
            w("cmd op=MAPTI device=0x%x event=%d intid=%d icid=%d\n" % (dev, v, LPI_BASE + n, n % cpus))
        w("cmd op=SYNC rdbase=%d\nwait until=drained\n" % (d % cpus))
        t_us += 4
    w("@%dus\n" % t_us)
    for n in range(devices * vectors):
        w("lpi intid=%d priority=0xa0 enable=1\n" % (LPI_BASE + n))
    for c in range(cpus):
        w("cmd op=INVALL icid=%d\ncmd op=SYNC rdbase=%d\n" % (c, c))
    w("wait until=drained\n")
    t_us += 20
    # N MSIs over K sources: the first N % K sources send one more.
    for k in range(nsources):
        count = msis // nsources + (1 if k < msis % nsources else 0)
        if count == 0:
            continue
        dev = 0x100 + (k % devices) * 8
        w("@%dus source device=0x%x events=0-%d rate=1MHz pattern=poisson popularity=zipf:1.1 count=%d seed=%d\n"
          % (t_us, dev, vectors - 1, count, 11 + k))
    w("expect cmd=%d ok\n" % (cpus * 2 + devices * (vectors + 2) + cpus * 2))


def setup(out, devices, cpus, msis):
    w = out.write
    if devices > 1 << 20 or devices < 1:
        sys.exit("gen_scale.py: --devices is 1 .. 2^20 (the 256 MiB of ITTs)")
    w("itsim-trace 1\n")
    w("# %d devices with one LPI each, %d CPUs, then %d MSIs (tools/gen_scale.py setup).\n"
      % (devices, cpus, msis))
    w("platform cpus=%d its.device_table=indirect its.page_size=64K its.lpi_bits=21 its.device_bits=20\n" % cpus)
    for c in range(cpus):
        w("cmd op=MAPC icid=%d rdbase=%d valid=1\ncmd op=SYNC rdbase=%d\n" % (c, c, c))
    w("wait until=drained\n")
    ncmds = 2 * cpus
    # Devices in batches of 256, each batch published and drained (the
    # driver's queue holds 64 KiB = 2048 commands).
    for d in range(devices):
        w("cmd op=MAPD device=0x%x itt=0x%x size=0 valid=1\n" % (d, ITT_BASE + d * 0x100))
        w("cmd op=MAPTI device=0x%x event=0 intid=%d icid=%d\n" % (d, LPI_BASE + d, d % cpus))
        ncmds += 2
        if d % 256 == 255 or d == devices - 1:
            w("cmd op=SYNC rdbase=%d\nwait until=drained\n" % (d // 256 % cpus))
            ncmds += 1
    for d in range(devices):
        w("lpi intid=%d priority=0xa0 enable=1\n" % (LPI_BASE + d))
    for c in range(cpus):
        w("cmd op=INVALL icid=%d\ncmd op=SYNC rdbase=%d\n" % (c, c))
        ncmds += 2
    w("wait until=drained\n")
    rng = random.Random(2026)
    sent = []
    for i in range(msis):
        d = rng.randrange(devices)
        w("+%dns msi device=0x%x event=0\n" % (50 + rng.randrange(200), d))
        if i < 8 or i == msis - 1 or i % 4096 == 0:
            sent.append((i + 1, d))
    w("+10us\n")
    w("expect cmd=1 ok\nexpect cmd=%d ok\n" % ncmds)
    for n, d in sent:
        w("expect msi=%d intid=%d cpu=%d\n" % (n, LPI_BASE + d, d % cpus))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("sources")
    s.add_argument("--msis", type=int, required=True)
    s.add_argument("--sources", type=int, default=4)
    u = sub.add_parser("setup")
    u.add_argument("--devices", type=int, default=1 << 20)
    u.add_argument("--cpus", type=int, default=256)
    u.add_argument("--msis", type=int, default=65536)
    a = ap.parse_args()
    out = sys.stdout
    if a.what == "sources":
        sources(out, a.msis, a.sources)
    else:
        setup(out, a.devices, a.cpus, a.msis)


if __name__ == "__main__":
    main()
