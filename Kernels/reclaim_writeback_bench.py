#!/usr/bin/env python3
# Time of the Tangram fork's earlier KV write-back at a compression boundary: one request's
# CompressionExecutor.run_request as aiha-lab/tangram had it at commit dfb7104 (before the batched
# Triton write-back of eviction_writeback.py), which gathers and writes back the kept KV of every
# (layer, head group) cluster with about 17 eager torch ops per cluster
# (docs/reproduction.md, table 3; ReclaimHostCoefficients).
#
#   python3 Kernels/reclaim_writeback_bench.py --fork DIR OUT.csv
#
# DIR holds that commit's executor.py at DIR/vllm/v1/attention/compression/executor.py (the file
# is not part of this project; see .fork/FORK_COMMITS). Needs torch with a CUDA device.
#
# Each configuration is one request closing a boundary: C = layers x groups clusters (8 KV
# heads of dimension 128 in groups of page_group_size 4, the paper's H_p), bf16 KV caches in the
# fork's column-major page layout [2, blocks, page_group_size, 16, head], a head-grouped block
# table row of shuffled distinct pages, and per cluster `prev` tokens kept by earlier boundaries
# plus a CHUNK-token chunk, of which KEEP_RATIO is kept (sink SINK, window WINDOW, the rest of the
# kept middle the chunk's top-k by a random ranking). Timed: run_request as the fork's runner
# calls it, eager, from a synchronized GPU to the GPU synchronized again (time.perf_counter), and
# its host time alone (the call returning); WARMUP calls, then ROUNDS rounds of CALLS calls with
# the configurations interleaved. The CSV holds each configuration's median, p90 and minimum.
#
# Stubs (sys.modules entries made before the fork's module is imported, never called): packages
# vllm, vllm.v1, vllm.v1.attention, vllm.v1.attention.compression (its __path__ at DIR, so its
# __init__ is not run), vllm.v1.worker; modules vllm.v1.attention.compression.compressor and
# vllm.v1.worker.block_table with placeholder classes KVCompressor and BlockTable (annotations
# only). Stand-ins passed as arguments: the block table (head_grouped, block_table.gpu) and the
# compressor (req_state holding what prepare_keep_decision and compute_kept_lengths_per_rank leave).
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import csv
import importlib
import math
import os
import statistics
import time
import types

import numpy as np
import torch

import bench_common

BLOCK = 16
KV_HEADS, HEAD, PAGE_GROUP = 8, 128, 4
CHUNK = 2048            # the fork's compression_chunk_size default (vllm/config/cache.py)
SINK, WINDOW = 4, 32    # the fork's defaults
KEEP_RATIO = 0.25
LAYERS = [4, 12, 32, 36]
PREVS = [2048, 4096, 8192, 12288, 16384, 24576, 32768, 49152]
WARMUP, ROUNDS, CALLS = 3, 5, 4
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"  # CPU: a smoke test of the set-up only


def sync():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def load_executor(fork):
    for name in ["vllm", "vllm.v1", "vllm.v1.attention", "vllm.v1.worker"]:
        bench_common.stub_package(name, [])
    bench_common.stub_package("vllm.v1.attention.compression", [os.path.join(fork, "vllm/v1/attention/compression")])
    bench_common.stub_module("vllm.v1.attention.compression.compressor", KVCompressor=type("KVCompressor", (), {}))
    bench_common.stub_module("vllm.v1.worker.block_table", BlockTable=type("BlockTable", (), {}))
    return importlib.import_module("vllm.v1.attention.compression.executor")


class Config:
    """One request at one boundary, with everything run_request reads."""

    def __init__(self, ex, layers, prev, seed):
        g = torch.Generator(device=DEVICE).manual_seed(seed)
        groups = KV_HEADS // PAGE_GROUP
        self.layers, self.groups, self.prev = layers, groups, prev
        total = prev + CHUNK
        self.kept = prev + int(KEEP_RATIO * CHUNK)
        n_blocks = math.ceil(total / BLOCK)
        pool = groups * n_blocks + 8
        self.caches = [torch.randn(2, pool, PAGE_GROUP, BLOCK, HEAD, generator=g, device=DEVICE,
                                   dtype=torch.bfloat16) for _ in range(layers)]
        ids = torch.stack([torch.randperm(pool, generator=g, device=DEVICE)[: groups * n_blocks]
                           .view(groups, n_blocks) for _ in range(layers)]).view(1, layers * groups, n_blocks)
        self.block_table = types.SimpleNamespace(head_grouped=True,
                                                 block_table=types.SimpleNamespace(gpu=ids.to(torch.int32)))
        locked = prev - SINK
        eval_len = CHUNK - WINDOW
        decision = types.SimpleNamespace(sink_size=SINK, win_size=WINDOW, adjusted_ratio=KEEP_RATIO,
                                         eval_start=prev, eval_end=prev + eval_len)
        sorted_idx = torch.argsort(torch.rand(layers, groups, PAGE_GROUP, eval_len, generator=g, device=DEVICE),
                                   dim=-1)
        self.req = types.SimpleNamespace(
            cross_layer_decision=decision, cached_kept_lengths_cpu=np.full((layers, groups), self.kept, np.int64),
            locked_count_cpu=np.full((layers, groups), locked, np.int64), cached_sorted_indices=sorted_idx,
            layer_states={})
        self.compressor = types.SimpleNamespace(req_state={"r": self.req})
        self.prev_lens = np.full((layers, groups), prev, np.int64)
        self.executor = ex.CompressionExecutor(layers, KV_HEADS, PAGE_GROUP, HEAD, BLOCK)
        self.meta = ex.CompressionMetadata(req_id="r", row_idx=0, chunk_len=CHUNK, floor_min=512)

    def __call__(self):
        return self.executor.run_request(self.caches, self.block_table, self.prev_lens, self.compressor, self.meta)


def main():
    global LAYERS, PREVS
    ap = argparse.ArgumentParser()
    ap.add_argument("--fork", required=True)
    ap.add_argument("--smoke", action="store_true", help="smallest configurations only")
    ap.add_argument("--layers", type=int, nargs="*", default=LAYERS)
    ap.add_argument("--prevs", type=int, nargs="*", default=PREVS)
    ap.add_argument("out")
    args = ap.parse_args()
    LAYERS, PREVS = ([4], [2048]) if args.smoke else (args.layers, args.prevs)
    ex = load_executor(args.fork)
    configs = {(l, p): Config(ex, l, p, 100 * l + p) for l in LAYERS for p in PREVS}
    # Check: after a call every cluster's first `kept` slots hold sink, locked prefix, the
    # chunk's top-k and the window, in order (compared for one cluster against a direct gather).
    c = configs[(LAYERS[0], PREVS[0])]
    before = c.caches[1].clone()
    c()
    ids = c.block_table.block_table.gpu[0, 1 * c.groups + 1].long()
    tokens = before[:, ids].permute(0, 1, 3, 2, 4).reshape(2, -1, PAGE_GROUP, HEAD)
    eval_len = CHUNK - WINDOW
    top = c.req.cached_sorted_indices[1, 1][:, : c.kept - c.prev - WINDOW].sort(dim=-1).values + c.prev
    total = c.prev + CHUNK
    want = torch.stack([torch.cat([tokens[:, : c.prev, h], tokens[:, top[h], h], tokens[:, total - WINDOW: total, h]], 1)
                        for h in range(PAGE_GROUP)], 2)
    after = c.caches[1][:, ids].permute(0, 1, 3, 2, 4).reshape(2, -1, PAGE_GROUP, HEAD)[:, : c.kept]
    assert eval_len > 0 and torch.equal(after, want), "write-back differs from the direct gather"
    print("check: the write-back equals a direct gather of the kept positions", flush=True)
    for cfg in configs.values():
        for _ in range(WARMUP):
            cfg()
    sync()
    wall = {k: [] for k in configs}
    host = {k: [] for k in configs}
    for _ in range(ROUNDS):
        for key, cfg in configs.items():
            for _ in range(CALLS):
                sync()
                t0 = time.perf_counter()
                cfg()
                t1 = time.perf_counter()
                sync()
                t2 = time.perf_counter()
                host[key].append(t1 - t0)
                wall[key].append(t2 - t0)
    rows = []
    for (layers, prev), cfg in configs.items():
        w, h = sorted(wall[(layers, prev)]), sorted(host[(layers, prev)])
        n = len(w)
        rows.append(dict(layers=layers, groups=cfg.groups, clusters=layers * cfg.groups, prev_kept=prev,
                         chunk=CHUNK, total_seen=prev + CHUNK, kept_length=cfg.kept, calls=n,
                         wall_median_us=statistics.median(w) * 1e6, wall_p90_us=w[math.ceil(0.9 * n) - 1] * 1e6,
                         wall_min_us=w[0] * 1e6, host_median_us=statistics.median(h) * 1e6))
        r = rows[-1]
        print(f"C {r['clusters']:3d} prev {prev:6d}: wall {r['wall_median_us']:9.1f} us "
              f"({r['wall_median_us'] / r['clusters']:6.1f} per cluster), host {r['host_median_us']:9.1f} us",
              flush=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="") as f:
        f.write(f"# aiha-lab/tangram executor.py at dfb7104 (run_request, torch write-back), torch {torch.__version__}, "
                f"{torch.cuda.get_device_name() if DEVICE == 'cuda' else 'cpu'}, host cpus {os.cpu_count()}, eager\n")
        wr = csv.DictWriter(f, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
