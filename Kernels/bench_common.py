# Helpers shared by the measurement scripts in Kernels/ (reclaim_host_bench.py,
# block_table_bench.py, small_kernels_bench.py): nearest-rank statistics, the sections loop that
# keeps what was measured when a section fails, and the CSV writer (a `#` comment block, then
# the rows; written to a temporary file and renamed into place).
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import csv
import gc
import math
import os
import platform
import statistics
import sys
import time
import traceback
import types
from dataclasses import dataclass
from typing import Callable


def fork_arguments(description):
    """`--fork DIR OUT.csv`, the arguments of the scripts that import the released Tangram code."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--fork", required=True, help="checkout of the needed aiha-lab/tangram files")
    ap.add_argument("out", help="CSV to write")
    return ap.parse_args()


def host_line(np, torch):
    """When and where: the date, the host, its CPUs and the Python, numpy and torch versions."""
    return (f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; host {platform.node()} "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus; python "
            f"{platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}")


def import_torch():
    try:
        import torch
    except ImportError:
        sys.exit("torch is needed: the fork's modules import it")
    return torch


def quantiles(samples):
    """Median, nearest-rank p90 and minimum of `samples`."""
    out = sorted(samples)
    return statistics.median(out), out[math.ceil(0.9 * len(out)) - 1], out[0]


@dataclass
class Series:
    """One size: `call()` returns one elapsed time (s) per label."""
    labels: list
    call: Callable


def run_series(series, *, rounds, warmup, target_round_s, min_calls, max_calls, describe):
    """Host timing, round-robin: after `warmup` calls each, every series gets as many calls per
    round as fill about `target_round_s` (within `min_calls`..`max_calls`), over `rounds` rounds,
    so that a slow spell of the host hits every size alike; the garbage collector is frozen
    while timing, as vLLM's engine core runs. Returns one row per label (median, nearest-rank
    p90 and minimum in microseconds) and prints `describe(label)` with each."""
    for s in series:
        t = time.perf_counter()
        for _ in range(warmup):
            s.call()
        s.per_call = (time.perf_counter() - t) / warmup
        s.calls = max(min_calls, min(max_calls, int(target_round_s / max(s.per_call, 1e-7))))
        s.samples = [[] for _ in s.labels]
    gc.collect()
    gc.freeze()
    for _ in range(rounds):
        for s in series:
            for _ in range(s.calls):
                for i, dt in enumerate(s.call()):
                    s.samples[i].append(dt)
    rows = []
    for s in series:
        for lab, out in zip(s.labels, s.samples):
            med, p90, lo = quantiles(out)
            rows.append(dict(lab, calls=len(out), median_us=f"{med * 1e6:.3f}",
                             p90_us=f"{p90 * 1e6:.3f}", min_us=f"{lo * 1e6:.3f}"))
            print(f"{describe(lab)}: median {med * 1e6:10.2f} us  p90 {p90 * 1e6:10.2f}  "
                  f"min {lo * 1e6:10.2f}  ({len(out)} calls)", flush=True)
    return rows


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


def stub_package(name, paths):
    """A package object `name` in sys.modules whose __path__ is the existing folders of `paths`,
    so its submodules import from there without its __init__ running; set on its parent."""
    mod = types.ModuleType(name)
    mod.__path__ = [p for p in paths if os.path.isdir(p)]
    sys.modules[name] = mod
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, mod)
    return mod


def stub_module(name, **attrs):
    """A module `name` in sys.modules holding `attrs`; set on its parent."""
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, mod)
    return mod
