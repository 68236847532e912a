#!/usr/bin/env python3
"""Per-instance table and counts of a `certmax batch` run, for RESULTS.md.

Usage: summarize.py RESULTS.csv [STDERR.log]

RESULTS.csv is the batch's output (category,onnx,vnnlib,prepare_s,result,run_s); the
optional STDERR.log is the batch's stderr with --progress, whose last "bab: ..." line per
property gives the branch-and-bound statistics. Prints Markdown on stdout.
"""
import csv
import re
import statistics
import sys
from pathlib import Path

LINE = re.compile(r"certmax: (?P<name>[^:]+): bab(?:: (?P<end>[^:]+))?: (?P<nodes>\d+) nodes bounded, queue (?P<queue>\d+) "
                  r"\((?P<mem>[^)]*)\), worst bound (?P<worst>\S+), proved (?P<proved>\S+)% of the (?:box|tree), depth (?P<depth>\d+), "
                  r"(?:splits (?P<inputsplits>\d+) input (?P<relusplits>\d+) relu, )?(?P<attacks>\d+) attacks")


def main() -> None:
    rows = list(csv.DictReader(open(sys.argv[1], newline="")))
    bab = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2], errors="replace"):
            m = LINE.search(line)
            if m:
                bab[m["name"].removesuffix(".gz")] = m.groupdict()
    counts = {}
    for r in rows:
        counts[r["result"]] = counts.get(r["result"], 0) + 1
    proved = [float(r["run_s"]) for r in rows if r["result"] == "unsat"]
    print("| result | count |\n|---|--:|")
    for k in ["unsat", "sat", "unknown", "timeout", "error"]:
        print(f"| {k} | {counts.get(k, 0)} |")
    print()
    print(f"Median run_s per proved instance: {statistics.median(proved):.1f} s" if proved else "Median run_s per proved instance: - (none proved)")
    if rows:
        print(f"Median run_s over all: {statistics.median(float(r['run_s']) for r in rows):.1f} s")
    print()
    print("| vnnlib | result | run_s | end | nodes bounded | open nodes | depth | worst bound | input / relu splits | attacks |")
    print("|---|---|--:|---|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        name = Path(r["vnnlib"]).name
        b = bab.get(name.removesuffix(".gz"))
        splits = f"{b['inputsplits']} / {b['relusplits']}" if b and b["inputsplits"] is not None else "-"
        cells = [b["end"] or "-", b["nodes"], b["queue"], b["depth"], b["worst"], splits, b["attacks"]] if b else ["-"] * 7
        print(f"| {name} | {r['result']} | {float(r['run_s']):.1f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
