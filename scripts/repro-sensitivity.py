#!/usr/bin/env python3
# How the paper reproduction's headline depends on the A100's prefill attention rate, the one
# coefficient the A100 tables rest on that was not measured on an A100 (docs/reproduction.md,
# "What would settle the size of the gain").
#
# Writes the spec-derived A100-80GB coefficients (`tangram-sim calibrate --spec-derived`), then,
# for each prefill attention rate (fraction of the 312 TFLOP/s dense bf16 peak), a copy with
# only `prefillAttention.computeFraction` changed, runs the full `repro paper` grid with it
# (`--calibration`) and prints, per rate: `tangram`'s Long 25 % gain for every model,
# Llama-3.1-8B's kv dataset, and the largest reclaim share of the prefill-breakdown table under
# each write-back. Nothing is kept but the printed table; the runs go to a temporary directory.
#
#   python3 scripts/repro-sensitivity.py [path/to/tangram-sim [fraction ...]]
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import json
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/tangram-sim"
fractions = [float(x) for x in sys.argv[2:]] or [0.55, 0.45, 0.35, 0.30, 0.25, 0.20]
A100_DENSE_BF16 = 312e12  # FLOP/s, NVIDIA A100 datasheet (GPUCatalog.a100_80gb)


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


with tempfile.TemporaryDirectory() as tmp:
    spec_path = os.path.join(tmp, "a100-spec.json")
    subprocess.run([binary, "calibrate", "--spec-derived", "--gpu", "a100-80gb", "--out", spec_path],
                   check=True, stdout=subprocess.DEVNULL)
    spec = json.load(open(spec_path))
    models = None
    lines = []
    for fraction in fractions:
        cal = json.loads(json.dumps(spec))
        cal["coefficients"]["prefillAttention"]["computeFraction"] = fraction
        cal["provenance"]["note"] = f"what-if: prefill attention at {fraction} of the dense peak"
        cal_path = os.path.join(tmp, f"a100-attn-{fraction}.json")
        json.dump(cal, open(cal_path, "w"))
        out = os.path.join(tmp, f"run-{fraction}")
        subprocess.run([binary, "repro", "paper", "--quiet", "--calibration", cal_path, "--out", out], check=True)
        ablation = rows(os.path.join(out, "throughput_ablation.csv"))
        long25 = {r["model"]: float(r["normalised_to_vllm"]) for r in ablation
                  if r["bucket"] == "long" and r["kept_ratio"] == "0.25" and r["policy"] == "tangram"}
        models = models or list(long25)
        kv = [float(r["normalised_to_vllm"]) for r in rows(os.path.join(out, "throughput_per_task.csv"))
              if r["model"] == "llama-3.1-8b" and r["task"] == "kv" and r["kept_ratio"] == "0.25"
              and r["policy"] == "tangram"]
        breakdown = rows(os.path.join(out, "prefill_breakdown.csv"))
        reclaim = {wb: max(float(r["reclaim_share"]) for r in breakdown if r.get("writeback", "batched") == wb)
                   for wb in ("batched", "per-cluster")}
        largest = max(long25, key=long25.get)
        cells = " | ".join(f"{long25[m]:.2f}" for m in models)
        lines.append(f"| {fraction:.2f} ({fraction * A100_DENSE_BF16 / 1e12:.0f} TFLOP/s) | {cells} | "
                     f"{kv[0]:.2f} | {largest} | {reclaim['batched'] * 100:.1f} % | {reclaim['per-cluster'] * 100:.1f} % |")
    print("| prefill attention | " + " | ".join(models)
          + " | llama kv | largest | max reclaim share, batched | per-cluster |")
    print("|---" * (len(models) + 5) + "|")
    print("\n".join(lines))
