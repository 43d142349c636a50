#!/usr/bin/env python3
"""Prints the latency tables of an `itsim run --stats FILE` as Markdown.

    python3 tools/stats_table.py stats.json
"""
import json
import sys


def ns(ps):
    return "%.1f" % (ps / 1000.0)


def table(title, dists):
    print("| %s | count | mean ns | p50 ns | p90 ns | p99 ns | max ns |" % title)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, d in dists.items():
        if not d["count"]:
            continue
        print("| %s | %d | %s | %s | %s | %s | %s |" % (
            name, d["count"], ns(d["mean_ps"]), ns(d["p50_ps"]), ns(d["p90_ps"]),
            ns(d["p99_ps"]), ns(d["max_ps"])))
    print()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: stats_table.py STATS.json")
    s = json.load(open(sys.argv[1]))
    table("MSI stage", s["msi"]["stages"])
    table("MSI end to end", s["msi"]["latency"])
    table("command (issued to done)", s["commands"]["latency_by_type"])
    c = s["caches"]
    print("| cache | hits | misses | evictions | hit rate |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, v in c.items():
        print("| %s | %d | %d | %d | %.1f%% |" % (name, v["hits"], v["misses"], v["evictions"],
                                                  100.0 * v["hit_rate"]))


if __name__ == "__main__":
    main()
