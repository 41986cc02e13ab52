#!/usr/bin/env python3
# Fits the cost of the Tangram fork's earlier per-cluster KV write-back (TorchLoopWriteback in
# Sources/GPUModel/CostModel/ReclaimHostCoefficients.swift) to its measurement on the H200
# (calibrations/h200-reclaim-writeback.csv, Kernels/reclaim_writeback_bench.py): one request's
# CompressionExecutor.run_request at commit dfb7104, C clusters each holding T tokens seen
# (kept before plus the chunk).
#
# Model: t = F + C x max(h, g0 + g1 T). Each cluster costs the larger of the host's eager launch
# sequence (h) and the device work its gathers wait for, which grows with the cluster's tokens
# (g0 + g1 T); F is the per-call remainder. Rows are assigned to the host- or device-bound branch
# by the current fit and the linear least-squares fit is repeated until the assignment stops
# changing (as `tangram-sim calibrate` assigns GEMM rows to their bound).
#
#   python3 scripts/fit-reclaim-writeback.py [calibrations/h200-reclaim-writeback.csv]
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import sys

import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "calibrations/h200-reclaim-writeback.csv"
rows = [r for r in csv.DictReader(line for line in open(path) if not line.startswith("#"))]
C = np.array([float(r["clusters"]) for r in rows])
T = np.array([float(r["total_seen"]) for r in rows])
t = np.array([float(r["wall_median_us"]) for r in rows])

device = T > np.median(T)
for _ in range(20):
    # Columns: F, h (host-bound rows), g0 and g1 (device-bound rows); relative errors.
    A = np.stack([np.ones_like(C), C * ~device, C * device, C * T * device], axis=1) / t[:, None]
    F, h, g0, g1 = np.linalg.lstsq(A, np.ones_like(t), rcond=None)[0]
    nxt = g0 + g1 * T > h
    if (nxt == device).all():
        break
    device = nxt
pred = F + C * np.maximum(h, g0 + g1 * T)
err = (pred - t) / t
print(f"t = {F:.1f} us + C x max({h:.2f} us, {g0:.2f} us + {g1 * 1e3:.3f} ns x T)")
print(f"  rows {len(t)}, host-bound {int((~device).sum())}, rms {np.sqrt((err ** 2).mean()) * 100:.1f} %, "
      f"max {np.abs(err).max() * 100:.1f} %")
print("TorchLoopWriteback (seconds):")
print(f"  fixedSeconds              {F * 1e-6:.4g}")
print(f"  perClusterHostSeconds     {h * 1e-6:.4g}")
print(f"  perClusterDeviceSeconds   {g0 * 1e-6:.4g}")
print(f"  perClusterTokenSeconds    {g1 * 1e-6:.4g}")
