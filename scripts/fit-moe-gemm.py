#!/usr/bin/env python3
# Fits the relative efficiency of vLLM's fused-MoE GEMMs against dense cuBLAS GEMMs of the same
# FLOPs, from calibrations/h200-moe-gemm.csv (Kernels/moe_gemm_bench.py, tuned configs):
#
#   efficiency(r) = e_inf * r / (r + r0),   r = routed rows per expert = tokens x top-k / experts
#
# one point per (tp, tokens) with tokens >= 4096 (compute-bound: the expert weights take under a
# third of the kernel's time at HBM speed): dense time / MoE time, both GEMMs of a layer summed.
# Least squares over a fine grid of (e_inf, r0). Prints the fit and every point's residual.
#
#   python3 scripts/fit-moe-gemm.py [calibrations/h200-moe-gemm.csv]
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import sys
from collections import defaultdict

path = sys.argv[1] if len(sys.argv) > 1 else "calibrations/h200-moe-gemm.csv"
rows = list(csv.DictReader(line for line in open(path) if not line.startswith("#")))
time = defaultdict(float)
meta = {}
for r in rows:
    if not r["median_us"] or r["config"] not in ("tuned", "cublas"):
        continue
    key = (int(r["tp"]), int(r["tokens"]))
    time[key + (r["config"],)] += float(r["median_us"])
    meta[key] = int(r["routed_tokens"]) / int(r["experts"])
points = []
for (tp, tokens), rows_per_expert in sorted(meta.items()):
    if tokens < 4096:
        continue
    points.append((tp, tokens, rows_per_expert, time[(tp, tokens, "cublas")] / time[(tp, tokens, "tuned")]))


def model(e_inf, r0, r):
    return e_inf * r / (r + r0)


best = None
for i in range(500, 1001):
    e_inf = i / 1000
    for r0 in range(0, 1001):
        err = sum((model(e_inf, r0, r) - y) ** 2 for _, _, r, y in points)
        if best is None or err < best[0]:
            best = (err, e_inf, r0)
err, e_inf, r0 = best
print(f"efficiency(r) = {e_inf:.3f} r / (r + {r0}), rms {((err / len(points)) ** 0.5):.4f}")
for tp, tokens, r, y in points:
    print(f"  tp {tp} tokens {tokens:6d} rows/expert {r:6.0f}: measured {y:.3f} fit {model(e_inf, r0, r):.3f}")
