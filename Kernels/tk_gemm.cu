// GEMM timings for the linear layers through cuBLAS, opened with dlopen (the CUDA toolkit's
// libcublas.so.13; no link-time dependency). Y[m, n] = X[m, k] W[n, k]^T, bf16 in and out, fp32
// accumulation. A naive fp32 kernel is the reference for the check.
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tk_common.cuh"

#include <dlfcn.h>
#include <cstdlib>
#include <mutex>
#include <string>

namespace tk {
namespace {

// cuBLAS enums (cublas_api.h, library_types.h): stable across CUDA 11-13.
constexpr int kOpN = 0, kOpT = 1;
constexpr int kComputeF32 = 68;   // CUBLAS_COMPUTE_32F
constexpr int kGemmDefault = -1;  // CUBLAS_GEMM_DEFAULT
typedef int (*create_fn)(void **);
typedef int (*set_stream_fn)(void *, cudaStream_t);
typedef int (*gemm_ex_fn)(void *, int, int, int, int, int, const void *, const void *, int, int, const void *, int,
                          int, const void *, void *, int, int, int, int);

struct Cublas {
    void *lib = nullptr;
    void *handle = nullptr;
    set_stream_fn set_stream = nullptr;
    gemm_ex_fn gemm = nullptr;
    std::string error;
};

int32_t cublas(Cublas **out) {
    static Cublas c;
    static std::once_flag once;
    std::call_once(once, [] {
        std::vector<std::string> names;
        if (const char *env = getenv("TK_CUBLAS")) names.push_back(env);
        for (const char *n : {"libcublas.so.13", "libcublas.so", "/usr/local/cuda/lib64/libcublas.so.13",
                              "/usr/local/cuda/lib64/libcublas.so", "/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13"})
            names.push_back(n);
        for (auto &n : names) {
            c.lib = dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (c.lib) break;
            const char *e = dlerror();
            c.error += (c.error.empty() ? "" : "; ") + std::string(e ? e : n.c_str());
        }
        if (!c.lib) return;
        auto create = (create_fn)dlsym(c.lib, "cublasCreate_v2");
        c.set_stream = (set_stream_fn)dlsym(c.lib, "cublasSetStream_v2");
        c.gemm = (gemm_ex_fn)dlsym(c.lib, "cublasGemmEx");
        if (!create || !c.set_stream || !c.gemm) {
            c.error = "libcublas lacks cublasCreate_v2/cublasSetStream_v2/cublasGemmEx";
            c.lib = nullptr;
            return;
        }
        int st = create(&c.handle);
        if (st != 0) {
            c.error = "cublasCreate_v2 returned status " + std::to_string(st);
            c.lib = nullptr;
        }
    });
    if (!c.lib) return fail(TK_ERR_UNAVAILABLE, "cuBLAS unavailable: %s (set TK_CUBLAS to its path)", c.error.c_str());
    *out = &c;
    return TK_OK;
}

__global__ void gemm_reference_kernel(const __nv_bfloat16 *x, const __nv_bfloat16 *w, float *y, int m, int n, int k) {
    int col = blockIdx.x * blockDim.x + threadIdx.x, row = blockIdx.y;
    if (col >= n || row >= m) return;
    float acc = 0.f;
    for (int i = 0; i < k; i++) acc += __bfloat162float(x[(size_t)row * k + i]) * __bfloat162float(w[(size_t)col * k + i]);
    y[(size_t)row * n + col] = acc;
}

}  // namespace
}  // namespace tk

extern "C" int32_t tk_gemm(const tk_gemm_problem *problem, const tk_timing_options *options, tk_result *out) {
    using namespace tk;
    reset_result(out);
    const tk_gemm_problem pr = *problem;
    TK_REQUIRE(pr.m >= 1 && pr.n >= 1 && pr.k >= 1 && pr.m < (1u << 30) && pr.n < (1u << 30) && pr.k < (1u << 30), "gemm m, n, k must be positive");
    Cublas *cb = nullptr;
    TK_TRY(cublas(&cb));
    cudaStream_t s;
    TK_TRY(stream(&s));
    const size_t xe = (size_t)pr.m * pr.k, we = (size_t)pr.n * pr.k, ye = (size_t)pr.m * pr.n;
    const uint64_t set_bytes = (xe + we + ye) * 2;
    const uint32_t rot = options->check && !options->time ? 1 : rotations_for(set_bytes, options->rotate_bytes, 32);
    out->bytes = set_bytes;
    out->flops = 2ull * pr.m * pr.n * pr.k;
    out->rotations = rot;
    DeviceBuffer x, w, y;
    TK_TRY(x.allocate(rot * xe * 2, "gemm X"));
    TK_TRY(w.allocate(rot * we * 2, "gemm W"));
    TK_TRY(y.allocate(ye * 2, "gemm Y"));
    TK_TRY(fill_random_bf16(x.as<__nv_bfloat16>(), rot * xe, options->seed * 11 + 1, 1.0f, s));
    TK_TRY(fill_random_bf16(w.as<__nv_bfloat16>(), rot * we, options->seed * 11 + 2, 1.0f, s));
    int st = cb->set_stream(cb->handle, s);
    if (st != 0) return fail(TK_ERR_CUDA, "cublasSetStream_v2 returned status %d", st);
    const float alpha = 1.f, beta = 0.f;
    auto launch = [&](uint32_t r) -> int32_t {
        const __nv_bfloat16 *xs = x.as<__nv_bfloat16>() + (size_t)(r % rot) * xe;
        const __nv_bfloat16 *ws = w.as<__nv_bfloat16>() + (size_t)(r % rot) * we;
        // Column-major view: Y^T (n x m) = W (n x k, op T of the k x n storage) * X^T (k x m).
        int rc = cb->gemm(cb->handle, kOpT, kOpN, (int)pr.n, (int)pr.m, (int)pr.k, &alpha, ws, CUDA_R_16BF, (int)pr.k, xs,
                          CUDA_R_16BF, (int)pr.k, &beta, y.ptr, CUDA_R_16BF, (int)pr.n, kComputeF32, kGemmDefault);
        if (rc != 0) return fail(TK_ERR_CUDA, "cublasGemmEx(m=%u, n=%u, k=%u) returned status %d", pr.m, pr.n, pr.k, rc);
        return TK_OK;
    };
    if (options->check) {
        DeviceBuffer ref;
        TK_TRY(ref.allocate(ye * 4, "gemm reference"));
        TK_TRY(poison(y.ptr, y.bytes, s));
        TK_TRY(launch(0));
        gemm_reference_kernel<<<dim3((unsigned)ceil_div(pr.n, 128), pr.m), 128, 0, s>>>(x.as<__nv_bfloat16>(), w.as<__nv_bfloat16>(),
                                                                                       ref.as<float>(), pr.m, pr.n, pr.k);
        TK_LAUNCHED("gemm_reference_kernel");
        TK_CUDA(cudaStreamSynchronize(s));
        std::vector<__nv_bfloat16> hy;
        std::vector<float> hr;
        TK_TRY(download(hy, y.as<__nv_bfloat16>(), ye));
        TK_TRY(download(hr, ref.as<float>(), ye));
        std::vector<float> got(ye);
        std::vector<double> refd(ye);
        for (size_t i = 0; i < ye; i++) {
            got[i] = __bfloat162float(hy[i]);
            refd[i] = hr[i];
        }
        out->nonfinite_outputs = count_nonfinite(hy);
        out->check_rel_error = relative_error(got, refd);
    }
    out->ctas = 0;
    out->max_splits = 1;
    if (options->time) TK_TRY(time_launches(*options, s, launch, nullptr, out));
    return TK_OK;
}
