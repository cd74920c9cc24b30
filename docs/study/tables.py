#!/usr/bin/env python3
"""Markdown tables of docs/STUDY.md that the HTML report does not print: per-cell results, width
trajectories per starting width, and training cost. Reads results bundles (`sweep results ID
--format json`) only; every number is a mean over the completed trials it names (n).

    python3 docs/study/tables.py docs/study/lenet300-study.json
"""
import json
import statistics
import sys
from collections import defaultdict


def mean_sd(values):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.1f} (n = 1)"
    return f"{statistics.mean(values):.1f} +- {statistics.stdev(values):.1f}"


def pct(values):
    if not values:
        return "-"
    sd = f" +- {100 * statistics.stdev(values):.2f}" if len(values) > 1 else ""
    return f"{100 * statistics.mean(values):.2f}%{sd}"


def main(paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            results += json.load(f)["results"]
    done = [r for r in results if r["state"] == "Completed"]
    failed = [r for r in results if r["state"] == "Failed"]
    print(f"{len(done)} completed and {len(failed)} failed trials of {len(results)} in {', '.join(paths)}\n")

    cells = defaultdict(list)
    for r in done:
        s = r["settings"]
        cells[(s["prior"], s["width"], s["init"])].append(r)
    layers = done[0]["layerNames"] if done else []
    print("| prior | width | init | n | " + " | ".join(f"{l} final" for l in layers)
          + " | validation error | test error | undecided strict | undecided tolerant | weights kept |")
    print("|---|---|---|---|" + "---|" * (len(layers) + 5))
    for (prior, width, init), rs in sorted(cells.items()):
        widths = [mean_sd([r["finalWidths"][k] for r in rs]) for k in range(len(layers))]
        print(f"| {prior} | {width} | {init} | {len(rs)} | " + " | ".join(widths)
              + f" | {pct([r['validationError'] for r in rs])} | {pct([r['testError'] for r in rs])}"
              + f" | {mean_sd([r['undecided'] for r in rs])} | {mean_sd([r['undecidedTolerant'] for r in rs])}"
              + f" | {pct([r['parametersFraction'] for r in rs])} |")

    print("\nWidth trajectories (kaiming-uniform; alive width per layer and strictly undecided gates, mean over seeds):\n")
    marks = [1, 2, 5, 10, 20, 30, 40]
    print("| prior | start width | n | " + " | ".join(f"epoch {m}" for m in marks) + " |")
    print("|---|---|---|" + "---|" * len(marks))
    for (prior, width, init), rs in sorted(cells.items()):
        if init != "kaiming-uniform":
            continue
        row = []
        for m in marks:
            at = [r["epochs"][m - 1] for r in rs if len(r["epochs"]) >= m]
            if not at:
                row.append("-")
                continue
            w = "-".join(str(round(statistics.mean(e["widths"][k] for e in at))) for k in range(len(layers)))
            row.append(f"{w} ({round(statistics.mean(e['undecided'] for e in at))})")
        print(f"| {prior} | {width} | {len(rs)} | " + " | ".join(row) + " |")

    print("\nTraining cost (training multiply-adds against dense training of the starting network, wall seconds per trial):\n")
    print("| prior | width | n | train FLOPs vs dense | wall s |")
    print("|---|---|---|---|---|")
    by_width = defaultdict(list)
    for r in done:
        by_width[(r["settings"]["prior"], r["settings"]["width"])].append(r)
    for (prior, width), rs in sorted(by_width.items()):
        print(f"| {prior} | {width} | {len(rs)} | {pct([r['trainFlopsFraction'] for r in rs])} | {mean_sd([r['wallSeconds'] for r in rs])} |")
    for r in failed:
        print(f"\nfailed: {r['settings']} {r.get('failureReason')}: {r.get('failureMessage')}")


if __name__ == "__main__":
    main(sys.argv[1:])
