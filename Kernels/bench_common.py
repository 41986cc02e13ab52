# Helpers shared by the measurement scripts in Kernels/ (reclaim_host_bench.py,
# block_table_bench.py, small_kernels_bench.py): nearest-rank statistics, the sections loop that
# keeps what was measured when a section fails, and the CSV writer (a `#` comment block, then
# the rows; written to a temporary file and renamed into place).
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import gc
import math
import os
import statistics
import time
import traceback


def quantiles(samples):
    """Median, nearest-rank p90 and minimum of `samples`."""
    out = sorted(samples)
    return statistics.median(out), out[math.ceil(0.9 * len(out)) - 1], out[0]


def write_csv(path, header, fieldnames, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        for line in header:
            f.write(f"# {line}\n")
        w = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def run_sections(sections, header, out, fieldnames, rows=None):
    """Runs each `(title, make)` of `sections` (`make()` returns rows), appending its rows; a
    section that raises is noted in `header` and the run goes on. The CSV is rewritten after every
    section, so an interrupted run keeps what it measured. Returns the rows."""
    rows = [] if rows is None else rows
    for title, make in sections:
        print(f"== {title}", flush=True)
        t = time.perf_counter()
        try:
            rows += make()
        except Exception as e:  # noqa: BLE001  (keep what was measured; say what failed)
            header.append(f"{title}: failed with {type(e).__name__}: {e}")
            traceback.print_exc()
        gc.unfreeze()
        print(f"== {title}: {time.perf_counter() - t:.1f} s", flush=True)
        write_csv(out, header, fieldnames, rows)
    return rows
