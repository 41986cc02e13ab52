// libtangram_kernels.so: ABI version, errors, device description, timing helpers and the
// device-to-device copy bandwidth. SPDX-License-Identifier: GPL-3.0-or-later
#include "tk_common.cuh"

#include <dlfcn.h>

#include <chrono>
#include <mutex>

namespace tk {

namespace {
thread_local char last_error[2048] = "";
}  // namespace

int32_t fail(int32_t status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(last_error, sizeof last_error, format, args);
    va_end(args);
    return status;
}

int32_t stream(cudaStream_t *out) {
    static cudaStream_t s = nullptr;
    static std::mutex m;
    std::lock_guard<std::mutex> lock(m);
    if (!s) TK_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    *out = s;
    return TK_OK;
}

int32_t sm_count(int *out) {
    static int cached = 0;
    if (cached == 0) TK_CUDA(cudaDeviceGetAttribute(&cached, cudaDevAttrMultiProcessorCount, 0));
    *out = cached;
    return TK_OK;
}

__device__ __forceinline__ uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

__global__ void fill_random_kernel(__nv_bfloat16 *dst, size_t count, uint64_t seed, float scale) {
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        uint64_t r = mix64(seed * 0x9E3779B97F4A7C15ull + i + 1);
        float u = (float)(r >> 40) * (1.0f / 16777216.0f);  // [0, 1)
        dst[i] = __float2bfloat16((2.0f * u - 1.0f) * scale);
    }
}

int32_t fill_random_bf16(__nv_bfloat16 *dst, size_t count, uint64_t seed, float scale, cudaStream_t s) {
    if (count == 0) return TK_OK;
    int sms = 0;
    TK_TRY(sm_count(&sms));
    size_t blocks = std::min<size_t>(ceil_div(count, 256), (size_t)sms * 32);
    fill_random_kernel<<<(unsigned)blocks, 256, 0, s>>>(dst, count, seed, scale);
    TK_LAUNCHED("fill_random_kernel");
    return TK_OK;
}

int32_t poison(void *dst, size_t bytes, cudaStream_t s) {
    if (bytes == 0) return TK_OK;
    TK_CUDA(cudaMemsetAsync(dst, 0xFF, bytes, s));
    return TK_OK;
}

uint64_t count_nonfinite(const std::vector<__nv_bfloat16> &v) {
    uint64_t n = 0;
    for (auto x : v)
        if (!std::isfinite(__bfloat162float(x))) n++;
    return n;
}

double relative_error(const std::vector<float> &a, const std::vector<double> &ref) {
    double num = 0, den = 0;
    for (size_t i = 0; i < a.size(); i++) {
        if (!std::isfinite(a[i])) return std::nan("");
        double d = (double)a[i] - ref[i];
        num += d * d;
        den += ref[i] * ref[i];
    }
    if (den == 0) return num == 0 ? 0.0 : std::nan("");
    return std::sqrt(num / den);
}

uint32_t rotations_for(uint64_t bytes_per_set, uint64_t rotate_bytes, uint32_t max_sets) {
    if (bytes_per_set == 0) return 1;
    uint64_t n = ceil_div(rotate_bytes, bytes_per_set);
    return (uint32_t)std::max<uint64_t>(1, std::min<uint64_t>(n, max_sets));
}

std::vector<int32_t> permutation(size_t n, uint64_t seed) {
    std::vector<int32_t> p(n);
    for (size_t i = 0; i < n; i++) p[i] = (int32_t)i;
    SplitMix64 rng(seed);
    for (size_t i = n; i > 1; i--) std::swap(p[i - 1], p[rng.below(i)]);
    return p;
}

// ---- NVML (optional, dlopen'd; only unversioned-or-_v2 entry points that every driver exports) ----
namespace {
struct Nvml {
    typedef int (*init_fn)(void);
    typedef int (*handle_fn)(unsigned, void **);
    typedef int (*clock_fn)(void *, int, unsigned *);
    typedef int (*driver_fn)(char *, unsigned);
    bool ok = false;
    void *device = nullptr;
    clock_fn clock = nullptr, max_clock = nullptr;
    driver_fn driver = nullptr;
    Nvml() {
        void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!lib) return;
        auto init = (init_fn)dlsym(lib, "nvmlInit_v2");
        auto handle = (handle_fn)dlsym(lib, "nvmlDeviceGetHandleByIndex_v2");
        clock = (clock_fn)dlsym(lib, "nvmlDeviceGetClockInfo");
        max_clock = (clock_fn)dlsym(lib, "nvmlDeviceGetMaxClockInfo");
        driver = (driver_fn)dlsym(lib, "nvmlSystemGetDriverVersion");
        if (!init || !handle || !clock || !max_clock) return;
        if (init() != 0) return;
        if (handle(0, &device) != 0) return;
        ok = true;
    }
};
Nvml &nvml() {
    static Nvml n;
    return n;
}
constexpr int kNvmlClockSM = 1, kNvmlClockMem = 2;  // nvmlClockType_t
}  // namespace

void current_clocks(int32_t *sm_mhz, int32_t *mem_mhz) {
    *sm_mhz = 0;
    *mem_mhz = 0;
    Nvml &n = nvml();
    if (!n.ok) return;
    unsigned v = 0;
    if (n.clock(n.device, kNvmlClockSM, &v) == 0) *sm_mhz = (int32_t)v;
    if (n.clock(n.device, kNvmlClockMem, &v) == 0) *mem_mhz = (int32_t)v;
}

void reset_result(tk_result *out) {
    memset(out, 0, sizeof *out);
    out->check_rel_error = -1;
}

int32_t time_launches(const tk_timing_options &options, cudaStream_t s,
                      const std::function<int32_t(uint32_t)> &launch,
                      const std::function<int32_t(uint32_t)> &before, tk_result *out) {
    TK_REQUIRE(options.repeats >= 1, "repeats must be at least 1");
    // A host step (`before`) may rewrite staging memory that the previous launch still reads, so the
    // stream is drained first, outside the host timer.
    for (uint32_t w = 0; w < options.warmup; w++) {
        if (before) {
            TK_CUDA(cudaStreamSynchronize(s));
            TK_TRY(before(w));
        }
        TK_TRY(launch(w));
    }
    TK_CUDA(cudaStreamSynchronize(s));
    const uint32_t n = options.repeats;
    std::vector<cudaEvent_t> events(2 * n, nullptr);
    struct Guard {
        std::vector<cudaEvent_t> &e;
        ~Guard() {
            for (auto x : e)
                if (x) cudaEventDestroy(x);
        }
    } guard{events};
    for (auto &e : events) TK_CUDA(cudaEventCreate(&e));
    std::vector<double> plan(n, 0.0);
    for (uint32_t r = 0; r < n; r++) {
        if (before) {
            TK_CUDA(cudaStreamSynchronize(s));
            auto t0 = std::chrono::steady_clock::now();
            TK_TRY(before(options.warmup + r));
            plan[r] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        TK_CUDA(cudaEventRecord(events[2 * r], s));
        TK_TRY(launch(options.warmup + r));
        TK_CUDA(cudaEventRecord(events[2 * r + 1], s));
    }
    TK_CUDA(cudaStreamSynchronize(s));
    current_clocks(&out->sm_clock_mhz, &out->mem_clock_mhz);
    std::vector<double> t(n);
    double sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        float ms = 0;
        TK_CUDA(cudaEventElapsedTime(&ms, events[2 * r], events[2 * r + 1]));
        t[r] = ms * 1e-3;
        sum += t[r];
    }
    std::sort(t.begin(), t.end());
    std::sort(plan.begin(), plan.end());
    auto quantile = [](const std::vector<double> &v, double q) {
        // Nearest rank: the smallest value with at least q of the sample at or below it.
        size_t idx = (size_t)std::ceil(q * v.size());
        idx = idx == 0 ? 0 : idx - 1;
        return v[std::min(idx, v.size() - 1)];
    };
    out->median_s = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    out->p90_s = quantile(t, 0.9);
    out->min_s = t.front();
    out->mean_s = sum / n;
    out->plan_s = before ? (n % 2 ? plan[n / 2] : 0.5 * (plan[n / 2 - 1] + plan[n / 2])) : 0.0;
    out->repeats = n;
    return TK_OK;
}

}  // namespace tk

extern "C" {

uint32_t tk_abi_version(void) { return TK_ABI_VERSION; }

const char *tk_last_error(void) { return tk::last_error; }

int32_t tk_device_info_get(tk_device_info *out) {
    memset(out, 0, sizeof *out);
    int count = 0;
    TK_CUDA(cudaGetDeviceCount(&count));
    TK_REQUIRE(count > 0, "no CUDA device");
    cudaDeviceProp prop;
    TK_CUDA(cudaGetDeviceProperties(&prop, 0));
    snprintf(out->name, sizeof out->name, "%.127s", prop.name);
    out->sm_count = prop.multiProcessorCount;
    out->compute_major = prop.major;
    out->compute_minor = prop.minor;
    out->total_memory_bytes = prop.totalGlobalMem;
    out->l2_bytes = (uint64_t)prop.l2CacheSize;
    TK_CUDA(cudaDriverGetVersion(&out->driver_version));
    TK_CUDA(cudaRuntimeGetVersion(&out->runtime_version));
    tk::current_clocks(&out->sm_clock_mhz, &out->mem_clock_mhz);
    tk::Nvml &n = tk::nvml();
    if (n.ok) {
        unsigned v = 0;
        if (n.max_clock(n.device, tk::kNvmlClockSM, &v) == 0) out->max_sm_clock_mhz = (int32_t)v;
        if (n.max_clock(n.device, tk::kNvmlClockMem, &v) == 0) out->max_mem_clock_mhz = (int32_t)v;
        if (n.driver) n.driver(out->driver_string, sizeof out->driver_string);
        out->driver_string[sizeof out->driver_string - 1] = 0;
    }
    return TK_OK;
}

int32_t tk_copy_bandwidth(const tk_copy_problem *problem, const tk_timing_options *options, tk_result *out) {
    tk::reset_result(out);
    TK_REQUIRE(problem->bytes >= 16 && problem->bytes % 16 == 0, "copy bytes must be a positive multiple of 16");
    cudaStream_t s;
    TK_TRY(tk::stream(&s));
    size_t n = problem->bytes;
    tk::DeviceBuffer src, dst;
    TK_TRY(src.allocate(n, "copy source"));
    TK_TRY(dst.allocate(n, "copy destination"));
    TK_TRY(tk::fill_random_bf16(src.as<__nv_bfloat16>(), n / 2, options->seed, 1.0f, s));
    out->bytes = 2 * (uint64_t)n;
    out->rotations = 1;
    if (options->check) {
        TK_TRY(tk::poison(dst.ptr, n, s));
        TK_CUDA(cudaMemcpyAsync(dst.ptr, src.ptr, n, cudaMemcpyDeviceToDevice, s));
        TK_CUDA(cudaStreamSynchronize(s));
        std::vector<__nv_bfloat16> a, b;
        size_t sample = std::min<size_t>(n / 2, 1 << 20);
        TK_TRY(tk::download(a, src.as<__nv_bfloat16>(), sample));
        TK_TRY(tk::download(b, dst.as<__nv_bfloat16>(), sample));
        out->nonfinite_outputs = tk::count_nonfinite(b);
        size_t mismatches = 0;
        for (size_t i = 0; i < sample; i++)
            if (memcmp(&a[i], &b[i], sizeof a[i]) != 0) mismatches++;
        out->check_rel_error = mismatches == 0 ? 0.0 : (double)mismatches / sample;
    }
    if (options->time) {
        auto launch = [&](uint32_t) -> int32_t {
            TK_CUDA(cudaMemcpyAsync(dst.ptr, src.ptr, n, cudaMemcpyDeviceToDevice, s));
            return TK_OK;
        };
        TK_TRY(tk::time_launches(*options, s, launch, nullptr, out));
    }
    return TK_OK;
}

}  // extern "C"
