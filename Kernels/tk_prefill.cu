// Causal chunked-prefill attention over a paged KV cache (bf16, grouped-query), on the tensor
// cores through mma.sync m16n8k16 (FlashAttention-2 style online softmax); K and V fragments come
// from shared memory through ldmatrix (V transposed on the load).
// A request's chunk of C queries sits at positions history .. history + C - 1; its own K/V are
// already in the paged cache, so query i attends to keys 0 .. history + i.
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tk_common.cuh"

namespace tk {
namespace {

constexpr int kTileQ = 64;   // query rows per CTA (16 per warp)
constexpr int kTileK = 64;   // keys per iteration
constexpr int kPrefillThreads = 128;

struct PrefillParams {
    const __nv_bfloat16 *__restrict__ q;       // [batch][C][q_heads][D]
    const __nv_bfloat16 *__restrict__ k_pool;  // [page][page_tokens][kv_heads][D]
    const __nv_bfloat16 *__restrict__ v_pool;
    const int32_t *__restrict__ page_table;    // [batch][max_pages]
    __nv_bfloat16 *__restrict__ out;           // [batch][C][q_heads][D]
    int max_pages;
    int q_heads, kv_heads;
    int chunk;
    int history;
    int page_shift;
    float scale_log2;
};

__device__ __forceinline__ void mma_bf16(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
    __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<uint32_t *>(&v);
}

/// 16-byte asynchronous global-to-shared copy; `bytes` 0 fills the 16 bytes with zeros.
__device__ __forceinline__ void cp_async16(void *smem, const void *gmem, int bytes) {
    const unsigned dst = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(gmem), "r"(bytes));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

/// Four 8x8 bf16 matrices from shared memory; lanes 8i..8i+7 give the row addresses of matrix i.
/// Lane l gets, of each matrix, row l / 4, columns 2 (l % 4) and 2 (l % 4) + 1 (one 32-bit register).
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], const void *smem) {
    const unsigned a = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
/// The same, transposed: lane l gets rows 2 (l % 4) and 2 (l % 4) + 1 of column l / 4.
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], const void *smem) {
    const unsigned a = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}

template <int D>
__global__ void __launch_bounds__(kPrefillThreads) prefill_kernel(PrefillParams p) {
    constexpr int SD = D + 8;  // padded smem row (bf16 elements): conflict-free fragment loads
    constexpr int KD = D / 16; // k-steps over the head dimension
    constexpr int ND = D / 8;  // n-tiles over the head dimension
    constexpr int CH = D / 8;  // 16-byte chunks per row
    extern __shared__ __align__(16) unsigned char smem_raw[];
    // Q tile, then two stages of (K tile, V tile): the next tile loads while this one computes.
    __nv_bfloat16 *Qs = reinterpret_cast<__nv_bfloat16 *>(smem_raw);
    __nv_bfloat16 *stage_base = Qs + kTileQ * SD;

    const int qt = blockIdx.x, qh = blockIdx.y, b = blockIdx.z;
    const int G = p.q_heads / p.kv_heads;
    const int kvh = qh / G;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int gq = lane >> 2, t4 = lane & 3;  // mma groupID and thread-in-group
    const int total = p.history + p.chunk;
    const int page_mask = (1 << p.page_shift) - 1;
    const int32_t *__restrict__ pt = p.page_table + (size_t)b * p.max_pages;

    // ---- Q tile to shared memory ----
    for (int c = tid; c < kTileQ * CH; c += kPrefillThreads) {
        int r = c / CH, col = (c % CH) * 8;
        int qi = qt * kTileQ + r;
        uint4 v = make_uint4(0, 0, 0, 0);
        if (qi < p.chunk) v = *reinterpret_cast<const uint4 *>(p.q + (((size_t)b * p.chunk + qi) * p.q_heads + qh) * D + col);
        *reinterpret_cast<uint4 *>(Qs + r * SD + col) = v;
    }
    __syncthreads();
    uint32_t qa[KD][4];
    const int r0 = warp * 16 + gq;
#pragma unroll
    for (int kk = 0; kk < KD; kk++) {
        qa[kk][0] = *reinterpret_cast<const uint32_t *>(Qs + r0 * SD + kk * 16 + 2 * t4);
        qa[kk][1] = *reinterpret_cast<const uint32_t *>(Qs + (r0 + 8) * SD + kk * 16 + 2 * t4);
        qa[kk][2] = *reinterpret_cast<const uint32_t *>(Qs + r0 * SD + kk * 16 + 2 * t4 + 8);
        qa[kk][3] = *reinterpret_cast<const uint32_t *>(Qs + (r0 + 8) * SD + kk * 16 + 2 * t4 + 8);
    }

    float o[ND][4];
#pragma unroll
    for (int n = 0; n < ND; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.f;
    float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;
    const int qpos0 = p.history + qt * kTileQ + r0;  // position of row r0; row r0 + 8 is qpos0 + 8

    const int last_q = p.history + min(p.chunk, (qt + 1) * kTileQ) - 1;
    const int kv_tiles = (last_q + 1 + kTileK - 1) / kTileK;
    auto issue_tile = [&](int kt) {
        __nv_bfloat16 *Kd = stage_base + (kt & 1) * 2 * kTileK * SD;
        __nv_bfloat16 *Vd = Kd + kTileK * SD;
        for (int c = tid; c < kTileK * CH; c += kPrefillThreads) {
            const int r = c / CH, col = (c % CH) * 8;
            const int key = kt * kTileK + r;
            const int valid = key < total;
            const int kk = valid ? key : 0;
            const size_t off = ((((size_t)pt[kk >> p.page_shift] << p.page_shift) + (kk & page_mask)) * p.kv_heads + kvh) * D + col;
            cp_async16(Kd + r * SD + col, p.k_pool + off, valid ? 16 : 0);
            cp_async16(Vd + r * SD + col, p.v_pool + off, valid ? 16 : 0);
        }
        cp_async_commit();
    };
    issue_tile(0);
    for (int kt = 0; kt < kv_tiles; kt++) {
        const int k0 = kt * kTileK;
        if (kt + 1 < kv_tiles) {
            issue_tile(kt + 1);
            cp_async_wait<1>();
        } else {
            cp_async_wait<0>();
        }
        __syncthreads();  // tile kt visible to every warp
        const __nv_bfloat16 *Ks = stage_base + (kt & 1) * 2 * kTileK * SD;
        const __nv_bfloat16 *Vs = Ks + kTileK * SD;

        // S = Q K^T for this warp's 16 rows x 64 keys. One ldmatrix.x4 gives the B fragments of
        // two k-steps of one 8-key n-tile: matrices (keys n*8.., dims kk*16 + 0/8/16/24).
        float sc[kTileK / 8][4];
#pragma unroll
        for (int n = 0; n < kTileK / 8; n++) sc[n][0] = sc[n][1] = sc[n][2] = sc[n][3] = 0.f;
#pragma unroll
        for (int kk = 0; kk < KD; kk += 2) {
#pragma unroll
            for (int n = 0; n < kTileK / 8; n++) {
                uint32_t kb[4];
                ldmatrix_x4(kb, Ks + (n * 8 + (lane & 7)) * SD + kk * 16 + (lane >> 3) * 8);
                mma_bf16(sc[n], qa[kk], kb[0], kb[1]);
                mma_bf16(sc[n], qa[kk + 1], kb[2], kb[3]);
            }
        }
        // Scale into log2 units and mask (causal and past the end); a tile wholly at or below
        // the first row's diagonal and inside the sequence needs no mask.
        const bool unmasked = k0 + kTileK - 1 <= p.history + qt * kTileQ && k0 + kTileK <= total;
        float mx0 = -INFINITY, mx1 = -INFINITY;
#pragma unroll
        for (int n = 0; n < kTileK / 8; n++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int key = k0 + n * 8 + 2 * t4 + (e & 1);
                int qpos = qpos0 + (e >= 2 ? 8 : 0);
                float v = sc[n][e] * p.scale_log2;
                if (!unmasked && (key > qpos || key >= total)) v = -INFINITY;
                sc[n][e] = v;
            }
            mx0 = fmaxf(mx0, fmaxf(sc[n][0], sc[n][1]));
            mx1 = fmaxf(mx1, fmaxf(sc[n][2], sc[n][3]));
        }
#pragma unroll
        for (int off = 1; off < 4; off <<= 1) {
            mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, off));
            mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, off));
        }
        const float mn0 = fmaxf(m0, mx0), mn1 = fmaxf(m1, mx1);
        const float base0 = mn0 == -INFINITY ? 0.f : mn0, base1 = mn1 == -INFINITY ? 0.f : mn1;
        const float alpha0 = exp2f(m0 - base0), alpha1 = exp2f(m1 - base1);
        m0 = mn0;
        m1 = mn1;
        float rs0 = 0.f, rs1 = 0.f;
#pragma unroll
        for (int n = 0; n < kTileK / 8; n++) {
            sc[n][0] = exp2f(sc[n][0] - base0);
            sc[n][1] = exp2f(sc[n][1] - base0);
            sc[n][2] = exp2f(sc[n][2] - base1);
            sc[n][3] = exp2f(sc[n][3] - base1);
            rs0 += sc[n][0] + sc[n][1];
            rs1 += sc[n][2] + sc[n][3];
        }
        l0 = l0 * alpha0 + rs0;
        l1 = l1 * alpha1 + rs1;
#pragma unroll
        for (int n = 0; n < ND; n++) {
            o[n][0] *= alpha0;
            o[n][1] *= alpha0;
            o[n][2] *= alpha1;
            o[n][3] *= alpha1;
        }
        // O += P V: P's accumulator layout is the A-operand layout of the next mma (FA2).
#pragma unroll
        for (int kk = 0; kk < kTileK / 16; kk++) {
            uint32_t pa[4];
            pa[0] = pack_bf16(sc[2 * kk][0], sc[2 * kk][1]);
            pa[1] = pack_bf16(sc[2 * kk][2], sc[2 * kk][3]);
            pa[2] = pack_bf16(sc[2 * kk + 1][0], sc[2 * kk + 1][1]);
            pa[3] = pack_bf16(sc[2 * kk + 1][2], sc[2 * kk + 1][3]);
            // V is [key][dim] in shared memory: ldmatrix.trans gives the B fragments of two 8-dim
            // n-tiles, matrices (keys kk*16 + 0/8, dims n*8 and (n + 1)*8).
            const __nv_bfloat16 *vrow = Vs + (kk * 16 + (lane & 7) + ((lane >> 3) & 1) * 8) * SD + (lane >> 4) * 8;
#pragma unroll
            for (int n = 0; n < ND; n += 2) {
                uint32_t vb[4];
                ldmatrix_x4_trans(vb, vrow + n * 8);
                mma_bf16(o[n], pa, vb[0], vb[1]);
                mma_bf16(o[n + 1], pa, vb[2], vb[3]);
            }
        }
        __syncthreads();  // every warp is done with this stage before it is refilled
    }

    // Row sums live spread over the quad: reduce, normalize, write.
#pragma unroll
    for (int off = 1; off < 4; off <<= 1) {
        l0 += __shfl_xor_sync(0xffffffffu, l0, off);
        l1 += __shfl_xor_sync(0xffffffffu, l1, off);
    }
    const float inv0 = l0 > 0.f ? 1.f / l0 : 0.f, inv1 = l1 > 0.f ? 1.f / l1 : 0.f;
    const int qi0 = qt * kTileQ + r0, qi1 = qi0 + 8;
#pragma unroll
    for (int n = 0; n < ND; n++) {
        int col = n * 8 + 2 * t4;
        if (qi0 < p.chunk)
            *reinterpret_cast<uint32_t *>(p.out + (((size_t)b * p.chunk + qi0) * p.q_heads + qh) * D + col) =
                pack_bf16(o[n][0] * inv0, o[n][1] * inv0);
        if (qi1 < p.chunk)
            *reinterpret_cast<uint32_t *>(p.out + (((size_t)b * p.chunk + qi1) * p.q_heads + qh) * D + col) =
                pack_bf16(o[n][2] * inv1, o[n][3] * inv1);
    }
}

template <int D> size_t prefill_smem() { return (size_t)(kTileQ + 4 * kTileK) * (D + 8) * sizeof(__nv_bfloat16); }

template <int D> int32_t prefill_prepare() {
    static bool done = false;
    if (!done) {
        TK_CUDA(cudaFuncSetAttribute(prefill_kernel<D>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)prefill_smem<D>()));
        done = true;
    }
    return TK_OK;
}

template <int D> int32_t prefill_launch(const PrefillParams &p, int batch, cudaStream_t s) {
    dim3 grid((unsigned)ceil_div(p.chunk, kTileQ), (unsigned)p.q_heads, (unsigned)batch);
    prefill_kernel<D><<<grid, kPrefillThreads, prefill_smem<D>(), s>>>(p);
    TK_LAUNCHED("prefill_kernel");
    return TK_OK;
}

}  // namespace
}  // namespace tk

extern "C" int32_t tk_prefill_attention(const tk_prefill_problem *problem, const tk_timing_options *options, tk_result *out) {
    using namespace tk;
    reset_result(out);
    const tk_prefill_problem pr = *problem;
    TK_REQUIRE(pr.head_dim == 64 || pr.head_dim == 128, "prefill attention supports head_dim 64 or 128, got %u", pr.head_dim);
    TK_REQUIRE(pr.batch >= 1 && pr.chunk_tokens >= 1 && pr.kv_heads >= 1 && pr.q_heads % pr.kv_heads == 0, "batch, chunk_tokens and kv_heads must be positive; kv_heads must divide q_heads");
    TK_REQUIRE(pr.page_tokens >= 1 && (pr.page_tokens & (pr.page_tokens - 1)) == 0, "page_tokens (%u) must be a power of two", pr.page_tokens);
    TK_REQUIRE(pr.history_tokens + pr.chunk_tokens < (1ull << 30), "history + chunk too long");
    cudaStream_t s;
    TK_TRY(stream(&s));
    const int D = pr.head_dim, C = pr.chunk_tokens;
    const uint64_t total = pr.history_tokens + C;
    const int max_pages = (int)ceil_div(total, pr.page_tokens);
    const uint64_t pages = (uint64_t)pr.batch * max_pages;
    const uint64_t page_elems = (uint64_t)pr.page_tokens * pr.kv_heads * D;
    const size_t q_elems = (size_t)pr.batch * C * pr.q_heads * D;
    const uint64_t set_bytes = 2 * pages * page_elems * 2 + 2 * q_elems * 2;
    const uint32_t rot = options->check && !options->time ? 1 : rotations_for(set_bytes, options->rotate_bytes, 16);

    // Work: every query row sees history + its index + 1 keys.
    uint64_t visible = 0;
    for (int i = 0; i < C; i++) visible += pr.history_tokens + i + 1;
    out->flops = (uint64_t)pr.batch * pr.q_heads * visible * D * 4;
    out->kv_tokens = (uint64_t)pr.batch * pr.kv_heads * total;
    out->bytes = out->kv_tokens * D * 2 * 2 + 2 * (uint64_t)q_elems * 2 + pages * 4;
    out->rotations = rot;
    out->ctas = (uint32_t)(ceil_div(C, kTileQ) * pr.q_heads * pr.batch);
    out->max_splits = 1;

    DeviceBuffer q, k, v, o, tables;
    TK_TRY(q.allocate(rot * q_elems * 2, "prefill q"));
    TK_TRY(k.allocate(rot * pages * page_elems * 2, "prefill K pool"));
    TK_TRY(v.allocate(rot * pages * page_elems * 2, "prefill V pool"));
    TK_TRY(o.allocate(q_elems * 2, "prefill output"));
    TK_TRY(fill_random_bf16(q.as<__nv_bfloat16>(), rot * q_elems, options->seed * 5 + 1, 2.0f, s));
    TK_TRY(fill_random_bf16(k.as<__nv_bfloat16>(), rot * pages * page_elems, options->seed * 5 + 2, 1.0f, s));
    TK_TRY(fill_random_bf16(v.as<__nv_bfloat16>(), rot * pages * page_elems, options->seed * 5 + 3, 1.0f, s));
    std::vector<int32_t> perm = permutation(rot * pages, options->seed ^ 0xF11Eull);
    TK_TRY(tables.allocate(perm.size() * sizeof(int32_t), "prefill page tables"));
    TK_TRY(upload(tables.as<int32_t>(), perm));  // rotation r, request b: entries [(r*batch+b)*max_pages ...]

    PrefillParams params{};
    params.out = o.as<__nv_bfloat16>();
    params.max_pages = max_pages;
    params.q_heads = pr.q_heads;
    params.kv_heads = pr.kv_heads;
    params.chunk = C;
    params.history = (int)pr.history_tokens;
    params.page_shift = __builtin_ctz(pr.page_tokens);
    params.scale_log2 = (float)(1.0 / std::sqrt((double)D) * 1.4426950408889634);
    if (D == 64) TK_TRY(prefill_prepare<64>());
    else TK_TRY(prefill_prepare<128>());

    auto launch = [&](uint32_t r) -> int32_t {
        uint32_t set = r % rot;
        PrefillParams pp = params;
        pp.q = q.as<__nv_bfloat16>() + (size_t)set * q_elems;
        pp.k_pool = k.as<__nv_bfloat16>();
        pp.v_pool = v.as<__nv_bfloat16>();
        pp.page_table = tables.as<int32_t>() + (size_t)set * pr.batch * max_pages;
        return D == 64 ? prefill_launch<64>(pp, pr.batch, s) : prefill_launch<128>(pp, pr.batch, s);
    };

    if (options->check) {
        TK_TRY(poison(o.ptr, o.bytes, s));
        TK_TRY(launch(0));
        TK_CUDA(cudaStreamSynchronize(s));
        std::vector<__nv_bfloat16> hq, hk, hv, ho;
        TK_TRY(download(hq, q.as<__nv_bfloat16>(), q_elems));
        TK_TRY(download(hk, k.as<__nv_bfloat16>(), rot * pages * page_elems));
        TK_TRY(download(hv, v.as<__nv_bfloat16>(), rot * pages * page_elems));
        TK_TRY(download(ho, o.as<__nv_bfloat16>(), q_elems));
        const int B = pr.page_tokens, G = pr.q_heads / pr.kv_heads;
        const double scale = 1.0 / std::sqrt((double)D);
        std::vector<double> ref(q_elems, 0.0), sc(total);
        for (uint32_t b = 0; b < pr.batch; b++) {
            const int32_t *pt = perm.data() + (size_t)b * max_pages;
            for (int i = 0; i < C; i++) {
                for (uint32_t qh = 0; qh < pr.q_heads; qh++) {
                    const int kvh = qh / G;
                    const __nv_bfloat16 *qv = hq.data() + (((size_t)b * C + i) * pr.q_heads + qh) * D;
                    const uint64_t n = pr.history_tokens + i + 1;
                    double mx = -INFINITY;
                    for (uint64_t t = 0; t < n; t++) {
                        size_t off = (((size_t)pt[t / B] * B + t % B) * pr.kv_heads + kvh) * D;
                        double d = 0;
                        for (int e = 0; e < D; e++) d += (double)__bfloat162float(qv[e]) * __bfloat162float(hk[off + e]);
                        sc[t] = d * scale;
                        mx = std::max(mx, sc[t]);
                    }
                    double sum = 0;
                    for (uint64_t t = 0; t < n; t++) sum += (sc[t] = std::exp(sc[t] - mx));
                    double *r = ref.data() + (((size_t)b * C + i) * pr.q_heads + qh) * D;
                    for (uint64_t t = 0; t < n; t++) {
                        size_t off = (((size_t)pt[t / B] * B + t % B) * pr.kv_heads + kvh) * D;
                        for (int e = 0; e < D; e++) r[e] += sc[t] / sum * __bfloat162float(hv[off + e]);
                    }
                }
            }
        }
        std::vector<float> got(q_elems);
        for (size_t i = 0; i < q_elems; i++) got[i] = __bfloat162float(ho[i]);
        out->nonfinite_outputs = count_nonfinite(ho);
        out->check_rel_error = relative_error(got, ref);
    }
    if (options->time) TK_TRY(time_launches(*options, s, launch, nullptr, out));
    return TK_OK;
}
