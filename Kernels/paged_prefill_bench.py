#!/usr/bin/env python3
# What reading the KV through 16-token pages costs a chunked-prefill attention kernel
# (docs/reproduction.md, "What the A100's attention rate would have to be").
#
#   python3 Kernels/paged_prefill_bench.py OUT.csv [PREFILL.csv]
#
# vLLM 0.11.1 prefills on the A100 with FlashAttention-2 reading the KV cache through its
# block table (16-token blocks); published attention rates are for contiguous K and V. This
# times FlashInfer's prefill kernels (carried as wheels, compiled on first use) on one request's
# 8,192-token chunk after 0 to 131,072 tokens of history, Llama-3.1-8B's attention shape (32 query
# heads, 8 KV heads, head dim 128, bf16, lower-right causal mask), in three layouts of the same
# K and V:
#   ragged          contiguous K and V (BatchPrefillWithRaggedKVCacheWrapper);
#   paged-seq       16-token pages in order (BatchPrefillWithPagedKVCacheWrapper, NHD);
#   paged-shuffled  16-token pages at a random permutation of the pool, as a long-running
#                   server's free list leaves them;
# for FlashInfer's FlashAttention-2-style kernel (backend fa2, the design that runs on the A100)
# and its Hopper kernel (fa3). Every kernel's output is checked against a float64 reference on a
# small shape and against the ragged layout at every timed shape. Timing: each call captured as a
# CUDA graph (Kernels/sdpa_compare.py's helper), CUDA events around each replay, 3 warm-up
# replays, then 20 timed ones; the CSV holds median, p90 and minimum and the median's TFLOP/s
# (FLOPs: 4 x head dim x query heads x visible (query, key) pairs).
#
# PREFILL.csv: the paged kernel a serving engine runs on this GPU (fa3 on Hopper, fa2 elsewhere;
# shuffled 16-token pages) on the calibration's prefill grid, timed exactly as
# Kernels/sdpa_compare.py times the PyTorch kernels (its helpers: input sets rotated beyond the
# L2, each call captured as a CUDA graph, CUDA events, the measurement CSV schema), labelled
# `paged-flashinfer-fa3` (or `-fa2`): the series `tangram-sim calibrate` prices prefill with
# (PrefillSeries: a paged series before contiguous ones).
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import math
import os
import statistics
import sys
import time

import torch
import flashinfer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdpa_compare as sc  # noqa: E402  (the calibration's timing helpers and CSV schema)

Q_HEADS, KV_HEADS, HEAD_DIM = 32, 8, 128   # Llama-3.1-8B config.json
CHUNK = 8192                               # the benchmark's max_num_batched_tokens
HISTORIES = [0, 8192, 32768, 65536, 131072]
PAGE = 16                                  # vLLM's default block size
WARMUP, REPEATS = 3, 20
LAYOUTS = ["ragged", "paged-seq", "paged-shuffled"]
BACKENDS = ["fa2", "fa3"]


def flops(chunk, history):
    return 4 * HEAD_DIM * Q_HEADS * (chunk * history + chunk * (chunk + 1) // 2)


def inputs(chunk, history, seed):
    g = torch.Generator(device="cuda").manual_seed(seed)
    def r(n, h):
        return (torch.rand(n, h, HEAD_DIM, device="cuda", generator=g) * 2 - 1).to(torch.bfloat16)
    return r(chunk, Q_HEADS), r(history + chunk, KV_HEADS), r(history + chunk, KV_HEADS)


def reference(q, k, v):
    """float64 attention with the lower-right causal mask, KV heads repeated for GQA."""
    chunk, kv_len = q.shape[0], k.shape[0]
    rep = Q_HEADS // KV_HEADS
    qd = q.double().transpose(0, 1)
    kd = k.double().repeat_interleave(rep, dim=1).transpose(0, 1)
    vd = v.double().repeat_interleave(rep, dim=1).transpose(0, 1)
    s = qd @ kd.transpose(1, 2) / math.sqrt(HEAD_DIM)
    qi = torch.arange(chunk, device="cuda")[:, None] + (kv_len - chunk)
    s = s.masked_fill(torch.arange(kv_len, device="cuda")[None, :] > qi, float("-inf"))
    return (torch.softmax(s, dim=-1) @ vd).transpose(0, 1)


class Runner:
    """One planned FlashInfer prefill over one layout of K and V."""

    def __init__(self, backend, layout, q, k, v, workspace, seed):
        chunk, kv_len = q.shape[0], k.shape[0]
        i32 = dict(dtype=torch.int32, device="cuda")
        qo_indptr = torch.tensor([0, chunk], **i32)
        self.q = q
        if layout == "ragged":
            self.w = flashinfer.BatchPrefillWithRaggedKVCacheWrapper(workspace, "NHD", backend=backend)
            self.w.plan(qo_indptr, torch.tensor([0, kv_len], **i32), Q_HEADS, KV_HEADS, HEAD_DIM,
                        causal=True, q_data_type=torch.bfloat16)
            self.args = (k, v)
            return
        pages = (kv_len + PAGE - 1) // PAGE
        order = (torch.randperm(pages, generator=torch.Generator().manual_seed(seed)) if layout == "paged-shuffled"
                 else torch.arange(pages)).to(torch.int32).cuda()
        cache = torch.zeros(pages, 2, PAGE, KV_HEADS, HEAD_DIM, dtype=torch.bfloat16, device="cuda")
        padded = pages * PAGE
        kp = torch.zeros(padded, KV_HEADS, HEAD_DIM, dtype=torch.bfloat16, device="cuda")
        vp = torch.zeros_like(kp)
        kp[:kv_len], vp[:kv_len] = k, v
        cache[order.long(), 0] = kp.view(pages, PAGE, KV_HEADS, HEAD_DIM)
        cache[order.long(), 1] = vp.view(pages, PAGE, KV_HEADS, HEAD_DIM)
        last = kv_len - (pages - 1) * PAGE
        self.w = flashinfer.BatchPrefillWithPagedKVCacheWrapper(workspace, "NHD", backend=backend)
        self.w.plan(qo_indptr, torch.tensor([0, pages], **i32), order, torch.tensor([last], **i32),
                    Q_HEADS, KV_HEADS, HEAD_DIM, PAGE, causal=True, q_data_type=torch.bfloat16)
        self.args = (cache,)

    def __call__(self):
        return self.w.run(self.q, *self.args)


def timed(run):
    """Seconds of REPEATS replays of `run` captured as a CUDA graph (eager calls when capture
    fails), after WARMUP replays: the kernels' device time without Python's launch gaps."""
    calls = sc.graphs(lambda r, _history: r(), [(run,)], 0)
    call = calls[0] if calls else run
    for _ in range(WARMUP):
        call()
    out = []
    for _ in range(REPEATS):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        call()
        b.record()
        b.synchronize()
        out.append(a.elapsed_time(b) / 1e3)
    return sorted(out)


def main(path):
    workspace = torch.empty(256 * 1024 * 1024, dtype=torch.uint8, device="cuda")
    rows, notes = [], []
    # Correctness against float64 on a small shape, each backend and layout.
    q, k, v = inputs(256, 1000, 7)
    ref = reference(q, k, v)
    for backend in BACKENDS:
        for layout in LAYOUTS:
            t0 = time.perf_counter()
            err = ((Runner(backend, layout, q, k, v, workspace, 1)().double() - ref).abs().max() / ref.abs().max()).item()
            notes.append(f"{backend} {layout}: check rel error {err:.2e} (first call {time.perf_counter() - t0:.1f} s)")
            print(notes[-1], flush=True)
            if not err < 1e-2:
                raise SystemExit(f"{backend} {layout}: relative error {err} above 1e-2")
    for history in HISTORIES:
        q, k, v = inputs(CHUNK, history, 100 + history)
        f = flops(CHUNK, history)
        for backend in BACKENDS:
            base = None
            for layout in LAYOUTS:
                run = Runner(backend, layout, q, k, v, workspace, history + 1)
                out = run()
                if base is None:
                    base, agree = out, 0.0
                else:
                    agree = ((out.float() - base.float()).abs().max() / base.float().abs().max()).item()
                    if not agree < 1e-2:
                        raise SystemExit(f"{backend} {layout} history {history}: differs from ragged by {agree}")
                s = timed(run)
                med = statistics.median(s)
                rows.append({"backend": backend, "layout": layout, "page_tokens": 0 if layout == "ragged" else PAGE,
                             "chunk_tokens": CHUNK, "history_tokens": history, "flops": f, "median_s": med,
                             "p90_s": s[math.ceil(0.9 * len(s)) - 1], "min_s": s[0], "tflops": f / med / 1e12,
                             "vs_ragged_rel_error": agree})
                print(f"{backend} {layout:15s} history {history:6d}: {med * 1e3:8.3f} ms  {f / med / 1e12:6.1f} TFLOP/s",
                      flush=True)
                del run, out
            del base
        del q, k, v
        torch.cuda.empty_cache()
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as fh:
        fh.write(f"# flashinfer {flashinfer.__version__}, torch {torch.__version__}, {torch.cuda.get_device_name()}; "
                 + "; ".join(notes) + "\n")
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


def calibration_grid(path):
    """The paged kernel on sdpa_compare's prefill grid, in the measurement CSV schema."""
    backend = "fa3" if torch.cuda.get_device_capability()[0] == 9 else "fa2"
    label = f"paged-flashinfer-{backend}"
    workspace = torch.empty(256 * 1024 * 1024, dtype=torch.uint8, device="cuda")
    device, nvml = sc.device_fields()
    rows = []
    rel = 0.0
    for i, (history, chunk) in enumerate(sc.CHECK_SHAPES):
        q, k, v = inputs(chunk, history, 7 + i)
        ref = reference(q, k, v)
        out = Runner(backend, "paged-shuffled", q, k, v, workspace, i)().double()
        rel = max(rel, ((out - ref).norm() / ref.norm()).item())
    ok = rel <= sc.CHECK_BOUND
    print(f"{label}: check rel error {rel:.2e} ({'ok' if ok else 'FAILED'})", flush=True)
    rows.append(sc.prefill_row(device, label, sc.CHECK_SHAPES[0][1], sc.CHECK_SHAPES[0][0], 1, [], 0, 0,
                               "ok" if ok else "check-failed", rel=rel))
    for history in sc.PREFILL_HISTORIES:
        for chunk in sc.PREFILL_CHUNKS:
            if not ok:
                rows.append(sc.prefill_row(device, label, chunk, history, 0, [], 0, 0, "skipped: check failed"))
                continue
            set_bytes = (chunk * Q_HEADS + 2 * (history + chunk) * KV_HEADS) * HEAD_DIM * 2
            sets = max(1, min(16, -(-sc.ROTATE_BYTES // set_bytes)))
            # Each input set its own workspace: plan() writes a wrapper's schedule into it.
            runners = [(Runner(backend, "paged-shuffled", *inputs(chunk, history, 1000 + j),
                               torch.empty(128 * 1024 * 1024, dtype=torch.uint8, device="cuda"), j),)
                       for j in range(sets)]
            calls = sc.graphs(lambda run, _history: run(), runners, history)
            if calls is None:
                print(f"{label} history {history} chunk {chunk}: CUDA graph capture failed, timed eagerly")
                calls = [run for (run,) in runners]
            for j in range(sc.WARMUP):
                calls[j % sets]()
            starts = [torch.cuda.Event(enable_timing=True) for _ in range(sc.REPEATS)]
            stops = [torch.cuda.Event(enable_timing=True) for _ in range(sc.REPEATS)]
            for j in range(sc.REPEATS):
                starts[j].record()
                calls[j % sets]()
                stops[j].record()
            torch.cuda.synchronize()
            del calls, runners
            torch.cuda.empty_cache()
            sm_mhz, mem_mhz = sc.clocks(nvml)
            times = [a.elapsed_time(b) * 1e-3 for a, b in zip(starts, stops)]
            row = sc.prefill_row(device, label, chunk, history, sets, times, sm_mhz, mem_mhz, "ok")
            rows.append(row)
            print(f"{label} history {history} chunk {chunk}: {row['median_s'] * 1e3:.3f} ms, "
                  f"{row['flops'] / row['median_s'] / 1e12:.0f} TFLOP/s", flush=True)
    columns = sc.CSV_COLUMNS.split(",")
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: row[c] for c in columns})
    os.replace(tmp, path)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        calibration_grid(sys.argv[2])
    main(sys.argv[1])
