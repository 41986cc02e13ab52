#!/usr/bin/env python3
# Host time of the released Tangram code's compress-and-reclaim path (aiha-lab/tangram, the
# authors' vLLM 0.11.1 fork), measured by importing and calling the fork's own functions; it
# replaced the former per-page estimate (docs/cost-model.md, ReclaimHostCoefficients).
#
#   python3 Kernels/reclaim_host_bench.py --fork DIR OUT.csv
#
# DIR holds the needed fork files at their repository paths (DIR/vllm/...), the commit of each
# in DIR/FORK_COMMITS (copied into the CSV's comment block), and unmodified upstream vLLM 0.11.1
# modules under DIR/upstream-0.11.1/vllm/... . Needs numpy and torch (CPU torch is enough for
# (a) and (b)); (c) and the Triton write-back rows run only where torch sees a CUDA device.
#
# What is timed (time.perf_counter around the call of the fork's own function; everything
# before the call that only rebuilds the input state is outside the timed span):
#  (a) per request at a compression boundary, as CompressionModelRunnerMixin.
#      _run_compression_layer_loop calls them, for C = layers x groups clusters and row width
#      M = cdiv(max_model_len, 16):
#      - keep_lengths.kept_lengths_from_demand (ratio regime, the default), C only;
#      - executor.CompressionExecutor.run_request, C only: the EvictionPlan build, with the
#        write-back replaced by a no-op KeptKVWriteback subclass and commit_chunk by a no-op
#        (its two blocking H2D copies are what (c) measures); on CUDA with Triton also with the
#        fork's real TritonWriteback on real bf16 KV caches (host time of the call, and the call
#        plus torch.cuda.synchronize);
#      - CompressionModelRunnerMixin._expand_static_to_physical_lengths, C only;
#      - ragged_block_table.RaggedBlockTable.compact_after_compress_all_layers, C and M (the
#        row is put back with the fork's restore_row before every call, untimed).
#  (b) per step, for P pages freed and pool size N: CompressionModelRunnerMixin.
#      _postprocess_compress_updates (np.unique of the freed ids), SingleTypeKVCacheManager.
#      free_blocks_by_ids and BlockPool.free_by_block_ids (ragged), which is what
#      KVCacheCoordinator.free_blocks_by_ids runs; before every call the pages are taken with
#      the fork's BlockPool.get_new_block_ids and handed back afterwards with
#      SingleTypeKVCacheManager.free (untimed).
#  (c) with CUDA: one device sync (x.cpu() of 16 int64 right after a 16-element add_ kernel
#      on an otherwise idle GPU), the same .cpu() with the GPU idle, one blocking H2D copy
#      (gpu.copy_(cpu), 300 int64, pageable memory), torch.from_numpy(a).to("cuda") of 300
#      int64 (the fork's pattern), and the launch of one tiny kernel.
# Sizes are visited round by round (ROUNDS rounds, each size timed for about TARGET_ROUND_S
# per round, at least MIN_CALLS calls) after WARMUP calls each, so that a slow spell of the
# host hits every size alike; the CSV holds each size's median, nearest-rank p90 and minimum in
# microseconds. The garbage collector is frozen after set-up, as vLLM's engine core does after
# start-up (vllm/v1/engine/core.py, freeze_gc_heap).
#
# Stubs (sys.modules entries made before the fork's modules are imported). None of them is
# called on a timed path; they exist only so that the modules import without the rest of vLLM:
#  - packages vllm, vllm.utils, vllm.v1, vllm.v1.core, vllm.v1.worker, vllm.v1.attention,
#    vllm.v1.attention.backends, vllm.v1.attention.compression: empty package objects whose
#    __path__ points at DIR, so their __init__.py (which imports the whole engine) is not run;
#    the fork's vllm.v1.attention.compression package is given the names the mixin imports from
#    it (CompressionExecutor and CompressionMetadata are the fork's own, from executor.py).
#  - vllm.logger.init_logger -> logging.getLogger (logging only).
#  - vllm.distributed.get_dcp_group / get_pcp_group raise AssertionError, as upstream does when
#    the group is not initialised; BlockTable then takes its own fallback (world size 1, a
#    single-GPU run). vllm.distributed.parallel_state gives TP rank 0 / world size 1 (read
#    only by the mixin's _init_compression and _run_compression_layer_loop, not timed).
#  - vllm.distributed.kv_events: placeholder event classes (used only with KV-cache events on,
#    which ragged paging does not use).
#  - vllm.config, vllm.v1.request, vllm.v1.kv_cache_interface, compressor (KVCompressor,
#    ChunkParams), slot_scores, workspace, backends.layer_split: placeholder names used in
#    annotations and in untimed set-up; RaggedAttentionSpec is a placeholder class whose only
#    use is the manager's isinstance test that switches it to its ragged (timed) path.
#  - vllm.v1.utils: a module holding upstream 0.11.1's CpuGpuBuffer class, compiled from
#    DIR/upstream-0.11.1/vllm/v1/utils.py (the rest of that module is not loaded);
#    vllm.v1.core.kv_cache_utils: upstream's KVCacheBlock, FreeKVCacheBlockQueue, BlockHash
#    helpers, compiled the same way (BlockPool builds its KVCacheBlock list once, untimed;
#    the ragged free path never touches the objects).
#  - vllm.triton_utils is upstream 0.11.1's own module (real Triton when installed and
#    usable, else its placeholder).
# Stand-ins passed as arguments (not stubs of fork code): the compressor given to run_request
# holds the per-request caches prepare_keep_decision would have left (req_state),
# follows_kept_positions() -> False (ratio regime: no per-slot score store) and a no-op
# commit_chunk; the runner object given to the mixin methods holds the attributes they read.
# SPDX-License-Identifier: GPL-3.0-or-later
import ast
import importlib
import logging
import os
import sys
import time
import types
from dataclasses import dataclass
from typing import Any, Callable, NewType, TypeAlias
from collections.abc import Iterable, Sequence

import numpy as np

import bench_common

ROUNDS = 8
WARMUP = 5
TARGET_ROUND_S = 0.02
MIN_CALLS = 3
MAX_CALLS = 200

BLOCK_SIZE = 16            # vLLM's CUDA block size
CHUNK_LEN = 2048           # vllm/config/cache.py compression_chunk_size default
SINK = 4                   # default sink tokens
TAIL = 32                  # default window (the always-kept tail under the ratio regime)
FLOOR_MIN = 512            # vllm/config/cache.py floor_min default
KEEP_RATIO = 0.5
PREV_KEPT = 4096           # kept length per cluster left by earlier boundaries (+- 512, ragged)
NUM_KV_HEADS = 8
HEAD_SIZE = 128
KV_POOL_BLOCKS = 1024      # per-layer KV pages of the Triton write-back test caches

# (layers, head groups per layer): C = 32, 64, 72 (Qwen3-4B pg 4), 128, 192, 288 (Qwen3-4B pg 1)
CLUSTER_SHAPES = [(32, 1), (32, 2), (36, 2), (32, 4), (48, 4), (36, 8)]
MAX_MODEL_LENS = [32768, 131072, 200000]
PAGES = [1024, 4096, 16384, 65536]
POOLS = [262144, 1048576, 4194304]
FREE_GROUPS = 72           # num_head_groups of the pool/manager in (b) (Qwen3-4B pg 4)

FIELDS = ["component", "clusters", "row_blocks", "pages", "pool_blocks", "calls",
          "median_us", "p90_us", "min_us"]


# ---------------------------------------------------------------- fork import ---------------

_package = bench_common.stub_package
_module = bench_common.stub_module


def _placeholder(name):
    return type(name, (), {"__doc__": "import-only placeholder (see the header)"})


def _upstream_defs(path, names, namespace):
    """Compile the top-level definitions `names` of an upstream file into `namespace`."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)

    def defined(node):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            return node.name
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            return node.target.id
        return None

    body = [n for n in tree.body if defined(n) in names]
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), namespace)
    missing = set(names) - namespace.keys()
    if missing:
        raise ImportError(f"{path}: no top-level {sorted(missing)}")
    return namespace


def _raise_not_initialised():
    raise AssertionError("group is not initialized (single-GPU benchmark)")


def import_fork(fork):
    fork = os.path.abspath(fork)
    upstream = os.path.join(fork, "upstream-0.11.1")
    import torch

    def paths(rel):
        return [os.path.join(fork, rel), os.path.join(upstream, rel)]

    for name in ["vllm", "vllm.utils", "vllm.v1", "vllm.v1.core", "vllm.v1.worker",
                 "vllm.v1.attention", "vllm.v1.attention.backends",
                 "vllm.v1.attention.compression"]:
        _package(name, paths(name.replace(".", "/")))
    _module("vllm.logger", init_logger=logging.getLogger)
    _module("vllm.envs", VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES=False)
    _package("vllm.distributed", [])
    sys.modules["vllm.distributed"].get_dcp_group = _raise_not_initialised
    sys.modules["vllm.distributed"].get_pcp_group = _raise_not_initialised
    _module("vllm.distributed.kv_events", MEDIUM_GPU="GPU",
            **{n: _placeholder(n) for n in ["AllBlocksCleared", "BlockRemoved", "BlockStored",
                                             "KVCacheEvent"]})
    _module("vllm.distributed.parallel_state",
            get_tensor_model_parallel_rank=lambda: 0,
            get_tensor_model_parallel_world_size=lambda: 1,
            get_tp_group=lambda: None)
    _module("vllm.config", get_layers_from_vllm_config=None)
    _module("vllm.v1.request", Request=_placeholder("Request"))

    class KVCacheSpec:
        def __init__(self, block_size):
            self.block_size = block_size

    class FullAttentionSpec(KVCacheSpec):
        pass

    spec_classes = {"KVCacheSpec": KVCacheSpec, "FullAttentionSpec": FullAttentionSpec}
    for n in ["RaggedAttentionSpec", "MLAAttentionSpec"]:
        spec_classes[n] = type(n, (FullAttentionSpec,), {})
    for n in ["ChunkedLocalAttentionSpec", "CrossAttentionSpec", "MambaSpec", "SlidingWindowSpec"]:
        spec_classes[n] = type(n, (KVCacheSpec,), {})
    _module("vllm.v1.kv_cache_interface", **spec_classes)

    # The upstream definitions are compiled into the stub module's own namespace, so that
    # their __module__ names a module that exists (dataclasses looks it up).
    utils = _module("vllm.v1.utils", torch=torch, np=np)
    _upstream_defs(os.path.join(upstream, "vllm/v1/utils.py"), {"CpuGpuBuffer"}, utils.__dict__)
    kv_names = {"BlockHash", "BlockHashWithGroupId", "ExternalBlockHash",
                "make_block_hash_with_group_id", "get_block_hash", "maybe_convert_block_hash",
                "KVCacheBlock", "FreeKVCacheBlockQueue"}
    kvu = _module("vllm.v1.core.kv_cache_utils", dataclass=dataclass, NewType=NewType,
                  TypeAlias=TypeAlias, Any=Any, Callable=Callable, Iterable=Iterable,
                  Sequence=Sequence, envs=sys.modules["vllm.envs"])
    _upstream_defs(os.path.join(upstream, "vllm/v1/core/kv_cache_utils.py"), kv_names, kvu.__dict__)
    _module("vllm.v1.attention.compression.compressor",
            KVCompressor=_placeholder("KVCompressor"), ChunkParams=_placeholder("ChunkParams"))
    _module("vllm.v1.attention.compression.slot_scores", KVCacheView=_placeholder("KVCacheView"))
    _module("vllm.v1.attention.compression.workspace",
            CompressionWorkspace=_placeholder("CompressionWorkspace"),
            WorkspaceSpec=_placeholder("WorkspaceSpec"))
    _module("vllm.v1.attention.backends.layer_split", split_attention_layers=None)

    mods = types.SimpleNamespace()
    mods.keep_lengths = importlib.import_module("vllm.v1.attention.compression.keep_lengths")
    mods.writeback = importlib.import_module("vllm.v1.attention.compression.eviction_writeback")
    mods.executor = importlib.import_module("vllm.v1.attention.compression.executor")
    comp = sys.modules["vllm.v1.attention.compression"]
    comp.CompressionExecutor = mods.executor.CompressionExecutor
    comp.CompressionMetadata = mods.executor.CompressionMetadata
    comp.KVCompressor = sys.modules["vllm.v1.attention.compression.compressor"].KVCompressor
    comp.ChunkParams = sys.modules["vllm.v1.attention.compression.compressor"].ChunkParams
    mods.mixin = importlib.import_module("vllm.v1.worker.compression_model_runner_mixin")
    mods.ragged = importlib.import_module("vllm.v1.worker.ragged_block_table")
    mods.block_pool = importlib.import_module("vllm.v1.core.block_pool")
    mods.manager = importlib.import_module("vllm.v1.core.single_type_kv_cache_manager")
    mods.triton_utils = importlib.import_module("vllm.triton_utils")
    mods.spec = spec_classes
    for name in ["keep_lengths", "writeback", "executor", "mixin", "ragged", "block_pool", "manager"]:
        path = getattr(mods, name).__file__
        assert os.path.abspath(path).startswith(fork + os.sep) and "upstream-0.11.1" not in path, path
    return mods


# ---------------------------------------------------------------- timing --------------------

Series = bench_common.Series


def run_series(series):
    return bench_common.run_series(
        series, rounds=ROUNDS, warmup=WARMUP, target_round_s=TARGET_ROUND_S, min_calls=MIN_CALLS,
        max_calls=MAX_CALLS,
        describe=lambda lab: f"{lab['component']:42s} C={lab['clusters']:4d} M={lab['row_blocks']:6d} "
                             f"P={lab['pages']:6d} N={lab['pool_blocks']:8d}")


def label(component, clusters=0, row_blocks=0, pages=0, pool_blocks=0):
    return dict(component=component, clusters=clusters, row_blocks=row_blocks, pages=pages,
                pool_blocks=pool_blocks)


def timed(fn):
    def call():
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t,)
    return call


# ---------------------------------------------------------------- (a) boundary --------------

class CompressorStandIn:
    """The compressor state run_request reads (see the header)."""

    def __init__(self, req_state, sorted_index):
        self.req_state = req_state
        self.workspace = types.SimpleNamespace(sorted_index=sorted_index)

    def follows_kept_positions(self, req_id):
        return False

    def compact_cluster_stats(self, *args):
        raise AssertionError("not reached under the ratio regime")

    def commit_chunk(self, req_id, new_locked, kept_lengths):
        pass


def boundary_state(mods, layers, groups, rng):
    """The per-request arrays prepare_keep_decision leaves for one boundary (ratio regime)."""
    shape = (layers, groups)
    prev = PREV_KEPT + BLOCK_SIZE * rng.integers(-32, 33, size=shape)
    locked = (prev - SINK).astype(np.int64)
    eval_len = CHUNK_LEN - TAIL
    real_eval = np.full(shape, eval_len, dtype=np.int64)
    k_new = rng.integers(int(0.3 * eval_len), int(0.7 * eval_len), size=shape).astype(np.int64)
    decision = mods.keep_lengths.KeepDecision(sink_size=SINK, tail_size=TAIL,
                                              adjusted_ratio=KEEP_RATIO, eval_len=eval_len)
    args = dict(decision=decision, total_seen=(prev + CHUNK_LEN).astype(np.int64),
                locked_counts=locked, k_new_counts=k_new, real_eval_lens=real_eval,
                block_size=BLOCK_SIZE, floor_min=FLOOR_MIN, pooled_span=None,
                per_group_capacity=0)
    kept = mods.keep_lengths.kept_lengths_from_demand(**args)
    req = types.SimpleNamespace(cross_layer_decision=decision, real_eval_len_cpu=real_eval,
                                cached_kept_lengths_cpu=kept, locked_count_cpu=locked,
                                borrowed_sorted_indices=None)
    return dict(prev=prev.astype(np.int64), kept=kept, kl_args=args, req=req,
                eval_len=eval_len)


def boundary_series(mods, torch, rng):
    K = mods.writeback

    class Noop(K.KeptKVWriteback):
        def run(self, plan, layer_kv_caches, block_table_gpu, sorted_idx, report):
            return None

    series = []
    states = {}
    for layers, groups in CLUSTER_SHAPES:
        C = layers * groups
        pg = NUM_KV_HEADS // groups
        st = boundary_state(mods, layers, groups, rng)
        states[C] = (layers, groups, pg, st)
        series.append(Series([label("kept_lengths_from_demand", C)],
                             timed(lambda a=st["kl_args"]: mods.keep_lengths.kept_lengths_from_demand(**a))))
        executor = mods.executor.CompressionExecutor(
            num_layers=layers, num_kv_heads_per_layer=NUM_KV_HEADS, page_group_size=pg,
            head_size=HEAD_SIZE, block_size=BLOCK_SIZE, writeback=Noop())
        bt = mods.ragged.RaggedBlockTable(
            block_size=BLOCK_SIZE, max_num_reqs=2, max_num_blocks_per_req=cdiv(MAX_MODEL_LENS[0], BLOCK_SIZE),
            max_num_batched_tokens=CHUNK_LEN, pin_memory=False, device=torch.device("cpu"),
            kernel_block_size=BLOCK_SIZE, cp_kv_cache_interleave_size=1, num_head_groups=C,
            num_head_groups_per_layer=groups)
        compressor = CompressorStandIn({"r": st["req"]}, torch.zeros((C, pg, CHUNK_LEN), dtype=torch.int64))
        md = mods.executor.CompressionMetadata(req_id="r", row_idx=1, chunk_len=CHUNK_LEN, floor_min=FLOOR_MIN)
        kv = [None] * layers

        def plan_call(executor=executor, bt=bt, st=st, compressor=compressor, md=md, kv=kv):
            executor.run_request(layer_kv_caches=kv, block_table=bt, prev_seq_lens_static_cpu=st["prev"],
                                 compressor=compressor, compression_metadata=md)
        series.append(Series([label("executor_run_request_plan", C)], timed(plan_call)))
        runner = types.SimpleNamespace()
        eff_phys = st["prev"].copy()
        static_ids = np.arange(layers, dtype=np.int64)
        expand = mods.mixin.CompressionModelRunnerMixin._expand_static_to_physical_lengths
        series.append(Series([label("expand_static_to_physical_lengths", C)],
                             timed(lambda r=runner, e=eff_phys, k=st["kept"], s=static_ids: expand(r, e, CHUNK_LEN, k, s))))
        st["new_blocks"] = ((expand(runner, eff_phys, CHUNK_LEN, st["kept"], static_ids) + BLOCK_SIZE - 1)
                            // BLOCK_SIZE).astype(np.int32)
    for max_len in MAX_MODEL_LENS:
        M = cdiv(max_len, BLOCK_SIZE)
        for C, (layers, groups, pg, st) in states.items():
            bt = mods.ragged.RaggedBlockTable(
                block_size=BLOCK_SIZE, max_num_reqs=2, max_num_blocks_per_req=M,
                max_num_batched_tokens=CHUNK_LEN, pin_memory=False, device=torch.device("cpu"),
                kernel_block_size=BLOCK_SIZE, cp_kv_cache_interleave_size=1, num_head_groups=C,
                num_head_groups_per_layer=groups)
            old = ((st["prev"] + CHUNK_LEN + BLOCK_SIZE - 1) // BLOCK_SIZE).reshape(-1).astype(np.int32)
            assert old.max() <= M
            ids = rng.integers(1, KV_POOL_BLOCKS, size=(C, M), dtype=np.int32)
            ids[np.arange(M)[None, :] >= old[:, None]] = 0
            snapshot = (ids, old)
            freed = int((old - st["new_blocks"].reshape(-1)).sum())

            def compact(bt=bt, snapshot=snapshot, groups=groups, new=st["new_blocks"], freed=freed):
                bt.restore_row(1, snapshot)
                t = time.perf_counter()
                out = bt.compact_after_compress_all_layers(
                    row_idx=1, num_head_groups_per_layer=groups, new_num_blocks_per_layer=new)
                dt = time.perf_counter() - t
                assert out.size == freed
                return (dt,)
            series.append(Series([label("compact_after_compress_all_layers", C, M, freed)], compact))
    return series, states


def cdiv(a, b):
    return -(a // -b)


# ---------------------------------------------------------------- (a) Triton write-back -----

def triton_series(mods, torch, states, rng):
    K = mods.writeback
    dev = torch.device("cuda")
    series = []
    for C, (layers, groups, pg, st) in states.items():
        width = CHUNK_LEN
        keep_mask = torch.zeros((C, pg, width), dtype=torch.uint8, device=dev)
        wb = K.TritonWriteback(BLOCK_SIZE, pg, HEAD_SIZE, keep_mask)
        sorted_idx = torch.zeros((C, pg, width), dtype=torch.int64, device=dev)
        sorted_idx[:, :, :st["eval_len"]] = torch.arange(st["eval_len"], device=dev).flip(0)
        kv = [torch.zeros((2, KV_POOL_BLOCKS, pg, BLOCK_SIZE, HEAD_SIZE), dtype=torch.bfloat16, device=dev)
              for _ in range(layers)]
        M = cdiv(MAX_MODEL_LENS[0], BLOCK_SIZE)
        bt = mods.ragged.RaggedBlockTable(
            block_size=BLOCK_SIZE, max_num_reqs=2, max_num_blocks_per_req=M,
            max_num_batched_tokens=CHUNK_LEN, pin_memory=False, device=dev,
            kernel_block_size=BLOCK_SIZE, cp_kv_cache_interleave_size=1, num_head_groups=C,
            num_head_groups_per_layer=groups)
        old = ((st["prev"] + CHUNK_LEN + BLOCK_SIZE - 1) // BLOCK_SIZE).reshape(-1).astype(np.int32)
        ids = rng.integers(1, KV_POOL_BLOCKS, size=(C, M), dtype=np.int32)
        ids[np.arange(M)[None, :] >= old[:, None]] = 0
        bt.restore_row(1, (ids, old))
        bt.commit_block_table(2)
        executor = mods.executor.CompressionExecutor(
            num_layers=layers, num_kv_heads_per_layer=NUM_KV_HEADS, page_group_size=pg,
            head_size=HEAD_SIZE, block_size=BLOCK_SIZE, writeback=wb)
        compressor = CompressorStandIn({"r": st["req"]}, sorted_idx)
        md = mods.executor.CompressionMetadata(req_id="r", row_idx=1, chunk_len=CHUNK_LEN, floor_min=FLOOR_MIN)
        torch.cuda.synchronize()
        t = time.perf_counter()
        wb.warmup(kv[0])
        executor.run_request(layer_kv_caches=kv, block_table=bt, prev_seq_lens_static_cpu=st["prev"],
                             compressor=compressor, compression_metadata=md)
        torch.cuda.synchronize()
        print(f"triton write-back C={C} pg={pg}: first calls (JIT) {time.perf_counter() - t:.2f} s", flush=True)

        def call(executor=executor, kv=kv, bt=bt, st=st, compressor=compressor, md=md):
            torch.cuda.synchronize()  # the GPU is idle after prepare_keep_decision's .cpu() syncs
            t0 = time.perf_counter()
            executor.run_request(layer_kv_caches=kv, block_table=bt, prev_seq_lens_static_cpu=st["prev"],
                                 compressor=compressor, compression_metadata=md)
            t1 = time.perf_counter()
            torch.cuda.synchronize()
            t2 = time.perf_counter()
            return (t1 - t0, t2 - t0)
        series.append(Series([label("executor_run_request_triton_host", C),
                              label("executor_run_request_triton_with_device", C)], call))
    return series


# ---------------------------------------------------------------- (b) per-step free ---------

def free_series(mods, rng):
    series = []
    input_batch = types.SimpleNamespace(req_id_to_index={"r": 1},
                                        effective_seq_lens_cpu=np.zeros((2, FREE_GROUPS), dtype=np.int32))
    post = mods.mixin.CompressionModelRunnerMixin._postprocess_compress_updates
    for P in PAGES:
        runner = types.SimpleNamespace(pending_eff_seq_lens={}, pending_freed_blocks=[],
                                       pending_sliding_freed_blocks=[], input_batch=input_batch,
                                       last_sliding_freed_block_ids=None)
        freed = (rng.permutation(max(POOLS))[:P] + 1).astype(np.int32)  # compaction order: unsorted
        eff = np.full(FREE_GROUPS, PREV_KEPT, dtype=np.int32)

        def call(runner=runner, freed=freed, eff=eff, P=P):
            runner.pending_eff_seq_lens["r"] = eff
            runner.pending_freed_blocks.append(freed)
            t = time.perf_counter()
            _, out = post(runner)
            dt = time.perf_counter() - t
            assert out.size == P
            return (dt,)
        series.append(Series([label("postprocess_compress_updates", pages=P)], call))
    for N in POOLS:
        pool = mods.block_pool.BlockPool(N, False, False, ragged=True, num_head_groups=FREE_GROUPS)
        manager = mods.manager.get_manager_for_kv_cache_spec(
            mods.spec["RaggedAttentionSpec"](BLOCK_SIZE), block_pool=pool, kv_cache_group_id=0)
        assert manager.ragged
        candidates = {"r"}
        for P in PAGES:
            def call(pool=pool, manager=manager, P=P, N=N):
                held = pool.get_new_block_ids(2 * P)
                manager.req_to_block_ids["r"] = held
                freed = np.unique(held[rng.permutation(2 * P)[:P]])
                t0 = time.perf_counter()
                manager.free_blocks_by_ids(freed, candidates)
                t1 = time.perf_counter()
                pool.free_by_block_ids(freed)
                t2 = time.perf_counter()
                assert manager.req_to_block_ids["r"].size == P
                manager.free("r")
                assert pool.num_free_blocks == N - 1
                return (t1 - t0, t2 - t1)
            series.append(Series([label("manager_free_blocks_by_ids", pages=P, pool_blocks=N),
                                  label("pool_free_by_block_ids", pages=P, pool_blocks=N)], call))
    return series


# ---------------------------------------------------------------- (c) CUDA ------------------

def cuda_series(torch):
    dev = torch.device("cuda")
    x = torch.zeros(16, dtype=torch.int64, device=dev)
    host = torch.arange(300, dtype=torch.int64)
    gpu = torch.empty(300, dtype=torch.int64, device=dev)
    arr = np.arange(300, dtype=np.int64)
    sync = torch.cuda.synchronize

    def after_kernel():
        sync()
        x.add_(1)
        t = time.perf_counter()
        x.cpu()
        return (time.perf_counter() - t,)

    def idle_cpu():
        sync()
        t = time.perf_counter()
        x.cpu()
        return (time.perf_counter() - t,)

    def h2d():
        sync()
        t = time.perf_counter()
        gpu.copy_(host)
        return (time.perf_counter() - t,)

    def from_numpy():
        sync()
        t = time.perf_counter()
        torch.from_numpy(arr).to(dev)
        return (time.perf_counter() - t,)

    def launch():
        sync()
        t = time.perf_counter()
        x.add_(1)
        return (time.perf_counter() - t,)

    return [Series([label("cuda_sync_cpu_after_tiny_kernel")], after_kernel),
            Series([label("cuda_cpu_16_int64_gpu_idle")], idle_cpu),
            Series([label("cuda_h2d_copy_300_int64_pageable")], h2d),
            Series([label("cuda_from_numpy_to_device_300_int64")], from_numpy),
            Series([label("cuda_tiny_kernel_launch")], launch)]


# ---------------------------------------------------------------- main ----------------------

def main():
    opts = bench_common.fork_arguments(__doc__)
    torch = bench_common.import_torch()
    logging.basicConfig(level=logging.WARNING)
    mods = import_fork(opts.fork)
    cuda = torch.cuda.is_available()
    header = [f"Kernels/reclaim_host_bench.py --fork {opts.fork} {opts.out}",
              bench_common.host_line(np, torch) + f"; "
              f"device {torch.cuda.get_device_name() if cuda else 'none (CPU only)'}; "
              f"triton {'yes' if mods.triton_utils.HAS_TRITON else 'no'}",
              f"rounds {ROUNDS}, warm-up {WARMUP}, ~{TARGET_ROUND_S * 1e3:.0f} ms per size per round; "
              f"clusters C = layers x groups: " + ", ".join(f"{l * g}={l}x{g} (pg {NUM_KV_HEADS // g})"
                                                           for l, g in CLUSTER_SHAPES),
              f"boundary: chunk {CHUNK_LEN}, sink {SINK}, tail {TAIL}, ratio regime {KEEP_RATIO}, "
              f"kept before {PREV_KEPT}+-512 per cluster; row_blocks M = cdiv(max_model_len, 16) for "
              + ", ".join(str(m) for m in MAX_MODEL_LENS) + "; pages = ids freed by that call",
              f"per-step free: one request holding 2P pages frees P (unique, sorted); "
              f"pool of pool_blocks pages, {FREE_GROUPS} head groups"]
    commits = os.path.join(opts.fork, "FORK_COMMITS")
    if os.path.exists(commits):
        with open(commits) as f:
            header += [line.strip().lstrip("# ") for line in f if line.strip()]
    rng = np.random.default_rng(20260701)
    rows = []
    sections = []
    if cuda:
        sections.append(("(c) CUDA sync and copies", lambda: cuda_series(torch)))
    boundary, states = boundary_series(mods, torch, rng)
    sections.append(("(a) per request-boundary host functions", lambda: boundary))
    sections.append(("(b) per-step free", lambda: free_series(mods, rng)))
    if cuda and mods.triton_utils.HAS_TRITON:
        sections.append(("(a) Triton write-back", lambda: triton_series(mods, torch, states, rng)))
    elif cuda:
        header.append("Triton write-back rows skipped: vllm.triton_utils found no usable Triton")
    timed_sections = [(title, lambda make=make: run_series(make())) for title, make in sections]
    bench_common.run_sections(timed_sections, header, opts.out, FIELDS, rows)

if __name__ == "__main__":
    main()
