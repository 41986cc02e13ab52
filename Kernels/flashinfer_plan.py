#!/usr/bin/env python3
# Host time of FlashInfer's decode plan() per call, the re-planning a FlashInfer-like head-wise
# decode pays once per layer per step (docs/cost-model.md, planCallSeconds).
#
#   python3 Kernels/flashinfer_plan.py OUT.csv
#
# Each (request, KV head group) is one planned sequence with one KV head and the group's query
# heads (GQA 4), as a head-wise FlashInfer integration flattens heads into the batch; every
# sequence holds 8,192 tokens in 16-token pages. indptr and last_page_len are pinned host
# tensors and the page indices live on the GPU, as in vLLM's FlashInfer backend. After 20
# warm-up calls, the sizes are visited round by round (ROUNDS rounds of 100 calls each, so that a
# slow spell of the host hits every size alike) and every call is timed with time.perf_counter
# (the host time of the call, which is what a step waits for); the CSV holds each size's median,
# nearest-rank p90 and minimum over all its calls.
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import math
import os
import statistics
import sys
import time

import torch
import flashinfer

ITEMS = [1, 8, 32, 128, 512, 2048]
ROUNDS = 10
TOKENS = 8192
PAGE = 16
QO_PER_KV = 4
HEAD_DIM = 128


def planner(wrapper, items):
    pages_per_seq = TOKENS // PAGE
    indptr = (torch.arange(items + 1, dtype=torch.int32) * pages_per_seq).pin_memory()
    indices = torch.arange(items * pages_per_seq, dtype=torch.int32, device="cuda")
    last = torch.full((items,), PAGE, dtype=torch.int32).pin_memory()

    def call():
        wrapper.plan(indptr, indices, last, QO_PER_KV, 1, HEAD_DIM, PAGE,
                     data_type=torch.bfloat16, q_data_type=torch.bfloat16)

    return call


def timed(call, calls):
    out = []
    for _ in range(calls):
        t = time.perf_counter()
        call()
        out.append(time.perf_counter() - t)
    return out


def main():
    path = sys.argv[1]
    workspace = torch.empty(256 * 1024 * 1024, dtype=torch.uint8, device="cuda")
    wrapper = flashinfer.BatchDecodeWithPagedKVCacheWrapper(workspace, "NHD")
    t0 = time.perf_counter()
    planner(wrapper, 1)()  # the first call compiles the module (JIT)
    compile_s = time.perf_counter() - t0
    calls = {items: planner(wrapper, items) for items in ITEMS}
    for call in calls.values():
        timed(call, 20)
    torch.cuda.synchronize()
    samples = {items: [] for items in ITEMS}
    for _ in range(ROUNDS):
        for items, call in calls.items():
            samples[items] += timed(call, 100)
    torch.cuda.synchronize()
    rows = []
    for items in ITEMS:
        out = sorted(samples[items])
        med, p90, lo = statistics.median(out), out[math.ceil(0.9 * len(out)) - 1], out[0]
        rows.append({"items": items, "median_s": med, "p90_s": p90, "min_s": lo})
        print(f"items {items:5d}: median {med * 1e6:8.1f} us  p90 {p90 * 1e6:8.1f} us  min {lo * 1e6:8.1f} us",
              flush=True)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        f.write(f"# flashinfer {flashinfer.__version__}, torch {torch.__version__}, "
                f"{torch.cuda.get_device_name()}, host cpus {os.cpu_count()}, first call {compile_s:.1f} s\n")
        w = csv.DictWriter(f, fieldnames=["items", "median_s", "p90_s", "min_s"])
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
