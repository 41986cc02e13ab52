#!/usr/bin/env python3
# Fits the decode kernel's fixed work per thread block (DecodeAttentionCoefficients.ctaSetupBytes)
# from the per-CTA sweep (`tangram-sim validate --cta-sweep`, calibrations/h200-cta-sweep.csv):
# full-KV decode at a fixed KV size with 2 to 256 splits per (request, KV head). In the many-wave
# regime (at least 512 CTAs: about two waves of the H200's 264 resident slots) the cost model
# predicts t = 2 launch + (KV bytes + n x (setup + merge)) / B, so for each series the slope of t
# against the CTA count n, times the decode bandwidth B, is the setup plus the merge's bytes per
# CTA (the merge reads each CTA's partial: G x (D + 1) x 4 bytes). B is the calibrated decode
# bandwidth of calibrations/h200.json (memoryFraction x the H200's 4.8 TB/s).
#
#   python3 scripts/fit-cta-setup.py [calibrations/h200-cta-sweep.csv [calibrations/h200.json]]
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import json
import sys

sweep = sys.argv[1] if len(sys.argv) > 1 else "calibrations/h200-cta-sweep.csv"
calibration = sys.argv[2] if len(sys.argv) > 2 else "calibrations/h200.json"
PEAK_BANDWIDTH = 4.8e12   # H200 HBM3e, bytes/s (NVIDIA datasheet; GPUCatalog.h200)
memory_fraction = json.load(open(calibration))["coefficients"]["decodeAttention"]["memoryFraction"]
bandwidth = memory_fraction * PEAK_BANDWIDTH
rows = [r for r in csv.DictReader(line for line in open(sweep) if not line.startswith("#"))
        if r["kernel_class"] == "decode_attention" and r["label"] == "cta-sweep"]
setups = []
for batch in sorted({int(r["batch"]) for r in rows}):
    pts = sorted((int(r["ctas"]), float(r["median_s"])) for r in rows
                 if int(r["batch"]) == batch and int(r["ctas"]) >= 512)
    n = len(pts)
    mx = sum(p[0] for p in pts) / n
    my = sum(p[1] for p in pts) / n
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    intercept = my - slope * mx
    r0 = rows[0]
    g = int(r0["q_heads"]) // int(r0["kv_heads"])
    merge = g * (int(r0["head_dim"]) + 1) * 4
    setup = slope * bandwidth - merge
    setups.append(setup)
    worst = max(abs(intercept + slope * x - y) / y for x, y in pts)
    print(f"batch {batch}: {n} points, {pts[0][0]}-{pts[-1][0]} CTAs; slope {slope * 1e9:.2f} ns per CTA, "
          f"intercept {intercept * 1e6:.1f} us (worst residual {worst * 100:.1f} %); "
          f"setup = slope x {bandwidth / 1e12:.3f} TB/s - {merge} merge bytes = {setup:,.0f} bytes")
print(f"ctaSetupBytes (mean over the series): {sum(setups) / len(setups):,.0f} bytes")
