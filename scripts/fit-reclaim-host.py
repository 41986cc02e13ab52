#!/usr/bin/env python3
# Fits the host-time model of compress-and-reclaim (docs/cost-model.md, ReclaimHostCoefficients)
# to the measurements of the released Tangram code's own reclaim functions.
#
#   python3 scripts/fit-reclaim-host.py [calibrations/h200-reclaim-host.csv]
#
# Per request at each compression boundary (C = layers x groups clusters, L = compressed layers,
# M = block-table row width in blocks):
#   kept_lengths_from_demand        a1 + b1 C
#   executor run_request (Triton)   a2 + l2 L     (the EvictionPlan build and the write-back launches)
#   expand_static_to_physical       mean
#   compact_after_compress_all      a3 + b3 C + c3 C M
#   device syncs                    3 D2H (.cpu() with the GPU idle) + 4 blocking H2D copies
# Per step that frees pages (P pages, pool of N blocks):
#   postprocess + manager free + pool free   d + e P + f N
# Every line is a least-squares fit weighted by 1/y (relative error), on the medians. Prints the
# coefficients in seconds and each fit's relative errors. Standard library only.
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import sys

SYNC_D2H = "cuda_cpu_16_int64_gpu_idle"
SYNC_H2D = "cuda_h2d_copy_300_int64_pageable"
D2H_PER_BOUNDARY = 3  # valid_lengths, kept counts, locked: .cpu() in compressor.py / budget_scope.py
H2D_PER_BOUNDARY = 4  # blocking CPU->GPU copies in RatioRegime.plan, prev_lens, commit_chunk (2)
LAYERS_OF_CLUSTERS = {32: 32, 64: 32, 72: 36, 128: 32, 192: 48, 288: 36}  # the bench's C = L x G


def solve(rows, ys):
    """Weighted (1/y) least squares: minimise sum ((x.beta - y) / y)^2."""
    n = len(rows[0])
    a = [[0.0] * n for _ in range(n)]
    b = [0.0] * n
    for x, y in zip(rows, ys):
        w = 1.0 / (y * y)
        for i in range(n):
            b[i] += w * x[i] * y
            for j in range(n):
                a[i][j] += w * x[i] * x[j]
    for i in range(n):  # Gauss-Jordan with partial pivoting
        p = max(range(i, n), key=lambda r: abs(a[r][i]))
        a[i], a[p], b[i], b[p] = a[p], a[i], b[p], b[i]
        for r in range(n):
            if r != i and a[i][i] != 0:
                f = a[r][i] / a[i][i]
                a[r] = [u - f * v for u, v in zip(a[r], a[i])]
                b[r] -= f * b[i]
    return [b[i] / a[i][i] for i in range(n)]


def report(name, rows, ys, beta):
    errs = [abs(sum(u * v for u, v in zip(x, beta)) - y) / y for x, y in zip(rows, ys)]
    rms = (sum(e * e for e in errs) / len(errs)) ** 0.5
    print(f"  {name}: " + ", ".join(f"{v:.6g}" for v in beta) + f" us  (rms {rms:.1%}, max {max(errs):.1%})")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "calibrations/h200-reclaim-host.csv"
    with open(path) as f:
        data = list(csv.DictReader(line for line in f if not line.startswith("#")))
    by = {}
    for r in data:
        by.setdefault(r["component"], []).append(r)
    med = lambda r: float(r["median_us"])

    kl = by["kept_lengths_from_demand"]
    k1 = solve([[1, int(r["clusters"])] for r in kl], [med(r) for r in kl])
    report("kept_lengths a1 + b1 C", [[1, int(r["clusters"])] for r in kl], [med(r) for r in kl], k1)

    rq = by["executor_run_request_triton_host"]
    x2 = [[1, LAYERS_OF_CLUSTERS[int(r["clusters"])]] for r in rq]
    k2 = solve(x2, [med(r) for r in rq])
    report("run_request (Triton) a2 + l2 L", x2, [med(r) for r in rq], k2)

    ex = by["expand_static_to_physical_lengths"]
    expand = sum(med(r) for r in ex) / len(ex)

    cp = by["compact_after_compress_all_layers"]
    x3 = [[1, int(r["clusters"]), int(r["clusters"]) * int(r["row_blocks"])] for r in cp]
    k3 = solve(x3, [med(r) for r in cp])
    report("compact a3 + b3 C + c3 C M", x3, [med(r) for r in cp], k3)

    syncs = D2H_PER_BOUNDARY * med(by[SYNC_D2H][0]) + H2D_PER_BOUNDARY * med(by[SYNC_H2D][0])

    post = {int(r["pages"]): med(r) for r in by["postprocess_compress_updates"]}
    mgr = {(int(r["pages"]), int(r["pool_blocks"])): med(r) for r in by["manager_free_blocks_by_ids"]}
    pool = {(int(r["pages"]), int(r["pool_blocks"])): med(r) for r in by["pool_free_by_block_ids"]}
    keys = sorted(mgr)
    x4 = [[1, p, n] for p, n in keys]
    y4 = [post[p] + mgr[(p, n)] + pool[(p, n)] for p, n in keys]
    k4 = solve(x4, y4)
    report("step free d + e P + f N", x4, y4, k4)

    fixed = k1[0] + k2[0] + expand + k3[0] + syncs
    print("ReclaimHostCoefficients (seconds):")
    print(f"  boundaryFixedSeconds        {fixed * 1e-6:.4g}   (kept_lengths {k1[0]:.1f} + run_request {k2[0]:.1f}"
          f" + expand {expand:.1f} + compact {k3[0]:.1f} + syncs {syncs:.1f} us)")
    print(f"  boundaryPerLayerSeconds     {k2[1] * 1e-6:.4g}")
    print(f"  boundaryPerGroupSeconds     {(k1[1] + k3[1]) * 1e-6:.4g}")
    print(f"  boundaryPerRowEntrySeconds  {k3[2] * 1e-6:.4g}")
    print(f"  stepFixedSeconds            {k4[0] * 1e-6:.4g}")
    print(f"  perPageSeconds              {k4[1] * 1e-6:.4g}")
    print(f"  perPoolBlockSeconds         {k4[2] * 1e-6:.4g}")


if __name__ == "__main__":
    main()
