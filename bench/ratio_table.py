#!/usr/bin/env python3
"""Turns ctnn_bench's JSON output into a Markdown table of ctnn against its baselines.

    ctnn_bench --benchmark_format=json > results.json   (or --benchmark_out=results.json)
    python3 bench/ratio_table.py results.json [--compile compile.json] [--output results.md]

One row per workload (the part of a benchmark name before '/': W2_b1/ctnn, W2_b1/naive,
W2_b1/eigen and W2_b1/torch are one row). The libtorch columns appear only when the run has
libtorch results (ctnn_bench built where CMake found Torch). Times are CPU times in ns, the median of the repetitions when the
run had them. A ratio is ctnn's time over the baseline's: below 1 means ctnn is faster. With
--compile (compile_cost.py's JSON) a second table gives each file's compile time and memory.
Multicore runs (<workload>/<how>/threads/<N>, wall-clock time) get a table of their own: the
time on each thread count and the speed-up over one thread.
Only the Python standard library is used.
"""

import argparse
import json
import os
import statistics
import sys

TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
IMPLEMENTATIONS = ("ctnn", "naive", "eigen", "torch")
LABELS = {"ctnn": "ctnn", "naive": "naive", "eigen": "Eigen", "torch": "libtorch"}


def collect(benchmarks):
    """{run_name: entry}: the median aggregate if there is one, else the median of the runs."""
    medians, runs = {}, {}
    for b in benchmarks:
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b
        elif "error_occurred" not in b:
            runs.setdefault(name, []).append(b)
    result = dict(medians)
    for name, entries in runs.items():
        if name not in result:
            result[name] = {
                "time_unit": entries[0].get("time_unit", "ns"),
                "cpu_time": statistics.median(e["cpu_time"] for e in entries),
                "FLOP/s": statistics.median(e.get("FLOP/s", 0.0) for e in entries),
                "%peak": statistics.median(e.get("%peak", 0.0) for e in entries),
            }
    return result


def ns(entry):
    return entry["cpu_time"] * TO_NS[entry.get("time_unit", "ns")]


def table(data):
    results = collect(data["benchmarks"])
    workloads = []  # in the order the benchmarks ran
    for name in results:
        workload, _, implementation = name.partition("/")
        if implementation in IMPLEMENTATIONS and workload not in workloads:
            workloads.append(workload)

    context = data.get("context", {})
    lines = []
    if "fma_peak_gflops" in context:
        lines.append("FP32 FMA peak of this core: %.1f GFLOP/s (ctnn SIMD: %s)"
                     % (float(context["fma_peak_gflops"]), context.get("ctnn_simd", "?")))
        if "l2_read_gbps" in context:
            lines.append("L2 read bandwidth of this core: %.1f GB/s"
                         % float(context["l2_read_gbps"]))
        lines.append("")
    shown = [i for i in IMPLEMENTATIONS
             if any(results.get(w + "/" + i) for w in workloads)] or ["ctnn"]
    baselines = [i for i in shown if i != "ctnn"]
    header = ["workload"] + ["%s ns" % LABELS[i] for i in shown]
    header += ["ctnn/%s" % LABELS[i] for i in baselines] + ["ctnn GFLOP/s", "ctnn %peak"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---" + "|---:" * (len(header) - 1) + "|")
    for workload in workloads:
        entry = {i: results.get(workload + "/" + i) for i in IMPLEMENTATIONS}
        times = {i: ns(e) if e else None for i, e in entry.items()}

        def cell_time(i):
            return "%.1f" % times[i] if times[i] is not None else "n/a"

        def cell_ratio(i):
            if times["ctnn"] is None or times[i] is None:
                return "n/a"
            return "%.2f" % (times["ctnn"] / times[i])

        ctnn = entry["ctnn"]
        gflops = "%.1f" % (ctnn["FLOP/s"] * 1e-9) if ctnn and "FLOP/s" in ctnn else "n/a"
        peak = "%.1f" % ctnn["%peak"] if ctnn and "%peak" in ctnn else "n/a"
        row = [workload] + [cell_time(i) for i in shown] + [cell_ratio(i) for i in baselines]
        lines.append("| " + " | ".join(row + [gflops, peak]) + " |")
    lines.append("")
    lines.append("Times: CPU ns per call (median of the repetitions). Ratios: ctnn's time over "
                 "the baseline's, below 1 = ctnn faster.")
    return "\n".join(lines) + "\n"


def multicore_table(data):
    """Rows of <workload>/<how>/threads/<N> runs: wall time per thread count, speed-up."""
    runs = {}  # (workload, how) -> {threads: entry}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        parts = b.get("run_name", b["name"]).split("/")
        if len(parts) >= 4 and parts[2] == "threads":
            runs.setdefault((parts[0], parts[1]), {}).setdefault(int(parts[3]), []).append(b)
    if not runs:
        return ""
    counts = sorted({n for r in runs.values() for n in r})
    header = (["workload", "how"] + ["%d thread%s us" % (n, "" if n == 1 else "s") for n in counts]
              + ["speed-up %d/1" % n for n in counts if n > 1])
    lines = ["Multicore (wall-clock time, median):", "",
             "| " + " | ".join(header) + " |", "|---|---" + "|---:" * (len(header) - 2) + "|"]
    for (workload, how), by_threads in runs.items():
        times = {n: statistics.median(e["real_time"] * TO_NS[e.get("time_unit", "ns")]
                                      for e in entries) * 1e-3
                 for n, entries in by_threads.items()}
        row = [workload, how] + ["%.1f" % times[n] if n in times else "n/a" for n in counts]
        row += ["%.2f" % (times[1] / times[n]) if 1 in times and n in times else "n/a"
                for n in counts if n > 1]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def compile_table(data):
    lines = ["Compile cost (`%s %s -c`, one file at a time):"
             % (os.path.basename(data["compiler"]), data.get("flags_summary", data["flags"])),
             "",
             "| file | CPU s | wall s | peak memory GB | within 10 s / 1.5 GB |",
             "|---|---:|---:|---:|---|"]
    for f in data["files"]:
        lines.append("| %s | %.1f | %.1f | %.2f | %s |" % (
            f["name"],
            f["cpu_seconds"], f["wall_seconds"], f["peak_rss_bytes"] / 1e9,
            ("yes" if f["within_budget"] else "no") if f["ok"] else "failed"))
    lines.append("")
    lines.append("CPU time is user + system of the compiler's processes (wall time also counts "
                 "waiting for a shared core).")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="Google Benchmark JSON output of ctnn_bench")
    parser.add_argument("--compile", help="compile_cost.py's JSON output: adds its table")
    parser.add_argument("--output", help="also write the Markdown table to this file")
    args = parser.parse_args()
    with open(args.json, encoding="utf-8") as f:
        data = json.load(f)
    text = table(data)
    multicore = multicore_table(data)
    if multicore:
        text += "\n" + multicore
    if args.compile:
        with open(args.compile, encoding="utf-8") as f:
            text += "\n" + compile_table(json.load(f))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
