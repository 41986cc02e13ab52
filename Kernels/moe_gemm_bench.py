#!/usr/bin/env python3
# Device time of vLLM 0.11.1's fused-MoE Triton kernel (`fused_moe_kernel`, bf16, unquantized) at
# Qwen3-30B-A3B's expert shapes, beside cuBLAS dense GEMMs doing the same FLOPs. The simulator
# prices expert GEMMs with a roofline (Sources/GPUModel/CostModel/KernelCostModel+Linear.swift:
# gate/up [routed tokens, H] x [H, 2I] and down [routed tokens, I] x [I, H], routed tokens =
# tokens x top-k); this measures the compute fraction the kernel reaches.
#
#   python3 Kernels/moe_gemm_bench.py --vllm DIR OUT.csv [--smoke]
#
# DIR holds vLLM 0.11.1's own files, unmodified (from the vllm-0.11.1 wheel):
#   vllm/model_executor/layers/fused_moe/fused_moe.py and its configs/*.json.
# The kernel is not re-implemented: its source (`fused_moe_kernel` and the
# `write_zeros_to_output` it calls) is read from that file with `ast` and compiled by Triton as
# is. What this script writes itself, following vLLM's `invoke_fused_moe_kernel` and
# `moe_align_block_size`: the argument list of the launch, and the alignment of routed tokens
# into BLOCK_SIZE_M blocks per expert (sorted by expert, each expert's run padded with the
# invalid id `tokens x top-k`; buffers sized `tokens x top-k + E x (BLOCK_SIZE_M - 1)` as vLLM
# sizes them, blocks past the padded total exit early in the kernel).
#
# Configs, as vLLM 0.11.1 picks them (`try_get_optimal_moe_config`): `tuned` is the
# `E=128,N=<I>,device_name=<GPU>.json` entry whose token count is nearest M (the wheel ships
# H200 files for N = 768 and 384, none for the A100); `default` is `get_default_config` for
# unquantized weights (M <= E: 16/32/64, group 1; else 64/64/32, group 8), what vLLM runs on a
# GPU without a file.
#
# Routing: each token picks top-k distinct experts uniformly at random (seed 0), so every
# expert gets about tokens x k / E rows. The second GEMM runs with top_k = 1 and the routed
# weights multiplied in, as vLLM's `fused_experts_impl` calls it. The activation between the two
# (silu_and_mul) is not timed; the simulator charges it as an elementwise kernel.
#
# Timing: CUDA events around `reps` back-to-back launches (one sample), divided by reps, after a
# warm-up that compiles the kernel; median, nearest-rank p90 and minimum over the samples. Dense
# rows: torch.mm of [tokens x k, K] x [K, N] bf16 (cuBLAS), the same FLOPs as the expert GEMM.
# FLOPs = 2 x routed tokens x N x K. Peak: 989 TFLOP/s dense bf16 (H200 SXM datasheet).
# A check row per config compares the kernel with a per-expert torch reference at 64 tokens.
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import ast
import importlib.util
import json
import math
import os
import sys
import tempfile
import time

import bench_common

PEAK_BF16_FLOPS = 989e12   # H200 SXM dense bf16 (NVIDIA datasheet)
EXPERTS, TOP_K, HIDDEN = 128, 8, 2048          # Qwen3-30B-A3B config.json: num_experts,
MOE_INTERMEDIATE = 768                          # num_experts_per_tok, hidden_size, moe_intermediate_size
KERNEL_PATH = "vllm/model_executor/layers/fused_moe/fused_moe.py"
CONFIG_DIR = "vllm/model_executor/layers/fused_moe/configs"
FIELDS = ["kernel", "config", "tp", "experts", "top_k", "tokens", "routed_tokens", "n", "k",
          "block_m", "block_n", "block_k", "group_m", "num_warps", "num_stages", "flops",
          "median_us", "p90_us", "min_us", "samples", "tflops", "fraction_of_peak", "check_rel_error"]


def load_kernel(vllm_dir, workdir):
    """`fused_moe_kernel` compiled from vLLM's own source text (Triton needs a file to read)."""
    path = os.path.join(vllm_dir, KERNEL_PATH)
    text = open(path).read()
    tree = ast.parse(text)
    wanted = {"write_zeros_to_output", "fused_moe_kernel"}
    parts = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in wanted:
            start = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
            parts.append("\n".join(text.splitlines()[start:node.end_lineno]))
    if len(parts) != len(wanted):
        sys.exit(f"{path}: did not find {sorted(wanted)}")
    module_path = os.path.join(workdir, "vllm_fused_moe_kernel.py")
    with open(module_path, "w") as f:
        f.write("# Extracted unmodified from " + KERNEL_PATH + " (vLLM 0.11.1)\n")
        f.write("import triton\nimport triton.language as tl\n\n\n" + "\n\n\n".join(parts) + "\n")
    spec = importlib.util.spec_from_file_location("vllm_fused_moe_kernel", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fused_moe_kernel


def tuned_config(vllm_dir, n, device_name, tokens):
    name = f"E={EXPERTS},N={n},device_name={device_name.replace(' ', '_')}.json"
    path = os.path.join(vllm_dir, CONFIG_DIR, name)
    if not os.path.exists(path):
        return None, name
    table = {int(k): v for k, v in json.load(open(path)).items()}
    return dict(table[min(table, key=lambda m: abs(m - tokens))]), name


def default_config(tokens):
    if tokens <= EXPERTS:
        return {"BLOCK_SIZE_M": 16, "BLOCK_SIZE_N": 32, "BLOCK_SIZE_K": 64, "GROUP_SIZE_M": 1}
    return {"BLOCK_SIZE_M": 64, "BLOCK_SIZE_N": 64, "BLOCK_SIZE_K": 32, "GROUP_SIZE_M": 8}


def align(torch, topk_ids, block_m):
    """Routed (token, slot) ids sorted by expert, each expert's run padded to a multiple of
    block_m with the invalid id; the expert of every block; the padded total."""
    flat = topk_ids.flatten().to(torch.int64)
    valid = flat.numel()
    counts = torch.bincount(flat, minlength=EXPERTS)
    padded = (counts + block_m - 1) // block_m * block_m
    starts = torch.cumsum(padded, 0) - padded
    order = torch.sort(flat, stable=True).indices
    rank = torch.arange(valid, device=flat.device) - (torch.cumsum(counts, 0) - counts)[flat[order]]
    capacity = valid + EXPERTS * (block_m - 1)
    sorted_ids = torch.full((capacity,), valid, dtype=torch.int32, device=flat.device)
    sorted_ids[starts[flat[order]] + rank] = order.to(torch.int32)
    blocks = math.ceil(capacity / block_m)
    expert_ids = torch.zeros(blocks, dtype=torch.int32, device=flat.device)
    block_expert = torch.repeat_interleave(torch.arange(EXPERTS, device=flat.device), padded // block_m)
    expert_ids[: block_expert.numel()] = block_expert.to(torch.int32)
    total = torch.tensor([int(padded.sum())], dtype=torch.int32, device=flat.device)
    return sorted_ids, expert_ids, total


def launch(kernel, tl, a, w, c, topk_weights, sorted_ids, expert_ids, total, top_k, mul_weight, config):
    """One call with the argument list of vLLM's `invoke_fused_moe_kernel` (unquantized, no bias)."""
    cfg = dict(config)
    block_k = cfg.pop("BLOCK_SIZE_K")
    em = sorted_ids.size(0)
    grid = (math.ceil(em / cfg["BLOCK_SIZE_M"]) * math.ceil(w.size(1) / cfg["BLOCK_SIZE_N"]),)
    kernel[grid](
        a, w, c, None, None, None, topk_weights, sorted_ids, expert_ids, total,
        w.size(1), w.size(2), em, a.size(0) * top_k,
        a.stride(0), a.stride(1), w.stride(0), w.stride(2), w.stride(1), c.stride(1), c.stride(2),
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        MUL_ROUTED_WEIGHT=mul_weight, top_k=top_k, compute_type=tl.bfloat16, use_fp8_w8a8=False,
        use_int8_w8a8=False, use_int8_w8a16=False, per_channel_quant=False, HAS_BIAS=False,
        BLOCK_SIZE_K=block_k, SPLIT_K=1, **cfg)


def device_time(torch, fn, reps, samples, warmup_s=0.05):
    t = time.perf_counter()
    while time.perf_counter() - t < warmup_s:
        fn()
    torch.cuda.synchronize()
    out = []
    for _ in range(samples):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(reps):
            fn()
        end.record()
        end.synchronize()
        out.append(start.elapsed_time(end) / 1e3 / reps)
    return bench_common.quantiles(out), len(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--vllm", required=True, help="directory with vLLM 0.11.1's fused_moe files")
    ap.add_argument("out", help="CSV to write")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, for checking the script")
    args = ap.parse_args()
    torch = bench_common.import_torch()
    import numpy as np
    import triton.language as tl
    if not torch.cuda.is_available():
        sys.exit("a CUDA GPU is needed")
    workdir = tempfile.mkdtemp()
    kernel = load_kernel(args.vllm, workdir)
    device = torch.cuda.get_device_name()
    header = [bench_common.host_line(np, torch), f"GPU {device}",
              "vLLM 0.11.1 fused_moe_kernel (bf16), Qwen3-30B-A3B experts: E=128, top-k 8, H=2048, I=768/TP"]
    gen = torch.Generator(device="cuda").manual_seed(0)
    token_counts = [256, 2048] if args.smoke else [256, 1024, 2048, 4096, 8192, 16384]
    reps, samples = (2, 3) if args.smoke else (5, 15)
    def section(tp):
        inter = MOE_INTERMEDIATE // tp
        w1 = torch.randn(EXPERTS, 2 * inter, HIDDEN, device="cuda", dtype=torch.bfloat16, generator=gen) * 0.02
        w2 = torch.randn(EXPERTS, HIDDEN, inter, device="cuda", dtype=torch.bfloat16, generator=gen) * 0.02
        out = []
        for tokens in token_counts:
            x = torch.randn(tokens, HIDDEN, device="cuda", dtype=torch.bfloat16, generator=gen)
            topk_ids = torch.rand(tokens, EXPERTS, device="cuda", generator=gen).topk(TOP_K, dim=1).indices
            weights = torch.rand(tokens, TOP_K, device="cuda", generator=gen, dtype=torch.float32)
            h1 = torch.empty(tokens, TOP_K, 2 * inter, device="cuda", dtype=torch.bfloat16)
            mid = torch.randn(tokens * TOP_K, inter, device="cuda", dtype=torch.bfloat16, generator=gen)
            h2 = torch.empty(tokens, TOP_K, HIDDEN, device="cuda", dtype=torch.bfloat16)
            routed = tokens * TOP_K
            configs = [("default", default_config(tokens))]
            tuned, _ = tuned_config(args.vllm, inter, device, tokens)
            if tuned is not None:
                configs.insert(0, ("tuned", tuned))
            for name, cfg in configs:
                sorted_ids, expert_ids, total = align(torch, topk_ids, cfg["BLOCK_SIZE_M"])
                gemms = [
                    ("moe_w1", lambda: launch(kernel, tl, x, w1, h1, None, sorted_ids, expert_ids, total,
                                              TOP_K, False, cfg), 2 * inter, HIDDEN),
                    ("moe_w2", lambda: launch(kernel, tl, mid, w2, h2, weights, sorted_ids, expert_ids, total,
                                              1, True, cfg), HIDDEN, inter),
                ]
                for label, fn, n, k in gemms:
                    (med, p90, lo), count = device_time(torch, fn, reps, samples)
                    flops = 2 * routed * n * k
                    out.append(dict(
                        kernel=label, config=name, tp=tp, experts=EXPERTS, top_k=TOP_K, tokens=tokens,
                        routed_tokens=routed, n=n, k=k, block_m=cfg["BLOCK_SIZE_M"],
                        block_n=cfg["BLOCK_SIZE_N"], block_k=cfg["BLOCK_SIZE_K"], group_m=cfg["GROUP_SIZE_M"],
                        num_warps=cfg.get("num_warps", ""), num_stages=cfg.get("num_stages", ""), flops=flops,
                        median_us=f"{med * 1e6:.3f}", p90_us=f"{p90 * 1e6:.3f}", min_us=f"{lo * 1e6:.3f}",
                        samples=count, tflops=f"{flops / med / 1e12:.2f}",
                        fraction_of_peak=f"{flops / med / PEAK_BF16_FLOPS:.4f}", check_rel_error=""))
                    print(out[-1], flush=True)
            for label, n, k in [("dense_w1", 2 * inter, HIDDEN), ("dense_w2", HIDDEN, inter)]:
                a = torch.randn(routed, k, device="cuda", dtype=torch.bfloat16, generator=gen)
                b = torch.randn(k, n, device="cuda", dtype=torch.bfloat16, generator=gen)
                (med, p90, lo), count = device_time(torch, lambda: torch.mm(a, b), reps, samples)
                flops = 2 * routed * n * k
                out.append(dict(
                    kernel=label, config="cublas", tp=tp, experts=EXPERTS, top_k=TOP_K, tokens=tokens,
                    routed_tokens=routed, n=n, k=k, block_m="", block_n="", block_k="", group_m="",
                    num_warps="", num_stages="", flops=flops, median_us=f"{med * 1e6:.3f}",
                    p90_us=f"{p90 * 1e6:.3f}", min_us=f"{lo * 1e6:.3f}", samples=count,
                    tflops=f"{flops / med / 1e12:.2f}", fraction_of_peak=f"{flops / med / PEAK_BF16_FLOPS:.4f}",
                    check_rel_error=""))
                print(out[-1], flush=True)
        return out

    def check():
        """The first GEMM at 64 tokens against a per-expert torch reference, for every config."""
        inter = MOE_INTERMEDIATE
        tokens = 64
        w1 = torch.randn(EXPERTS, 2 * inter, HIDDEN, device="cuda", dtype=torch.bfloat16, generator=gen) * 0.02
        x = torch.randn(tokens, HIDDEN, device="cuda", dtype=torch.bfloat16, generator=gen)
        topk_ids = torch.rand(tokens, EXPERTS, device="cuda", generator=gen).topk(TOP_K, dim=1).indices
        ref = torch.empty(tokens, TOP_K, 2 * inter, device="cuda")
        for e in torch.unique(topk_ids).tolist():
            t, j = (topk_ids == e).nonzero(as_tuple=True)
            ref[t, j] = x[t].float() @ w1[e].float().T
        out = []
        tuned, _ = tuned_config(args.vllm, inter, device, tokens)
        for name, cfg in [("default", default_config(tokens)), ("default_large", default_config(EXPERTS + 1))] + (
                [("tuned", tuned)] if tuned else []):
            sorted_ids, expert_ids, total = align(torch, topk_ids, cfg["BLOCK_SIZE_M"])
            h1 = torch.zeros(tokens, TOP_K, 2 * inter, device="cuda", dtype=torch.bfloat16)
            launch(kernel, tl, x, w1, h1, None, sorted_ids, expert_ids, total, TOP_K, False, cfg)
            torch.cuda.synchronize()
            err = ((h1.float() - ref).norm() / ref.norm()).item()
            out.append(dict(kernel="moe_w1", config=name, tp=1, experts=EXPERTS, top_k=TOP_K, tokens=tokens,
                            routed_tokens=tokens * TOP_K, n=2 * inter, k=HIDDEN, block_m=cfg["BLOCK_SIZE_M"],
                            block_n=cfg["BLOCK_SIZE_N"], block_k=cfg["BLOCK_SIZE_K"], group_m=cfg["GROUP_SIZE_M"],
                            num_warps=cfg.get("num_warps", ""), num_stages=cfg.get("num_stages", ""), flops="",
                            median_us="", p90_us="", min_us="", samples=0, tflops="", fraction_of_peak="",
                            check_rel_error=f"{err:.2e}"))
            print(out[-1], flush=True)
            if err > 2e-2:
                raise RuntimeError(f"fused_moe_kernel ({name}) differs from the reference: rel error {err:.3e}")
        return out

    sections = [("check", check), ("tp1", lambda: section(1)), ("tp2", lambda: section(2))]
    bench_common.run_sections(sections, header, args.out, FIELDS)


if __name__ == "__main__":
    main()
