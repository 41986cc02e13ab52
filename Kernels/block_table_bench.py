#!/usr/bin/env python3
# Host time of a step's block-table update for the pages the scheduler hands out that step,
# measured by importing and calling the released Tangram code (aiha-lab/tangram, the authors'
# vLLM 0.11.1 fork) and upstream vLLM 0.11.1; it replaced the former block-table estimates
# (docs/cost-model.md, "Coefficients": naive 0.25 us per entry, vectorized 5 us +
# 2 ns per entry).
#
#   python3 Kernels/block_table_bench.py --fork DIR OUT.csv
#
# DIR is laid out as for Kernels/reclaim_host_bench.py (whose fork import and stubs this script
# reuses; see that header for each stub): fork files at DIR/vllm/..., unmodified upstream vLLM
# 0.11.1 modules under DIR/upstream-0.11.1/vllm/..., commits in DIR/FORK_COMMITS (copied into the
# CSV's comment block). Host only: numpy and (CPU) torch; every buffer is built on the CPU.
#
# Sizes. A step with R running requests, G head groups in all (layers x groups per layer, the
# ragged table's flat group axis) and k new pages per group and request writes entries = R*G*k
# block-table entries: decode steps (k = 1) for R in 1, 4, 16, 64, 256 and G in 8, 64, 72, 256;
# prefill chunks (R = 1) of k = 32 and 512 pages per group (512 pages = 8192 tokens). Tables are
# sized for max_num_reqs 256 and max_model_len 32768 (2048 slots per row); decode rows hold 64
# pages per group before the step, prefill rows none (a first chunk).
#
# What is timed (time.perf_counter; restoring the rows' fill counts before each call is untimed):
#  (a) ragged (the design the paper calls vectorized: one call per request writes all its groups):
#      the fork's MultiGroupBlockTable(num_head_groups=G).append_row(new_block_ids, req_index),
#      called once per request, as GPUModelRunner._update_states does for every running request
#      with the scheduler output's new_block_ids (a one-element tuple holding the request's G*k
#      new ids as a Python list: KVCacheBlocks.get_block_ids() turns the ragged int32 array into
#      a list with .tolist()). It reaches RaggedBlockTable._append_row_grouped, which loops over
#      the G groups in Python and writes each group's slice with numpy.
#  (b) naive (one interpreted update per (request, group)): upstream 0.11.1's
#      BlockTable.append_row, one table per head group, called for every (request, group) with
#      that group's k ids as a list: (i) by a per-group Python loop here, (ii) by upstream's own
#      MultiGroupBlockTable.append_row given G groups (its loop over KV-cache groups is the
#      per-group loop).
#  (c) scheduler side, per request: the fork's BlockPool.get_new_block_ids(G*k) (ragged pool of
#      524288 pages; the ids go back untimed with free_block_ids_array);
#      SingleTypeKVCacheManager.allocate_new_blocks(req, tokens) for a request already holding D
#      pages per group (D = 64 or 1024: it pops the new ids and np.concatenates them onto the
#      request's held array; the held array is put back untimed); KVCacheBlocks.get_block_ids()
#      of the G*k new ids (the fork's class, compiled alone from DIR/vllm/v1/core/
#      kv_cache_manager.py, whose other imports need the whole engine).
# Each size is visited round by round (ROUNDS rounds, about TARGET_ROUND_S per size per round,
# at least MIN_CALLS calls) after WARMUP calls; the CSV holds the median, nearest-rank p90 and
# minimum in microseconds of one call (one step for (a) and (b): all R requests; one request
# for (c)). The garbage collector is frozen after set-up, as vLLM's engine core does.
# SPDX-License-Identifier: GPL-3.0-or-later
import importlib.util
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Literal, overload
from collections.abc import Sequence

import numpy as np

import bench_common

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reclaim_host_bench as rhb  # noqa: E402  (the shared fork import and its stubs)

ROUNDS = 8
WARMUP = 5
TARGET_ROUND_S = 0.02
MIN_CALLS = 3
MAX_CALLS = 400

BLOCK_SIZE = 16               # vLLM's CUDA block size
MAX_NUM_REQS = 256
MAX_MODEL_LEN = 32768         # 2048 slots per row
MAX_BATCHED_TOKENS = 8192
DECODE_DEPTH = 64             # pages per group a decoding row holds before the step
REQUESTS = [int(x) for x in os.environ.get("BT_REQUESTS", "1,4,16,64,256").split(",")]
GROUPS = [8, 64, 72, 256]
GROUPS_PER_LAYER = {8: 2, 64: 2, 72: 2, 256: 8}   # 4x2, 32x2, 36x2 (Qwen3-4B pg 4), 32x8 layers x groups
PREFILL_PAGES = [32, 512]
POOL_BLOCKS = 524288
HELD_DEPTHS = [64, 1024]      # pages per group a request holds before allocate_new_blocks
ALLOC_PAGES = [1, 32, 512]

# held_per_group: pages per group the row (append rows) or request (allocate rows) holds before.
FIELDS = ["component", "requests", "groups", "pages_per_group", "entries", "held_per_group",
          "calls", "median_us", "p90_us", "min_us"]


# ---------------------------------------------------------------- imports -------------------

def import_all(fork):
    mods = rhb.import_fork(fork)
    fork = os.path.abspath(fork)
    mods.fork_block_table = importlib.import_module("vllm.v1.worker.block_table")
    assert os.path.abspath(mods.fork_block_table.__file__).startswith(os.path.join(fork, "vllm"))
    path = os.path.join(fork, "upstream-0.11.1", "vllm", "v1", "worker", "block_table.py")
    spec = importlib.util.spec_from_file_location("vllm_0_11_1_worker_block_table", path)
    up = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = up
    spec.loader.exec_module(up)
    mods.upstream_block_table = up
    # KVCacheBlocks alone: the rest of kv_cache_manager.py imports the coordinator, metrics, ...
    ns = dict(__name__="vllm.v1.core.kv_cache_manager", dataclass=dataclass, field=field,
              Literal=Literal, overload=overload, Sequence=Sequence, np=np,
              itertools=importlib.import_module("itertools"),
              KVCacheBlock=sys.modules["vllm.v1.core.kv_cache_utils"].KVCacheBlock)
    rhb._module("vllm.v1.core.kv_cache_manager")
    sys.modules["vllm.v1.core.kv_cache_manager"].__dict__.update(ns)
    rhb._upstream_defs(os.path.join(fork, "vllm/v1/core/kv_cache_manager.py"), {"KVCacheBlocks"},
                       sys.modules["vllm.v1.core.kv_cache_manager"].__dict__)
    mods.KVCacheBlocks = sys.modules["vllm.v1.core.kv_cache_manager"].KVCacheBlocks
    return mods


# ---------------------------------------------------------------- timing --------------------

def Series(label, call):
    """One size whose `call()` returns one elapsed time (s)."""
    return bench_common.Series([label], lambda: (call(),))


def run_series(series):
    return bench_common.run_series(
        series, rounds=ROUNDS, warmup=WARMUP, target_round_s=TARGET_ROUND_S, min_calls=MIN_CALLS,
        max_calls=MAX_CALLS,
        describe=lambda lab: f"{lab['component']:38s} R={lab['requests']:4d} G={lab['groups']:4d} "
                             f"k={lab['pages_per_group']:4d} D={lab['held_per_group']:5d}")


def label(component, R, G, k, held=0):
    return dict(component=component, requests=R, groups=G, pages_per_group=k, entries=R * G * k,
                held_per_group=held)


def step_sizes():
    sizes = [(R, G, 1) for G in GROUPS for R in REQUESTS]
    sizes += [(1, G, k) for G in GROUPS for k in PREFILL_PAGES]
    return sizes


def new_ids(rng, R, G, k):
    """Per request: the G*k ids as a Python list (group-major), and per group the k ids."""
    flat = [rng.integers(1, POOL_BLOCKS, size=G * k, dtype=np.int32) for _ in range(R)]
    return [a.tolist() for a in flat], [[a[g * k:(g + 1) * k].tolist() for g in range(G)] for a in flat]


# ---------------------------------------------------------------- (a), (b) -----------------

def table_series(mods, torch, rng):
    cpu = torch.device("cpu")
    ragged = {G: mods.fork_block_table.MultiGroupBlockTable(
        max_num_reqs=MAX_NUM_REQS, max_model_len=MAX_MODEL_LEN,
        max_num_batched_tokens=MAX_BATCHED_TOKENS, pin_memory=False, device=cpu,
        block_sizes=[BLOCK_SIZE], kernel_block_sizes=[BLOCK_SIZE],
        num_head_groups=G, num_head_groups_per_layer=GROUPS_PER_LAYER[G]) for G in GROUPS}
    naive = {G: mods.upstream_block_table.MultiGroupBlockTable(
        max_num_reqs=MAX_NUM_REQS, max_model_len=MAX_MODEL_LEN,
        max_num_batched_tokens=MAX_BATCHED_TOKENS, pin_memory=False, device=cpu,
        block_sizes=[BLOCK_SIZE] * G, kernel_block_sizes=[BLOCK_SIZE] * G) for G in GROUPS}
    for G in GROUPS:
        assert ragged[G].ragged and type(ragged[G].block_tables[0]).__name__ == "RaggedBlockTable"
        assert len(naive[G].block_tables) == G
    series = []
    for R, G, k in step_sizes():
        flat, per_group = new_ids(rng, R, G, k)
        depth = DECODE_DEPTH if k == 1 else 0
        mg = ragged[G]
        counts = mg.block_tables[0].num_blocks_per_row
        step_ids = [(ids,) for ids in flat]

        def ragged_call(mg=mg, counts=counts, step_ids=step_ids, R=R, depth=depth, G=G, k=k):
            counts[:R, :] = depth
            t = time.perf_counter()
            for req_index in range(R):
                mg.append_row(step_ids[req_index], req_index)
            dt = time.perf_counter() - t
            assert counts[R - 1, G - 1] == depth + k
            return dt
        series.append(Series(label("ragged_multigroup_append_row", R, G, k, depth), ragged_call))

        tables = naive[G].block_tables
        upstream_mg = naive[G]
        group_ids = [tuple(g) for g in per_group]

        def reset(tables=tables, R=R, depth=depth):
            for bt in tables:
                bt.num_blocks_per_row[:R] = depth

        def naive_loop(tables=tables, per_group=per_group, R=R, G=G, reset=reset, depth=depth, k=k):
            reset()
            t = time.perf_counter()
            for req_index in range(R):
                ids = per_group[req_index]
                for g in range(G):
                    tables[g].append_row(ids[g], req_index)
            dt = time.perf_counter() - t
            assert tables[G - 1].num_blocks_per_row[R - 1] == depth + k
            return dt
        series.append(Series(label("naive_upstream_append_row_per_group", R, G, k, depth), naive_loop))

        def naive_mg(upstream_mg=upstream_mg, group_ids=group_ids, R=R, reset=reset, tables=tables,
                     G=G, depth=depth, k=k):
            reset()
            t = time.perf_counter()
            for req_index in range(R):
                upstream_mg.append_row(group_ids[req_index], req_index)
            dt = time.perf_counter() - t
            assert tables[G - 1].num_blocks_per_row[R - 1] == depth + k
            return dt
        series.append(Series(label("naive_upstream_multigroup_append_row", R, G, k, depth), naive_mg))
    return series


# ---------------------------------------------------------------- (c) ----------------------

def scheduler_series(mods, rng):
    series = []
    spec = mods.spec["RaggedAttentionSpec"](BLOCK_SIZE)
    for G in GROUPS:
        pool = mods.block_pool.BlockPool(POOL_BLOCKS, False, False, ragged=True, num_head_groups=G)
        manager = mods.manager.get_manager_for_kv_cache_spec(spec, block_pool=pool, kv_cache_group_id=0)
        assert manager.ragged and manager.num_head_groups_total == G
        # The request's held pages stay taken from the pool for the whole run (its state).
        held_by_depth = {D: pool.get_new_block_ids(G * D) for D in HELD_DEPTHS}
        for k in ALLOC_PAGES:
            def pool_call(pool=pool, n=G * k):
                t = time.perf_counter()
                ids = pool.get_new_block_ids(n)
                dt = time.perf_counter() - t
                pool.free_block_ids_array(ids)
                return dt
            series.append(Series(label("pool_get_new_block_ids", 1, G, k), pool_call))

            arr = rng.integers(1, POOL_BLOCKS, size=G * k, dtype=np.int32)
            blocks = mods.KVCacheBlocks(blocks=((),), block_ids_array=(arr,))

            def to_list(blocks=blocks, n=G * k):
                t = time.perf_counter()
                out = blocks.get_block_ids()
                dt = time.perf_counter() - t
                assert len(out[0]) == n
                return dt
            series.append(Series(label("kvcacheblocks_get_block_ids", 1, G, k), to_list))
            for D, held in held_by_depth.items():
                def alloc(pool=pool, manager=manager, held=held, D=D, k=k, G=G):
                    manager.req_to_block_ids["r"] = held
                    t = time.perf_counter()
                    out = manager.allocate_new_blocks("r", (D + k) * BLOCK_SIZE)
                    dt = time.perf_counter() - t
                    assert out.size == G * k and manager.req_to_block_ids["r"].size == G * (D + k)
                    pool.free_block_ids_array(out)
                    return dt
                series.append(Series(label("manager_allocate_new_blocks", 1, G, k, D), alloc))
    return series


# ---------------------------------------------------------------- main ----------------------

def main():
    opts = bench_common.fork_arguments(__doc__)
    torch = bench_common.import_torch()
    logging.basicConfig(level=logging.WARNING)
    mods = import_all(opts.fork)
    header = [f"Kernels/block_table_bench.py --fork {opts.fork} {opts.out}",
              bench_common.host_line(np, torch),
              f"rounds {ROUNDS}, warm-up {WARMUP}, ~{TARGET_ROUND_S * 1e3:.0f} ms per size per round; "
              f"one call = one step (all R requests) for the append_row rows, one request for the "
              f"pool/manager/get_block_ids rows; entries = requests x groups x pages_per_group",
              f"tables: max_num_reqs {MAX_NUM_REQS}, max_model_len {MAX_MODEL_LEN} "
              f"({MAX_MODEL_LEN // BLOCK_SIZE} slots per row), block size {BLOCK_SIZE}, CPU buffers; "
              f"decode rows hold {DECODE_DEPTH} pages per group before the step, prefill rows 0; "
              f"groups per layer " + ", ".join(f"G={g}: {g // p}x{p}" for g, p in GROUPS_PER_LAYER.items()),
              f"scheduler side: ragged BlockPool of {POOL_BLOCKS} pages; held_per_group = pages "
              f"per group the request holds before allocate_new_blocks",
              "ragged = the fork's MultiGroupBlockTable/RaggedBlockTable (one call per request); "
              "naive = upstream vLLM 0.11.1 BlockTable.append_row once per (request, group)"]
    commits = os.path.join(opts.fork, "FORK_COMMITS")
    if os.path.exists(commits):
        with open(commits) as f:
            header += [line.strip().lstrip("# ") for line in f if line.strip()]
    rng = np.random.default_rng(20260702)
    rows = []
    sections = [("(a)+(b) block-table append per step", lambda: table_series(mods, torch, rng)),
                ("(c) scheduler-side allocation per request", lambda: scheduler_series(mods, rng))]
    timed_sections = [(title, lambda make=make: run_series(make())) for title, make in sections]
    bench_common.run_sections(timed_sections, header, opts.out, FIELDS, rows)

if __name__ == "__main__":
    main()
