#!/usr/bin/env python3
# Host time of a vectorized block-table update: every new (request, head group) page id of a step
# written by one numpy scatter into the [requests, groups, blocks] int32 table, the design the
# Tangram paper calls a vectorized block table (one operation over all groups, not a Python
# call per group). The cost model's blockTableVectorized* coefficients (docs/cost-model.md).
#
#   python3 scripts/block-table-scatter-bench.py OUT.csv
#
# For N entries (one new page per (request, group) at a decode step: rows of R requests x G
# groups), the index arrays are built before the timed call, as a scheduler hands the worker its
# new block ids; the timed call is the scatter `table[r, g, col] = ids`. Sizes are visited round by
# round after a warm-up; the CSV holds each size's median, nearest-rank p90 and minimum.
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import platform
import statistics
import sys
import time

import numpy as np

ROUNDS = 8
CALLS = 200
REQUESTS, GROUPS, BLOCKS = 256, 256, 2048   # a 256-request table of 256 groups x 32K tokens
SIZES = [1, 8, 64, 512, 4096, 16384, 65536]


def main():
    out = sys.argv[1]
    table = np.zeros((REQUESTS, GROUPS, BLOCKS), dtype=np.int32)
    rng = np.random.default_rng(1)
    cases = {}
    for n in SIZES:
        flat = rng.choice(REQUESTS * GROUPS, size=n, replace=False)
        r, g = np.divmod(flat, GROUPS)
        col = rng.integers(0, BLOCKS, size=n)
        ids = rng.integers(0, 1 << 24, size=n, dtype=np.int32)
        cases[n] = (r, g, col, ids)
    times = {n: [] for n in SIZES}
    for n in SIZES:  # warm-up
        r, g, col, ids = cases[n]
        for _ in range(20):
            table[r, g, col] = ids
    for _ in range(ROUNDS):
        for n in SIZES:
            r, g, col, ids = cases[n]
            for _ in range(CALLS):
                t0 = time.perf_counter()
                table[r, g, col] = ids
                times[n].append(time.perf_counter() - t0)
    with open(out, "w") as f:
        f.write(f"# python3 scripts/block-table-scatter-bench.py {out}\n")
        f.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {platform.machine()}, "
                f"{platform.processor() or 'cpu'}; python {platform.python_version()}, numpy {np.__version__}\n")
        f.write(f"# table int32 [{REQUESTS}, {GROUPS}, {BLOCKS}]; {ROUNDS} rounds x {CALLS} calls per size\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["entries", "calls", "median_us", "p90_us", "min_us"])
        for n in SIZES:
            s = sorted(times[n])
            p90 = s[min(len(s) - 1, int(0.9 * len(s)))]
            w.writerow([n, len(s), f"{statistics.median(s) * 1e6:.3f}", f"{p90 * 1e6:.3f}", f"{s[0] * 1e6:.3f}"])


if __name__ == "__main__":
    main()
