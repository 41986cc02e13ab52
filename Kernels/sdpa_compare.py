#!/usr/bin/env python3
# Side-by-side reference for decode attention: PyTorch's scaled_dot_product_attention over the
# same bytes as the full-KV decode rows of `tangram-sim validate` (one query token per request,
# 32 query heads, 8 KV heads, head dim 128, bf16, contiguous KV instead of pages).
# Times with CUDA events after warm-up, median of repeats, rotating input sets beyond L2.
# Usage: python3 Kernels/sdpa_compare.py OUT.csv
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import statistics
import sys

import torch
import torch.nn.functional as F

Q_HEADS, KV_HEADS, HEAD_DIM = 32, 8, 128  # Llama-3.1-8B config.json
BATCHES = [1, 4, 16]
CONTEXTS = [4096, 32768, 131072]
WARMUP, REPEATS = 5, 25
ROTATE_BYTES = 256 << 20


def main(path):
    torch.manual_seed(20251129)
    dev = torch.device("cuda")
    rows = []
    for context in CONTEXTS:
        for batch in BATCHES:
            kv_bytes = 2 * batch * KV_HEADS * context * HEAD_DIM * 2
            sets = max(1, min(16, -(-ROTATE_BYTES // kv_bytes)))
            qs = [torch.randn(batch, Q_HEADS, 1, HEAD_DIM, device=dev, dtype=torch.bfloat16) for _ in range(sets)]
            ks = [torch.rand(batch, KV_HEADS, context, HEAD_DIM, device=dev, dtype=torch.bfloat16) * 2 - 1 for _ in range(sets)]
            vs = [torch.rand(batch, KV_HEADS, context, HEAD_DIM, device=dev, dtype=torch.bfloat16) * 2 - 1 for _ in range(sets)]
            # Correctness against float64 on a slice (bf16 band: relative error below 1e-2).
            q0, k0, v0 = qs[0][:1], ks[0][:1, :, :4096], vs[0][:1, :, :4096]
            g = Q_HEADS // KV_HEADS
            ref = F.scaled_dot_product_attention(q0.double(), k0.double().repeat_interleave(g, 1),
                                                 v0.double().repeat_interleave(g, 1))
            out = F.scaled_dot_product_attention(q0, k0, v0, enable_gqa=True)
            rel = ((out.double() - ref).norm() / ref.norm()).item()
            for i in range(WARMUP):
                F.scaled_dot_product_attention(qs[i % sets], ks[i % sets], vs[i % sets], enable_gqa=True)
            starts = [torch.cuda.Event(enable_timing=True) for _ in range(REPEATS)]
            stops = [torch.cuda.Event(enable_timing=True) for _ in range(REPEATS)]
            for i in range(REPEATS):
                starts[i].record()
                F.scaled_dot_product_attention(qs[i % sets], ks[i % sets], vs[i % sets], enable_gqa=True)
                stops[i].record()
            torch.cuda.synchronize()
            times = sorted(a.elapsed_time(b) * 1e-3 for a, b in zip(starts, stops))
            median = statistics.median(times)
            p90 = times[min(len(times) - 1, -(-9 * len(times) // 10) - 1)]
            moved = kv_bytes + 2 * batch * Q_HEADS * HEAD_DIM * 2
            rows.append(dict(kernel_class="sdpa_decode", batch=batch, context_tokens=context, bytes=moved,
                             median_s=median, p90_s=p90, repeats=REPEATS, rotations=sets, check_rel_error=rel,
                             gb_per_s=moved / median / 1e9))
            print(f"sdpa decode batch {batch} context {context}: {median * 1e6:.1f} us, {moved / median / 1e9:.0f} GB/s, rel err {rel:.2e}")
            del qs, ks, vs, ref, out, q0, k0, v0
            torch.cuda.empty_cache()
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sdpa.csv")
