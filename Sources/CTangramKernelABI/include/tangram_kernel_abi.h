/*
 * tangram-sim: the C ABI between the CUDA sources in Kernels/ (built by nvcc on a GPU machine into
 * libtangram_kernels.so) and Sources/CUDARunner (Swift, which loads it with dlopen).
 *
 * Rules (docs/gpu.md): only fixed-width integers, doubles, fixed char arrays and pointers cross
 * this boundary; no CUDA or C++ types. Every entry point returns an int32_t status (TK_OK or one of
 * the TK_ERR_* codes) and leaves a message for tk_last_error(). All allocation, random input
 * generation, launching and CUDA-event timing happens inside the library. Bump TK_ABI_VERSION on
 * any change to this file; the Swift loader refuses a library whose tk_abi_version() differs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TANGRAM_KERNEL_ABI_H
#define TANGRAM_KERNEL_ABI_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TK_ABI_VERSION 2u

#if !defined(__clang__)
#define _Nonnull  /* gcc/nvcc: no nullability; clang/Swift: imports as non-optional */
#define _Nullable
#endif

/* ---- status codes ---------------------------------------------------------------------------- */
#define TK_OK 0
/** A CUDA runtime call or a kernel launch failed (message names the call). */
#define TK_ERR_CUDA 1
/** The problem description is invalid or unsupported (message names the field). */
#define TK_ERR_INVALID 2
/** An optional library (cuBLAS, NVML) could not be loaded. */
#define TK_ERR_UNAVAILABLE 3
/** A device allocation failed (the problem does not fit). */
#define TK_ERR_OUT_OF_MEMORY 4

/* ---- split-KV modes of decode attention ------------------------------------------------------ */
/** FlashDecoding-style: the same split count for every (request, KV head). */
#define TK_SPLIT_UNIFORM 0u
/** A host planner balances tokens per CTA on every call (its time is reported as plan_s). */
#define TK_SPLIT_PLANNER 1u
/** An ahead-of-time table: splits per KV head proportional to its budget, computed once. */
#define TK_SPLIT_AHEAD_OF_TIME 2u

/**
 * tk_decode_planner times the host planner alone: each timed sample is this many back-to-back
 * planner calls (plan + one upload enqueued), and the sample's time is divided by it.
 */
#define TK_PLANNER_CALLS_PER_SAMPLE 16u

/* ---- device description ---------------------------------------------------------------------- */
/** What tk_device_info() reports about device 0. Clocks come from NVML (0 when unavailable). */
typedef struct tk_device_info {
    char name[128];                 /* NUL-terminated, e.g. "NVIDIA H200" */
    int32_t sm_count;
    int32_t compute_major;
    int32_t compute_minor;
    int32_t driver_version;         /* cudaDriverGetVersion, e.g. 13000 */
    int32_t runtime_version;        /* cudaRuntimeGetVersion of the library's static cudart */
    int32_t sm_clock_mhz;           /* NVML current SM clock when read */
    int32_t mem_clock_mhz;          /* NVML current memory clock when read */
    int32_t max_sm_clock_mhz;       /* NVML maximum SM clock */
    int32_t max_mem_clock_mhz;      /* NVML maximum memory clock */
    int32_t reserved;
    uint64_t total_memory_bytes;
    uint64_t l2_bytes;
    char driver_string[64];         /* NVML system driver version, e.g. "580.159.04" ("" if none) */
} tk_device_info;

/* ---- timing options and results -------------------------------------------------------------- */
/** How to time one problem: warm-up launches, then `repeats` launches each between two CUDA events. */
typedef struct tk_timing_options {
    uint32_t warmup;
    uint32_t repeats;
    /** Input sets are rotated so that their total size is at least this many bytes (beyond L2). */
    uint64_t rotate_bytes;
    /** Seed of the on-device random inputs (fresh values for every check). */
    uint64_t seed;
    /** 1: compare against a reference and fill check_rel_error / nonfinite_outputs; 0: skip. */
    uint32_t check;
    /** 1: time the launches (median_s, p90_s, ...); 0: skip timing (check only). */
    uint32_t time;
} tk_timing_options;

/** What one measurement produced. Times are seconds of device time between CUDA events. */
typedef struct tk_result {
    double median_s;
    double p90_s;
    double min_s;
    double mean_s;
    /** Host-side planning time per call (median; decode planner, compaction page tables), else 0. */
    double plan_s;
    /** ||out - ref|| / ||ref|| when checked (NaN if any output stayed poisoned), else -1. */
    double check_rel_error;
    /** Bytes the kernel must move through device memory at least (each input read once, each output written once). */
    uint64_t bytes;
    /** Floating-point operations (multiply-add counted as 2). */
    uint64_t flops;
    /** Tokens of KV read per call (decode/prefill), tokens copied (compaction), else 0. */
    uint64_t kv_tokens;
    /** Output elements that were not finite after a checked run. */
    uint64_t nonfinite_outputs;
    /** Thread blocks of the main kernel per call. */
    uint32_t ctas;
    /** Largest split count given to one (request, KV head). */
    uint32_t max_splits;
    uint32_t repeats;
    /** Number of rotated input sets. */
    uint32_t rotations;
    int32_t sm_clock_mhz;   /* NVML clocks read right after the timed launches (0 if unavailable) */
    int32_t mem_clock_mhz;
} tk_result;

/* ---- problems -------------------------------------------------------------------------------- */
/** One device-to-device copy of `bytes` bytes (cudaMemcpyAsync); moved bytes = 2 * bytes. */
typedef struct tk_copy_problem {
    uint64_t bytes;
} tk_copy_problem;

/**
 * Paged decode attention (one query token per request), bf16, grouped-query.
 * KV heads are cut into groups of `heads_per_page` (H_p) consecutive heads; a page holds
 * `page_tokens` tokens x H_p heads x head_dim for K and the same for V. Each (request, group) has its
 * own page table and length (the `lengths` array, batch x (kv_heads / heads_per_page) entries).
 * heads_per_page == kv_heads is the monolithic layout (one page table per request).
 */
typedef struct tk_decode_problem {
    uint32_t batch;
    uint32_t q_heads;
    uint32_t kv_heads;
    uint32_t head_dim;          /* 64, 128 or 256 */
    uint32_t heads_per_page;    /* H_p; divides kv_heads */
    uint32_t page_tokens;
    uint32_t split_mode;        /* TK_SPLIT_* */
    /** Uniform: splits per (request, KV head); planner/ahead-of-time: CTAs per call. 0 = heuristic. */
    uint32_t splits;
} tk_decode_problem;

/**
 * Causal chunked-prefill attention: each request's chunk of `chunk_tokens` queries attends to its
 * `history_tokens` paged history plus itself (causal). Monolithic pages; bf16; head_dim 64 or 128.
 */
typedef struct tk_prefill_problem {
    uint32_t batch;
    uint32_t q_heads;
    uint32_t kv_heads;
    uint32_t head_dim;
    uint32_t page_tokens;
    uint32_t chunk_tokens;
    uint64_t history_tokens;
} tk_prefill_problem;

/**
 * Page compaction (the reclaim path): every request has `context_tokens` tokens in monolithic pages;
 * for each (request, group of H_p heads) `kept` tokens per head (the `kept` array, batch x groups)
 * are gathered into fresh ragged pages. The host builds the new page tables (timed as plan_s).
 */
typedef struct tk_compaction_problem {
    uint32_t batch;
    uint32_t kv_heads;
    uint32_t head_dim;
    uint32_t page_tokens;
    uint32_t heads_per_page;
    uint32_t reserved;
    uint64_t context_tokens;
} tk_compaction_problem;

/** Y[m, n] = X[m, k] * W[n, k]^T in bf16 with fp32 accumulation, through cuBLAS (dlopen). */
typedef struct tk_gemm_problem {
    uint32_t m;
    uint32_t n;
    uint32_t k;
    uint32_t reserved;
} tk_gemm_problem;

/* Sizes fixed by the layouts above; Tests/CUDARunnerTests checks the same numbers from Swift. */
#ifdef __cplusplus
#define TK_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define TK_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
TK_STATIC_ASSERT(sizeof(tk_device_info) == 248, "tk_device_info layout");
TK_STATIC_ASSERT(sizeof(tk_timing_options) == 32, "tk_timing_options layout");
TK_STATIC_ASSERT(sizeof(tk_result) == 104, "tk_result layout");
TK_STATIC_ASSERT(sizeof(tk_copy_problem) == 8, "tk_copy_problem layout");
TK_STATIC_ASSERT(sizeof(tk_decode_problem) == 32, "tk_decode_problem layout");
TK_STATIC_ASSERT(sizeof(tk_prefill_problem) == 32, "tk_prefill_problem layout");
TK_STATIC_ASSERT(sizeof(tk_compaction_problem) == 32, "tk_compaction_problem layout");
TK_STATIC_ASSERT(sizeof(tk_gemm_problem) == 16, "tk_gemm_problem layout");

/* ---- entry points (names are the symbols; typedefs are for dlsym) ---------------------------- */
typedef uint32_t (* _Nonnull tk_abi_version_fn)(void);
typedef const char * _Nonnull (* _Nonnull tk_last_error_fn)(void);
typedef int32_t (* _Nonnull tk_device_info_fn)(tk_device_info * _Nonnull out);
typedef int32_t (* _Nonnull tk_copy_bandwidth_fn)(const tk_copy_problem * _Nonnull problem,
                                                   const tk_timing_options * _Nonnull options,
                                                   tk_result * _Nonnull out);
typedef int32_t (* _Nonnull tk_decode_attention_fn)(const tk_decode_problem * _Nonnull problem,
                                                     const uint32_t * _Nonnull lengths,
                                                     const tk_timing_options * _Nonnull options,
                                                     tk_result * _Nonnull out);
/**
 * The decode planner of TK_SPLIT_PLANNER on the host only (no kernel, no KV): `options.warmup`
 * untimed calls, then `options.repeats` samples of TK_PLANNER_CALLS_PER_SAMPLE back-to-back calls
 * timed with the host's steady clock on a thread pinned to one CPU. Fills median_s, p90_s, min_s,
 * mean_s and plan_s (= median_s) with host seconds per call, ctas (work items), max_splits,
 * kv_tokens and repeats; `problem->split_mode` is ignored, `problem->splits` is the CTA target
 * (0 = the decode kernel's two waves).
 */
typedef int32_t (* _Nonnull tk_decode_planner_fn)(const tk_decode_problem * _Nonnull problem,
                                                   const uint32_t * _Nonnull lengths,
                                                   const tk_timing_options * _Nonnull options,
                                                   tk_result * _Nonnull out);
typedef int32_t (* _Nonnull tk_prefill_attention_fn)(const tk_prefill_problem * _Nonnull problem,
                                                      const tk_timing_options * _Nonnull options,
                                                      tk_result * _Nonnull out);
typedef int32_t (* _Nonnull tk_compaction_fn)(const tk_compaction_problem * _Nonnull problem,
                                               const uint32_t * _Nonnull kept,
                                               const tk_timing_options * _Nonnull options,
                                               tk_result * _Nonnull out);
typedef int32_t (* _Nonnull tk_gemm_fn)(const tk_gemm_problem * _Nonnull problem,
                                         const tk_timing_options * _Nonnull options,
                                         tk_result * _Nonnull out);

/* Prototypes for the nvcc side only (Swift binds the symbols with dlsym instead). */
#if defined(__CUDACC__) || defined(TK_BUILDING_LIBRARY)
uint32_t tk_abi_version(void);
const char *tk_last_error(void);
int32_t tk_device_info_get(tk_device_info *out);
int32_t tk_copy_bandwidth(const tk_copy_problem *problem, const tk_timing_options *options, tk_result *out);
int32_t tk_decode_attention(const tk_decode_problem *problem, const uint32_t *lengths,
                            const tk_timing_options *options, tk_result *out);
int32_t tk_decode_planner(const tk_decode_problem *problem, const uint32_t *lengths,
                          const tk_timing_options *options, tk_result *out);
int32_t tk_prefill_attention(const tk_prefill_problem *problem, const tk_timing_options *options, tk_result *out);
int32_t tk_compaction(const tk_compaction_problem *problem, const uint32_t *kept,
                      const tk_timing_options *options, tk_result *out);
int32_t tk_gemm(const tk_gemm_problem *problem, const tk_timing_options *options, tk_result *out);
#endif

#ifdef __cplusplus
}
#endif
#endif /* TANGRAM_KERNEL_ABI_H */
