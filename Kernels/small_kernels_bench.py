#!/usr/bin/env python3
# Device time of the small kernels whose cost-model coefficients were once estimates
# (docs/cost-model.md, "Coefficients": elementwise memoryFraction 0.70, scoring compute/memory
# 0.40/0.70, launch 2 us), measured with PyTorch on one GPU.
#
#   python3 Kernels/small_kernels_bench.py OUT.csv [--smoke]
#
# Needs torch with CUDA (Triton for the torch.compile rows). --smoke runs tiny sizes and, without
# a GPU, times with time.perf_counter on the CPU: for checking the script, not for measurements.
#
# Timing: CUDA events on the GPU timeline. One sample = events around `reps` back-to-back calls
# of the op, divided by reps; WARMUP_S of warm-up calls first; the CSV holds the median,
# nearest-rank p90 and minimum over `calls` samples, in microseconds per op. Two modes:
#  - eager: the reps calls launched from Python; when the host launches slower than the GPU
#    runs, the time per op is the launch interval, as in an eager (prefill) step;
#  - graph: the reps calls captured once in a CUDA graph and the graph replayed, as in vLLM's
#    CUDA-graphed decode steps; the time per op is the kernel plus the in-graph gap.
# Bytes and FLOPs are the minimal traffic of the fused operation, which is what the simulator's
# roofline charges (Sources/GPUModel/CostModel/KernelCostModel+Linear.swift, +Host.swift):
#  (a) rms_norm: read x, write y ([tokens, hidden] bf16) + the weight;
#      add_rms_norm (vLLM's fused_add_rms_norm: residual += x; x = rmsnorm(residual)): read x and
#      residual, write both (8 x hidden bytes per token, the simulator's figure);
#      silu_and_mul: read [tokens, 2I], write [tokens, I] bf16 (3 I x 2 bytes per token).
#      Eager rows run F.rms_norm / (residual.add_(x); F.rms_norm) / F.silu(x[:, :I]) * x[:, I:];
#      compiled rows run the same Python under torch.compile(dynamic=True) (Inductor fuses each
#      into Triton kernels, compiled once for any token count, as vLLM V1 compiles its
#      forward_native ops), compiled_static rows under torch.compile(dynamic=False) (one
#      compilation per token count, from STATIC_MIN_TOKENS on); vLLM's own CUDA kernels are not
#      in torch. The kernels each row ran are listed in
#      the comment block (torch.profiler, one call at 4096 tokens).
#      copy: dst.copy_(src) of COPY_BYTES, bytes = read + write; its median gives the bandwidth
#      that every `fraction_of_copy` divides by.
#  (b) SnapKV scoring of one layer for one chunk: Q [32 heads, 32 window queries, 128] bf16, K
#      [8 KV heads, T, 128] bf16; GQA puts query head h on KV head h // 4. Parts: qk = the
#      batched matmul (q x 1/sqrt(128), then [8, 128, 128] x [8, 128, T] -> bf16 scores);
#      softmax over keys in fp32 (SnapKV's dtype); mean over the 4 x 32 rows of each KV head;
#      avg_pool1d (kernel 7, stride 1, padding 3); topk of T/4 per KV head. The causal mask of the
#      window's own keys is left out. FLOPs = 2 x 32 x 32 x T x 128 (QK^T); bytes per part = its
#      tensors read and written; for the whole pipeline the simulator's SnapKV bytes
#      (keys once + the window's fp32 scores written and read, 32 x 32 x T x 4 x 2) are used and
#      the part sums are printed too. Peak: 989 TFLOP/s dense bf16 (H200 datasheet).
#  (c) launch gap: a graph of N_TINY one-element add_ kernels replayed (time per kernel), and
#      N_TINY eager launches of the same kernel between two events (time per kernel).
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import math
import os
import platform
import statistics
import sys
import time
import traceback
import types

import numpy as np

import bench_common

PEAK_BF16_FLOPS = 989e12     # H200 SXM dense bf16 (NVIDIA datasheet)
WARMUP_S = 0.05
HIDDEN = 4096
INTER = 14336
TOKENS = [1, 4, 16, 64, 256, 1024, 4096, 8192]
KEYS = [8192, 32768, 131072]
Q_HEADS, KV_HEADS, WINDOW, HEAD_DIM = 32, 8, 32, 128
POOL_KERNEL = 7
KEEP = 0.25
N_TINY = 1000
COPY_BYTES = 1 << 30
TARGET_SAMPLE_S = 0.002      # reps per sample chosen to fill about this much device time
MAX_REPS = 200
CALLS = 30
STATIC_MIN_TOKENS = 256    # compiled_static rows (one compilation per token count) from here on
COMPILE_BUDGET_S = 180     # torch.compile first calls beyond this drop the compiled rows

FIELDS = ["component", "mode", "tokens", "hidden", "inner", "keys", "reps", "calls",
          "median_us", "p90_us", "min_us", "bytes", "flops", "achieved_gbps", "achieved_tflops",
          "fraction_of_copy", "fraction_of_peak"]


class Timer:
    """CUDA events on a GPU; perf_counter (smoke runs only) without one."""

    def __init__(self, torch):
        self.torch = torch
        self.cuda = torch.cuda.is_available()

    def sync(self):
        if self.cuda:
            self.torch.cuda.synchronize()

    def span(self, fn, reps):
        """Seconds per call of fn over reps back-to-back calls."""
        if self.cuda:
            a = self.torch.cuda.Event(enable_timing=True)
            b = self.torch.cuda.Event(enable_timing=True)
            a.record()
            for _ in range(reps):
                fn()
            b.record()
            b.synchronize()
            return a.elapsed_time(b) * 1e-3 / reps
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t) / reps


def measure(timer, fn, calls=CALLS, reps=None):
    """Warm up, pick reps, return (reps, sorted seconds per call)."""
    t = time.perf_counter()
    n = 0
    while time.perf_counter() - t < WARMUP_S or n < 3:
        fn()
        n += 1
    timer.sync()
    one = timer.span(fn, 3)
    if reps is None:
        reps = max(1, min(MAX_REPS, int(TARGET_SAMPLE_S / max(one, 1e-7))))
    return reps, sorted(timer.span(fn, reps) for _ in range(calls))


def graph_of(torch, fn, reps):
    """A CUDA graph of reps calls of fn (captured after a warm-up on a side stream)."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(reps):
            fn()
    return g


def row(component, mode, samples, reps, nbytes=0, flops=0, copy_bps=None, **shape):
    med, p90, lo = bench_common.quantiles(samples)
    gbps = nbytes / med / 1e9 if nbytes else None
    tflops = flops / med / 1e12 if flops else None
    r = dict(component=component, mode=mode, tokens=shape.get("tokens", ""),
             hidden=shape.get("hidden", ""), inner=shape.get("inner", ""),
             keys=shape.get("keys", ""), reps=reps, calls=len(samples),
             median_us=f"{med * 1e6:.3f}", p90_us=f"{p90 * 1e6:.3f}", min_us=f"{lo * 1e6:.3f}",
             bytes=nbytes or "", flops=flops or "",
             achieved_gbps=f"{gbps:.1f}" if gbps else "",
             achieved_tflops=f"{tflops:.2f}" if tflops else "",
             fraction_of_copy=f"{gbps * 1e9 / copy_bps:.4f}" if gbps and copy_bps else "",
             fraction_of_peak=f"{tflops * 1e12 / PEAK_BF16_FLOPS:.4f}" if tflops else "")
    print(f"{component:24s} {mode:6s} T={r['tokens']!s:>5} keys={r['keys']!s:>6}: median "
          f"{med * 1e6:10.2f} us  p90 {p90 * 1e6:10.2f}  min {lo * 1e6:10.2f}  "
          f"{'%.0f GB/s' % gbps if gbps else ''} {'%.1f TFLOP/s' % tflops if tflops else ''}"
          f"  (reps {reps}, {len(samples)} samples)", flush=True)
    return r


def kernel_names(torch, fn):
    """CUDA kernels one call of fn runs (torch.profiler), names without template arguments."""
    try:
        from torch.profiler import profile, ProfilerActivity
        fn()
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            fn()
            torch.cuda.synchronize()
        names = []
        for e in prof.events():
            if e.device_type == torch.autograd.DeviceType.CUDA:
                short = e.name.removeprefix("void ").replace("(anonymous namespace)::", "")
                short = short.split("<")[0].split("(")[0].strip()  # no template or call arguments
                if short not in names:
                    names.append(short)
        return names
    except Exception as e:  # noqa: BLE001  (names are informational)
        return [f"(profiler failed: {type(e).__name__}: {e})"]


# ---------------------------------------------------------------- (a) ----------------------

def copy_rows(torch, timer, dev, nbytes):
    src = torch.empty(nbytes // 2, dtype=torch.bfloat16, device=dev).normal_()
    dst = torch.empty_like(src)
    reps, s = measure(timer, lambda: dst.copy_(src), reps=5 if timer.cuda else 1)
    r = row("copy", "eager", s, reps, nbytes=2 * nbytes)
    bps = 2 * nbytes / statistics.median(s)
    r["fraction_of_copy"] = "1.0000"
    del src, dst
    return [r], bps


def elementwise_ops(torch, F, dev, tokens, hidden, inner, compiled):
    """name -> (fn, bytes) for one token count."""
    x = torch.randn(tokens, hidden, dtype=torch.bfloat16, device=dev)
    res = torch.randn(tokens, hidden, dtype=torch.bfloat16, device=dev)
    w = torch.randn(hidden, dtype=torch.bfloat16, device=dev)
    g = torch.randn(tokens, 2 * inner, dtype=torch.bfloat16, device=dev)
    eps = 1e-6

    def rms(x=x, w=w):
        return F.rms_norm(x, (hidden,), w, eps)

    def add_rms(x=x, res=res, w=w):
        res.add_(x)
        return F.rms_norm(res, (hidden,), w, eps)

    def silu_mul(g=g):
        return F.silu(g[:, :inner]) * g[:, inner:]

    ops = {"rms_norm": (rms, 2 * tokens * hidden * 2 + hidden * 2),
           "add_rms_norm": (add_rms, 4 * tokens * hidden * 2 + hidden * 2),
           "silu_and_mul": (silu_mul, 3 * tokens * inner * 2)}
    out = {}
    for name, (fn, nbytes) in ops.items():
        out[(name, "eager")] = (fn, nbytes)
        for kind in ["compiled", "compiled_static"]:
            if (name, kind) not in compiled:
                continue
            c, dynamic = compiled[(name, kind)]
            if not dynamic and tokens < STATIC_MIN_TOKENS:
                continue
            if name == "rms_norm":
                out[(name, kind)] = ((lambda c=c, x=x, w=w: c(x, w)), nbytes)
            elif name == "add_rms_norm":
                out[(name, kind)] = ((lambda c=c, x=x, res=res, w=w: c(x, res, w)), nbytes)
            else:
                out[(name, kind)] = ((lambda c=c, g=g: c(g)), nbytes)
    return out


def compile_ops(torch, F, hidden, inner, header):
    eps = 1e-6

    def rms(x, w):
        return F.rms_norm(x, (hidden,), w, eps)

    def add_rms(x, res, w):
        res.add_(x)
        return F.rms_norm(res, (hidden,), w, eps)

    def silu_mul(g):
        return F.silu(g[:, :inner]) * g[:, inner:]

    out = {}
    for name, fn in [("rms_norm", rms), ("add_rms_norm", add_rms), ("silu_and_mul", silu_mul)]:
        for kind, dynamic in [("compiled", True), ("compiled_static", False)]:
            try:
                # Dynamo caches compilations per code object: give each kind its own code object.
                own = types.FunctionType(fn.__code__.replace(co_name=f"{fn.__name__}_{kind}"),
                                         fn.__globals__, f"{fn.__name__}_{kind}", fn.__defaults__,
                                         fn.__closure__)
                out[(name, kind)] = (torch.compile(own, dynamic=dynamic), dynamic)
            except Exception as e:  # noqa: BLE001  (keep the eager rows)
                header.append(f"torch.compile {name} {kind} failed: {type(e).__name__}: {e}")
    return out


def elementwise_rows(torch, F, timer, dev, copy_bps, tokens_list, header, use_compile):
    rows = []
    compiled = compile_ops(torch, F, HIDDEN, INTER, header) if use_compile else {}
    names_done = set()
    first_calls_s = 0.0
    for T in tokens_list:
        if compiled and first_calls_s > COMPILE_BUDGET_S:
            header.append(f"compiled rows stopped before T={T}: first calls took {first_calls_s:.0f} s")
            compiled = {}
        ops = elementwise_ops(torch, F, dev, T, HIDDEN, INTER, compiled)
        for (name, kind), (fn, nbytes) in ops.items():
            try:
                t0 = time.perf_counter()
                fn()
                timer.sync()
                if kind.startswith("compiled"):
                    first_calls_s += time.perf_counter() - t0
                    if time.perf_counter() - t0 > 1:
                        print(f"   compile {name} T={T}: {time.perf_counter() - t0:.1f} s", flush=True)
                if timer.cuda and (name, kind) not in names_done and T == min(4096, max(tokens_list)):
                    header.append(f"kernels {name} {kind}: " + "; ".join(kernel_names(torch, fn)))
                    names_done.add((name, kind))
                reps, s = measure(timer, fn)
                rows.append(row(name, kind, s, reps, nbytes=nbytes, copy_bps=copy_bps,
                                tokens=T, hidden=HIDDEN, inner=INTER if "silu" in name else ""))
                if timer.cuda:
                    g = graph_of(torch, fn, reps)
                    _, s = measure(timer, g.replay, reps=1)
                    s = [v / reps for v in s]
                    rows.append(row(name, kind + "+graph", s, reps, nbytes=nbytes, copy_bps=copy_bps,
                                    tokens=T, hidden=HIDDEN, inner=INTER if "silu" in name else ""))
                    del g
            except Exception as e:  # noqa: BLE001  (say what failed, keep the rest)
                header.append(f"{name} {kind} T={T} failed: {type(e).__name__}: {e}")
                traceback.print_exc()
        del ops
    return rows


# ---------------------------------------------------------------- (b) ----------------------

def scoring_rows(torch, F, timer, dev, copy_bps, keys_list, header):
    rows = []
    scale = 1.0 / math.sqrt(HEAD_DIM)
    group = Q_HEADS // KV_HEADS
    for T in keys_list:
        q = torch.randn(Q_HEADS, WINDOW, HEAD_DIM, dtype=torch.bfloat16, device=dev)
        k = torch.randn(KV_HEADS, T, HEAD_DIM, dtype=torch.bfloat16, device=dev)
        qg = q.view(KV_HEADS, group * WINDOW, HEAD_DIM)       # head h -> KV head h // 4
        kt = k.transpose(1, 2)
        n_keep = int(T * KEEP)
        st = {}

        def qk():
            st["s"] = torch.matmul(qg * scale, kt)
            return st["s"]

        def softmax():
            st["p"] = torch.softmax(st["s"], dim=-1, dtype=torch.float32)
            return st["p"]

        def mean():
            st["m"] = st["p"].mean(dim=1)
            return st["m"]

        def pool():
            st["a"] = F.avg_pool1d(st["m"].unsqueeze(1), POOL_KERNEL, stride=1,
                                   padding=POOL_KERNEL // 2).squeeze(1)
            return st["a"]

        def topk():
            return torch.topk(st["a"], n_keep, dim=-1)

        def pipeline():
            qk(); softmax(); mean(); pool()
            return topk()

        rows_ = KV_HEADS * group * WINDOW                    # 1024 score rows
        flops = 2 * Q_HEADS * WINDOW * T * HEAD_DIM
        key_bytes = KV_HEADS * T * HEAD_DIM * 2
        parts = {"scoring_qk": (qk, key_bytes + 3 * q.numel() * 2 + rows_ * T * 2, flops),
                 "scoring_softmax": (softmax, rows_ * T * (2 + 4), 0),
                 "scoring_mean": (mean, rows_ * T * 4 + KV_HEADS * T * 4, 0),
                 "scoring_pool": (pool, 2 * KV_HEADS * T * 4, 0),
                 "scoring_topk": (topk, KV_HEADS * T * 4 + 2 * KV_HEADS * n_keep * 12, 0)}
        sim_bytes = key_bytes + Q_HEADS * WINDOW * T * 4 * 2
        pipeline()
        timer.sync()
        if timer.cuda:
            header.append(f"kernels scoring T={T}: " + "; ".join(kernel_names(torch, pipeline)))
        try:
            reps, s = measure(timer, pipeline)
            rows.append(row("scoring_pipeline", "eager", s, reps, nbytes=sim_bytes, flops=flops,
                            copy_bps=copy_bps, keys=T))
            for name, (fn, nbytes, fl) in parts.items():
                reps, s = measure(timer, fn)
                rows.append(row(name, "eager", s, reps, nbytes=nbytes, flops=fl, copy_bps=copy_bps, keys=T))
            part_bytes = sum(v[1] for v in parts.values())
            header.append(f"scoring T={T}: parts' own traffic {part_bytes} bytes; pipeline row "
                          f"uses the simulator's SnapKV bytes {sim_bytes}")
        except Exception as e:  # noqa: BLE001
            header.append(f"scoring T={T} failed: {type(e).__name__}: {e}")
            traceback.print_exc()
        del q, k, qg, kt, st
    return rows


# ---------------------------------------------------------------- (c) ----------------------

def launch_rows(torch, timer, dev, n):
    x = torch.zeros(1, dtype=torch.float32, device=dev)
    tiny = lambda: x.add_(1)  # noqa: E731
    rows = []
    _, s = measure(timer, tiny, reps=n)
    rows.append(row("tiny_kernel", "eager", s, n))
    if timer.cuda:
        g = graph_of(torch, tiny, n)
        _, s = measure(timer, g.replay, reps=1)
        rows.append(row("tiny_kernel", "graph", [v / n for v in s], n))
    return rows


# ---------------------------------------------------------------- main ----------------------

def main():
    global CALLS
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", help="CSV to write")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes; CPU allowed (checks the script)")
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile rows")
    opts = ap.parse_args()
    import torch
    import torch.nn.functional as F
    cuda = torch.cuda.is_available()
    if not cuda and not opts.smoke:
        sys.exit("no CUDA device (use --smoke to check the script on a CPU)")
    dev = torch.device("cuda" if cuda else "cpu")
    tokens, keys, copy_bytes, n_tiny = TOKENS, KEYS, COPY_BYTES, N_TINY
    if opts.smoke:
        tokens, keys, copy_bytes, n_tiny, CALLS = [1, 64], [1024], 1 << 24, 100, 5
    try:
        import triton
        triton_v = triton.__version__
    except ImportError:
        triton_v = "none"
    name = torch.cuda.get_device_name() if cuda else "none (CPU smoke run)"
    header = [f"Kernels/small_kernels_bench.py {' '.join(sys.argv[1:])}",
              f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; host {platform.node()}, "
              f"{os.cpu_count()} cpus; device {name}; python {platform.python_version()}, "
              f"torch {torch.__version__} (CUDA {torch.version.cuda}), triton {triton_v}, numpy {np.__version__}",
              f"times are per op (events around `reps` back-to-back ops, or one replay of a graph of "
              f"`reps` ops, divided by reps); median/p90/min over `calls` samples; bytes = the fused "
              f"op's minimal traffic; fraction_of_copy = achieved bytes/s over the copy row's; "
              f"fraction_of_peak = achieved FLOP/s over {PEAK_BF16_FLOPS / 1e12:.0f} TFLOP/s dense bf16",
              f"hidden {HIDDEN}, intermediate {INTER}; scoring: {Q_HEADS} query heads, {KV_HEADS} KV heads, "
              f"window {WINDOW}, head dim {HEAD_DIM}, pool kernel {POOL_KERNEL}, top {KEEP:.0%}"]
    if cuda:
        p = torch.cuda.get_device_properties(0)
        header.append(f"device: {p.multi_processor_count} SMs, {p.total_memory / 2**30:.0f} GiB")
    rows = []
    print("== copy", flush=True)
    r, copy_bps = copy_rows(torch, Timer(torch), dev, copy_bytes)
    rows += r
    header.append(f"copy bandwidth (median): {copy_bps / 1e9:.1f} GB/s")
    timer = Timer(torch)
    sections = [("(c) launch gap", lambda: launch_rows(torch, timer, dev, n_tiny)),
                ("(b) SnapKV scoring", lambda: scoring_rows(torch, F, timer, dev, copy_bps, keys, header)),
                ("(a) elementwise", lambda: elementwise_rows(torch, F, timer, dev, copy_bps, tokens, header,
                                                             cuda and not opts.no_compile))]
    bench_common.run_sections(sections, header, opts.out, FIELDS, rows)

if __name__ == "__main__":
    main()
