#!/usr/bin/env python3
# PyTorch references on the GPU machine, timed like `tangram-sim validate` times its own kernels
# (CUDA events after warm-up, median of repeats, input sets rotated beyond the L2):
#
# 1. Decode attention: scaled_dot_product_attention over the same bytes as the full-KV decode
#    rows (one query token per request, 32 query heads, 8 KV heads, head dim 128, bf16, contiguous
#    KV instead of pages) -> OUT.csv (its own small schema).
# 2. Causal chunked prefill with history, the production kernels a serving engine would run, on
#    the runner's prefill grid (MeasurementGrid.standard: batch 1, chunks 512/2048/8192 after
#    histories 0/4096/16384/32768; Llama-3.1-8B heads) -> PREFILL.csv in the measurement CSV schema
#    of Sources/CUDARunner/MeasurementCSV.swift (kernel_class prefill_attention, one label per
#    backend), which `tangram-sim calibrate` reads. Backends, each forced by calling its ATen op:
#      sdpa-flash      aten._scaled_dot_product_flash_attention (FlashAttention-2 in PyTorch);
#                      is_causal with seq_q < seq_k is the lower-right (chunk-after-history) mask,
#                      the op torch.nn.attention.bias.causal_lower_right dispatches to;
#      sdpa-efficient  aten._efficient_attention_forward, custom_mask_type 2 = lower-right causal
#                      (CausalVariant.LOWER_RIGHT), as causal_lower_right dispatches it;
#      sdpa-cudnn      aten._scaled_dot_product_cudnn_attention (cuDNN's fused attention). PyTorch
#                      builds cuDNN's causal mask top-left (MHA.cpp: set_causal_mask), right only
#                      for a square problem; with history the chunk is computed as two cuDNN calls,
#                      chunk over the history (no mask) and chunk over itself (causal), merged by
#                      their log-sum-exp (cascade attention). The same FLOPs; the merge and the
#                      second launch are extra time (a few microseconds), so these rows are
#                      slower than one fused call would be.
#    GQA: each backend gets the 8 KV heads as they are (FlashAttention-2 and cuDNN support GQA);
#    where a backend rejects that, K/V are repeated to 32 heads before timing and the label gets
#    the suffix "-kvrep". Every backend is first checked against float64 on two small problems
#    (with and without history; relative error bound 1e-2, the runner's bf16 bound).
#    Each call is captured once per input set as a CUDA graph and the graphs are replayed between
#    the CUDA events: the device time of the kernels without the gaps Python's per-op launch cost
#    leaves between them (a serving engine enqueues prefill ahead of the GPU); a backend whose
#    capture fails is timed eagerly, and the console says so.
#    FLOPs as the runner counts them (Kernels/tk_prefill.cu): 4 x q_heads x head_dim per visible
#    (query, key) pair, history x chunk + chunk (chunk + 1) / 2 pairs per head; bytes: K and V of
#    history + chunk tokens read once, q read and the output written once (contiguous KV: no
#    page-table entries).
# Usage: python3 Kernels/sdpa_compare.py OUT.csv [PREFILL.csv]
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import ctypes
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


# ---- causal chunked prefill ----------------------------------------------------------------------

# The header of Sources/CUDARunner/MeasurementCSV.swift (Tests/CUDARunnerTests checks they agree).
CSV_COLUMNS = "gpu_name,driver_version,cuda_driver_version,sm_count,sm_clock_mhz,mem_clock_mhz,kernel_class,phase,label,profile,kept_ratio,layer,batch,context_tokens,kv_tokens_read,q_heads,kv_heads,head_dim,h_p,page_tokens,split_mode,splits,ctas,chunk_tokens,history_tokens,m,n,k,bytes,flops,median_s,p90_s,min_s,mean_s,plan_s,repeats,rotations,check_rel_error,status"
PREFILL_CHUNKS = [512, 2048, 8192]  # MeasurementGrid.standard(): prefillChunks
PREFILL_HISTORIES = [0, 4096, 16384, 32768]  # MeasurementGrid.standard(): prefillHistories
CHECK_SHAPES = [(1000, 130), (0, 256)]  # (history, chunk), like the runner's prefill checks
CHECK_BOUND = 1e-2


def prefill_flops(batch, chunk, history):
    visible = chunk * history + chunk * (chunk + 1) // 2
    return batch * Q_HEADS * visible * HEAD_DIM * 4


def prefill_bytes(batch, chunk, history):
    kv_tokens = batch * KV_HEADS * (history + chunk)
    return kv_tokens * HEAD_DIM * 2 * 2 + 2 * batch * chunk * Q_HEADS * HEAD_DIM * 2


def flash(q, k, v, history):
    """q [B, Hq, C, D], k/v [B, Hkv, T, D] (strided views of token-major tensors)."""
    return torch.ops.aten._scaled_dot_product_flash_attention(q, k, v, 0.0, True, False)[0]


def efficient(q, k, v, history):
    out = torch.ops.aten._efficient_attention_forward(
        q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), bias=None, cu_seqlens_q=None,
        cu_seqlens_k=None, max_seqlen_q=None, max_seqlen_k=None, dropout_p=0.0,
        custom_mask_type=2 if history > 0 else 1, compute_log_sumexp=False, scale=None, seqlen_k=None)[0]
    return out.transpose(1, 2)


def _cudnn(q, k, v, causal, lse):
    r = torch.ops.aten._scaled_dot_product_cudnn_attention(q, k, v, None, lse, 0.0, causal, False)
    return r[0], r[1]


def cudnn(q, k, v, history):
    if history == 0:
        return _cudnn(q, k, v, True, False)[0]
    o1, l1 = _cudnn(q, k[:, :, :history], v[:, :, :history], False, True)
    o2, l2 = _cudnn(q, k[:, :, history:], v[:, :, history:], True, True)
    # Merge by log-sum-exp: the second part's weight is e^l2 / (e^l1 + e^l2) = sigmoid(l2 - l1);
    # one lerp pass over the outputs (two small kernels for the weights).
    w = torch.sigmoid(l2.reshape(o2.shape[:3]) - l1.reshape(o1.shape[:3])).unsqueeze(-1)
    return torch.lerp(o1, o2, w.to(o1.dtype))


BACKENDS = [("sdpa-flash", flash), ("sdpa-efficient", efficient), ("sdpa-cudnn", cudnn)]


def make_inputs(chunk, history, dev, gen_seed):
    g = torch.Generator(device=dev).manual_seed(gen_seed)
    # Token-major storage as a serving engine keeps it ([tokens, heads, dim]), viewed head-major.
    q = (torch.rand(1, chunk, Q_HEADS, HEAD_DIM, device=dev, generator=g) * 4 - 2).to(torch.bfloat16)
    k = (torch.rand(1, history + chunk, KV_HEADS, HEAD_DIM, device=dev, generator=g) * 2 - 1).to(torch.bfloat16)
    v = (torch.rand(1, history + chunk, KV_HEADS, HEAD_DIM, device=dev, generator=g) * 2 - 1).to(torch.bfloat16)
    return q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)


def repeat_kv(k):
    return k.repeat_interleave(Q_HEADS // KV_HEADS, dim=1)


def reference(q, k, v, history):
    """float64, lower-right causal mask, repeated KV heads."""
    c, t = q.shape[2], k.shape[2]
    qd, kd, vd = q.double(), repeat_kv(k).double(), repeat_kv(v).double()
    s = qd @ kd.transpose(-1, -2) / HEAD_DIM ** 0.5
    mask = torch.ones(c, t, dtype=torch.bool, device=q.device).tril(diagonal=t - c)
    s = s.masked_fill(~mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ vd


def check_backend(fn, dev):
    """(GQA native, worst relative error over CHECK_SHAPES): native 8 KV heads first; repeated
    K/V heads when the backend rejects them or misses the bound with them. Raises when the backend
    cannot run at all."""
    def worst_error(native):
        worst = 0.0
        for i, (history, chunk) in enumerate(CHECK_SHAPES):
            q, k, v = make_inputs(chunk, history, dev, 7 + i)
            ref = reference(q, k, v, history)
            out = fn(q, k, v, history) if native else fn(q, repeat_kv(k), repeat_kv(v), history)
            torch.cuda.synchronize()
            if not torch.isfinite(out).all():
                return float("nan")
            worst = max(worst, ((out.double() - ref).norm() / ref.norm()).item())
        return worst

    try:
        rel = worst_error(True)
        if rel == rel and rel <= CHECK_BOUND:
            return True, rel
    except Exception:  # e.g. a kernel that requires as many KV heads as query heads
        pass
    return False, worst_error(False)


def graphs(fn, inputs, history):
    """One CUDA graph per input set replaying fn (warmed up on a side stream first, as PyTorch's
    graph capture requires), as callables; None when capture fails."""
    try:
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for args in inputs[:2]:
                fn(*args, history)
        torch.cuda.current_stream().wait_stream(side)
        out = []
        for args in inputs:
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g):
                fn(*args, history)
            out.append(g.replay)
        torch.cuda.synchronize()
        return out
    except Exception as e:
        print(f"graph capture: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
        torch.cuda.synchronize()
        return None


def device_fields():
    props = torch.cuda.get_device_properties(0)
    driver, cuda_driver = "", 0
    try:
        version = ctypes.c_int()
        ctypes.CDLL("libcuda.so.1").cuDriverGetVersion(ctypes.byref(version))
        cuda_driver = version.value
    except OSError:
        pass
    nvml = None
    try:
        import pynvml
        pynvml.nvmlInit()
        driver = pynvml.nvmlSystemGetDriverVersion()
        driver = driver.decode() if isinstance(driver, bytes) else driver
        nvml = (pynvml, pynvml.nvmlDeviceGetHandleByIndex(0))
    except Exception:  # NVML is optional: clocks then read 0
        pass
    return dict(gpu_name=torch.cuda.get_device_name(0), driver_version=driver, cuda_driver_version=cuda_driver,
                sm_count=props.multi_processor_count), nvml


def clocks(nvml):
    if nvml is None:
        return 0, 0
    lib, handle = nvml
    try:
        return (lib.nvmlDeviceGetClockInfo(handle, lib.NVML_CLOCK_SM), lib.nvmlDeviceGetClockInfo(handle, lib.NVML_CLOCK_MEM))
    except Exception:
        return 0, 0


def prefill_row(device, label, chunk, history, sets, times, sm_mhz, mem_mhz, status, rel=None):
    times = sorted(times)
    n = len(times)
    median = statistics.median(times) if n else 0.0
    row = dict(device)
    row.update(sm_clock_mhz=sm_mhz, mem_clock_mhz=mem_mhz, kernel_class="prefill_attention",
               phase="measure" if rel is None else "check", label=label, profile="", kept_ratio=1.0, layer=-1,
               batch=1, context_tokens=history + chunk, kv_tokens_read=KV_HEADS * (history + chunk), q_heads=Q_HEADS,
               kv_heads=KV_HEADS, head_dim=HEAD_DIM, h_p=KV_HEADS, page_tokens=0, split_mode="", splits=1, ctas=0,
               chunk_tokens=chunk, history_tokens=history, m=0, n=0, k=0, bytes=prefill_bytes(1, chunk, history),
               flops=prefill_flops(1, chunk, history), median_s=median,
               p90_s=times[min(n - 1, -(-9 * n // 10) - 1)] if n else 0.0, min_s=times[0] if n else 0.0,
               mean_s=sum(times) / n if n else 0.0, plan_s=0.0, repeats=n, rotations=sets,
               check_rel_error="" if rel is None else rel, status=status)
    return row


def prefill(path):
    dev = torch.device("cuda")
    device, nvml = device_fields()
    rows = []
    for name, fn in BACKENDS:
        try:
            native, rel = check_backend(fn, dev)
        except Exception as e:  # a backend this PyTorch build or GPU does not offer
            print(f"prefill {name}: unavailable: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
            rows.append(prefill_row(device, name, CHECK_SHAPES[0][1], CHECK_SHAPES[0][0], 0, [], 0, 0,
                                    f"error: {type(e).__name__}", rel=float("nan")))
            continue
        label = name if native else name + "-kvrep"
        ok = rel == rel and rel <= CHECK_BOUND
        print(f"prefill {label}: check rel error {rel:.2e} ({'ok' if ok else 'FAILED'}), GQA {'native' if native else 'K/V repeated'}")
        rows.append(prefill_row(device, label, CHECK_SHAPES[0][1], CHECK_SHAPES[0][0], 1, [], 0, 0,
                                "ok" if ok else "check-failed", rel=rel))
        for history in PREFILL_HISTORIES:
            for chunk in PREFILL_CHUNKS:
                if not ok:
                    rows.append(prefill_row(device, label, chunk, history, 0, [], 0, 0, "skipped: check failed"))
                    continue
                set_bytes = (chunk * Q_HEADS + 2 * (history + chunk) * KV_HEADS) * HEAD_DIM * 2
                sets = max(1, min(16, -(-ROTATE_BYTES // set_bytes)))
                inputs = []
                try:
                    for i in range(sets):
                        q, k, v = make_inputs(chunk, history, dev, 1000 + i)
                        inputs.append((q, k, v) if native else (q, repeat_kv(k), repeat_kv(v)))
                    calls = graphs(fn, inputs, history)
                    if calls is None:
                        print(f"prefill {label} history {history} chunk {chunk}: CUDA graph capture failed, timed eagerly")
                        calls = [lambda args=args: fn(*args, history) for args in inputs]
                    for i in range(WARMUP):
                        calls[i % sets]()
                    starts = [torch.cuda.Event(enable_timing=True) for _ in range(REPEATS)]
                    stops = [torch.cuda.Event(enable_timing=True) for _ in range(REPEATS)]
                    for i in range(REPEATS):
                        starts[i].record()
                        calls[i % sets]()
                        stops[i].record()
                    torch.cuda.synchronize()
                    del calls
                except Exception as e:
                    print(f"prefill {label} history {history} chunk {chunk}: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
                    rows.append(prefill_row(device, label, chunk, history, sets, [], 0, 0, f"error: {type(e).__name__}"))
                    continue
                finally:
                    del inputs
                    torch.cuda.empty_cache()
                sm_mhz, mem_mhz = clocks(nvml)
                times = [a.elapsed_time(b) * 1e-3 for a, b in zip(starts, stops)]
                row = prefill_row(device, label, chunk, history, sets, times, sm_mhz, mem_mhz, "ok")
                rows.append(row)
                print(f"prefill {label} history {history} chunk {chunk}: {row['median_s'] * 1e3:.3f} ms, "
                      f"{row['flops'] / row['median_s'] / 1e12:.0f} TFLOP/s")
    columns = CSV_COLUMNS.split(",")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: row[c] for c in columns})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sdpa.csv")
    if len(sys.argv) > 2:
        prefill(sys.argv[2])
