// Shared helpers of libtangram_kernels.so: error reporting, device buffers, random inputs,
// CUDA-event timing with rotation, NVML clocks. SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cuda_runtime.h>
#include <cuda_bf16.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "../Sources/CTangramKernelABI/include/tangram_kernel_abi.h"

namespace tk {

/// Records a formatted message for tk_last_error() and returns `status`.
int32_t fail(int32_t status, const char *format, ...);

/// Maps a CUDA error to a status code (allocation failures are TK_ERR_OUT_OF_MEMORY).
inline int32_t status_of(cudaError_t e) {
    return e == cudaErrorMemoryAllocation ? TK_ERR_OUT_OF_MEMORY : TK_ERR_CUDA;
}

#define TK_CUDA(call)                                                                            \
    do {                                                                                         \
        cudaError_t tk_e_ = (call);                                                              \
        if (tk_e_ != cudaSuccess) {                                                              \
            return ::tk::fail(::tk::status_of(tk_e_), "%s failed: %s (%s:%d)", #call,            \
                              cudaGetErrorString(tk_e_), __FILE__, __LINE__);                    \
        }                                                                                        \
    } while (0)

/// After a launch: the launch error, if any.
#define TK_LAUNCHED(what)                                                                        \
    do {                                                                                         \
        cudaError_t tk_e_ = cudaGetLastError();                                                  \
        if (tk_e_ != cudaSuccess) {                                                              \
            return ::tk::fail(TK_ERR_CUDA, "launch of %s failed: %s (%s:%d)", what,               \
                              cudaGetErrorString(tk_e_), __FILE__, __LINE__);                    \
        }                                                                                        \
    } while (0)

#define TK_TRY(expr)                                                                             \
    do {                                                                                         \
        int32_t tk_s_ = (expr);                                                                  \
        if (tk_s_ != TK_OK) return tk_s_;                                                        \
    } while (0)

#define TK_REQUIRE(cond, ...)                                                                    \
    do {                                                                                         \
        if (!(cond)) return ::tk::fail(TK_ERR_INVALID, __VA_ARGS__);                             \
    } while (0)

/// A device allocation freed when it goes out of scope.
struct DeviceBuffer {
    void *ptr = nullptr;
    size_t bytes = 0;
    DeviceBuffer() = default;
    DeviceBuffer(const DeviceBuffer &) = delete;
    DeviceBuffer &operator=(const DeviceBuffer &) = delete;
    ~DeviceBuffer() {
        if (ptr) cudaFree(ptr);
    }
    int32_t allocate(size_t n, const char *what) {
        if (ptr) {
            cudaFree(ptr);
            ptr = nullptr;
        }
        bytes = n;
        if (n == 0) return TK_OK;
        cudaError_t e = cudaMalloc(&ptr, n);
        if (e != cudaSuccess) {
            ptr = nullptr;
            return fail(status_of(e), "cudaMalloc of %zu bytes for %s failed: %s", n, what,
                        cudaGetErrorString(e));
        }
        return TK_OK;
    }
    template <typename T> T *as() const { return static_cast<T *>(ptr); }
};

/// Pinned host memory freed when it goes out of scope.
struct PinnedBuffer {
    void *ptr = nullptr;
    PinnedBuffer() = default;
    PinnedBuffer(const PinnedBuffer &) = delete;
    PinnedBuffer &operator=(const PinnedBuffer &) = delete;
    ~PinnedBuffer() {
        if (ptr) cudaFreeHost(ptr);
    }
    int32_t allocate(size_t n, const char *what) {
        cudaError_t e = cudaMallocHost(&ptr, n == 0 ? 16 : n);
        if (e != cudaSuccess) {
            ptr = nullptr;
            return fail(status_of(e), "cudaMallocHost of %zu bytes for %s failed: %s", n, what,
                        cudaGetErrorString(e));
        }
        return TK_OK;
    }
    template <typename T> T *as() const { return static_cast<T *>(ptr); }
};

/// The library's one stream (created on first use).
int32_t stream(cudaStream_t *out);

/// Fills `count` bf16 values with uniform random numbers in [-scale, scale] from (seed, index).
int32_t fill_random_bf16(__nv_bfloat16 *dst, size_t count, uint64_t seed, float scale, cudaStream_t s);

/// Fills `count` bytes with 0xFF: NaN for bf16 and fp32 (the poison before a checked run).
int32_t poison(void *dst, size_t bytes, cudaStream_t s);

/// Counts non-finite bf16 values on the host.
uint64_t count_nonfinite(const std::vector<__nv_bfloat16> &v);

/// ||a - ref|| / ||ref|| (NaN if `a` holds a non-finite value).
double relative_error(const std::vector<float> &a, const std::vector<double> &ref);

/// Number of rotated input sets so that sets * bytes_per_set >= rotate_bytes (1..max_sets).
uint32_t rotations_for(uint64_t bytes_per_set, uint64_t rotate_bytes, uint32_t max_sets);

/// NVML current SM and memory clocks in MHz (0 when NVML is unavailable).
void current_clocks(int32_t *sm_mhz, int32_t *mem_mhz);

/// Times `launch(rep)` for options.warmup + options.repeats launches, each repeat between two CUDA
/// events on `s`; `before(rep)`, if given, runs on the host before each launch outside the events
/// (the decode planner) and its host time per call is reported as plan_s. Fills the time fields,
/// repeats and clocks of `out`.
int32_t time_launches(const tk_timing_options &options, cudaStream_t s,
                      const std::function<int32_t(uint32_t)> &launch,
                      const std::function<int32_t(uint32_t)> &before, tk_result *out);

/// Clears a result: times 0, check_rel_error -1.
void reset_result(tk_result *out);

/// Copies `count` elements from the device into a vector.
template <typename T> int32_t download(std::vector<T> &dst, const T *src, size_t count) {
    dst.resize(count);
    if (count == 0) return TK_OK;
    TK_CUDA(cudaMemcpy(dst.data(), src, count * sizeof(T), cudaMemcpyDeviceToHost));
    return TK_OK;
}

/// Copies a vector to the device.
template <typename T> int32_t upload(T *dst, const std::vector<T> &src) {
    if (src.empty()) return TK_OK;
    TK_CUDA(cudaMemcpy(dst, src.data(), src.size() * sizeof(T), cudaMemcpyHostToDevice));
    return TK_OK;
}

/// Number of multiprocessors of device 0 (cached).
int32_t sm_count(int *out);

inline uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// A small deterministic generator for host-side choices (page permutations).
struct SplitMix64 {
    uint64_t state;
    explicit SplitMix64(uint64_t seed) : state(seed) {}
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

/// A random permutation of 0..<n (Fisher-Yates).
std::vector<int32_t> permutation(size_t n, uint64_t seed);

}  // namespace tk
