// Paged decode attention (bf16, grouped-query) over monolithic or ragged per-group page tables,
// split-KV in three modes (uniform, host planner, ahead-of-time table), and the log-sum-exp merge.
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tk_common.cuh"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <numeric>

namespace tk {
namespace {

constexpr int kDecodeWarps = 4;
constexpr int kDecodeThreads = kDecodeWarps * 32;
constexpr int kUnroll = 4;  // token steps in flight per warp

/// One unit of split-KV work: a (request, KV head) and a token range; partials go to `slot`.
struct WorkItem {
    int32_t bh;     // request * kv_heads + kv head
    int32_t start;  // first token
    int32_t end;    // one past the last token (clamped to the length on the device)
    int32_t slot;   // partial-result slot
};

/// Ahead-of-time table entry for one CTA of a request: which head, which split of how many.
struct TableItem {
    int32_t head;
    int32_t split;
    int32_t splits;
    int32_t slot_offset;  // slot within the request (slot = request * per_request + slot_offset)
};

struct DecodeParams {
    const __nv_bfloat16 *__restrict__ q;       // [batch][q_heads][D]
    const __nv_bfloat16 *__restrict__ k_pool;  // [page][page_tokens][hpp][D]
    const __nv_bfloat16 *__restrict__ v_pool;
    const int32_t *__restrict__ page_table;    // [batch * groups][max_pages]
    const uint32_t *__restrict__ lengths;      // [batch * groups]
    int max_pages;
    int kv_heads;
    int q_heads;
    int hpp;
    int groups;
    int page_shift;                            // log2(page_tokens)
    float scale_log2;                          // softmax scale * log2(e)
    // Work: mode 0 uniform (splits), 1 item list (planner), 2 ahead-of-time table.
    int uniform_splits;
    const WorkItem *__restrict__ items;
    const TableItem *__restrict__ table;
    int table_per_request;
    float *__restrict__ partial_o;             // [slot][G][D]
    float *__restrict__ partial_lse;           // [slot][G] (log2 units)
};

__device__ __forceinline__ void bf16x8_to_float(const uint4 &raw, float (&f)[8]) {
    const __nv_bfloat162 *h = reinterpret_cast<const __nv_bfloat162 *>(&raw);
#pragma unroll
    for (int i = 0; i < 4; i++) {
        float2 v = __bfloat1622float2(h[i]);
        f[2 * i] = v.x;
        f[2 * i + 1] = v.y;
    }
}

__device__ __forceinline__ uint4 load_stream(const __nv_bfloat16 *p) {
    return __ldg(reinterpret_cast<const uint4 *>(p));
}

__device__ __forceinline__ uint32_t pack_bf16x2(float lo, float hi) {
    __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<uint32_t *>(&v);
}

__device__ __forceinline__ void mma_bf16_16816(float (&c)[4], uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                                               uint32_t b0, uint32_t b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}

template <int I> __device__ __forceinline__ uint32_t word_of(const uint4 &u) {
    return I == 0 ? u.x : I == 1 ? u.y : I == 2 ? u.z : u.w;
}

/// Which (request, KV head), token range and partial slot this CTA works on (all split modes).
template <int MODE>
__device__ __forceinline__ void decode_work(const DecodeParams &p, int &bh, int &start, int &end, int &slot) {
    if (MODE == 0) {
        int s = blockIdx.x % p.uniform_splits;
        bh = blockIdx.x / p.uniform_splits;
        slot = blockIdx.x;
        int b = bh / p.kv_heads, h = bh % p.kv_heads;
        int L = (int)p.lengths[b * p.groups + h / p.hpp];
        int chunk = (L + p.uniform_splits - 1) / p.uniform_splits;
        chunk = (chunk + 15) & ~15;
        start = s * chunk;
        end = start + chunk;
    } else if (MODE == 1) {
        WorkItem w = p.items[blockIdx.x];
        bh = w.bh;
        start = w.start;
        end = w.end;
        slot = w.slot;
    } else {
        int b = blockIdx.x / p.table_per_request;
        TableItem t = p.table[blockIdx.x % p.table_per_request];
        bh = b * p.kv_heads + t.head;
        slot = b * p.table_per_request + t.slot_offset;
        int L = (int)p.lengths[b * p.groups + t.head / p.hpp];
        int chunk = (L + t.splits - 1) / t.splits;
        chunk = (chunk + 15) & ~15;
        start = t.split * chunk;
        end = start + chunk;
    }
}

/// CUDA-core split-KV decode (any supported head_dim; used for head_dim 256). One token per
/// D/8 lanes, every lane holding 8 dims of each of the G query heads.
template <int D, int G, int MODE>
__global__ void __launch_bounds__(kDecodeThreads) decode_split_kernel(DecodeParams p) {
    constexpr int TPT = D / 8;      // threads per token (16 bytes = 8 bf16 each)
    constexpr int TPW = 32 / TPT;   // tokens per warp step
    constexpr int STEP = kDecodeWarps * TPW * kUnroll;

    int bh, start, end, slot;
    decode_work<MODE>(p, bh, start, end, slot);
    const int b = bh / p.kv_heads, h = bh % p.kv_heads;
    const int grp = h / p.hpp, hin = h % p.hpp;
    const int row = b * p.groups + grp;
    const int L = (int)p.lengths[row];
    end = min(end, L);
    const int32_t *__restrict__ pt = p.page_table + (size_t)row * p.max_pages;
    const int page_mask = (1 << p.page_shift) - 1;

    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int sub = lane / TPT, tl = lane % TPT;

    // ---- the G query heads of this KV head, pre-scaled into log2 units ----
    float q[G][8];
#pragma unroll
    for (int g = 0; g < G; g++) {
        uint4 raw = load_stream(p.q + ((size_t)b * p.q_heads + h * G + g) * D + tl * 8);
        bf16x8_to_float(raw, q[g]);
#pragma unroll
        for (int i = 0; i < 8; i++) q[g][i] *= p.scale_log2;
    }
    float m[G], l[G], acc[G][8];
#pragma unroll
    for (int g = 0; g < G; g++) {
        m[g] = -INFINITY;
        l[g] = 0.f;
#pragma unroll
        for (int i = 0; i < 8; i++) acc[g][i] = 0.f;
    }

    for (int t0 = start + warp * TPW * kUnroll; t0 < end; t0 += STEP) {
        uint4 kr[kUnroll], vr[kUnroll];
        bool valid[kUnroll];
#pragma unroll
        for (int u = 0; u < kUnroll; u++) {
            int t = t0 + u * TPW + sub;
            valid[u] = t < end;
            if (valid[u]) {
                int page = pt[t >> p.page_shift];
                size_t off = (((size_t)page << p.page_shift) + (t & page_mask)) * p.hpp + hin;
                off = off * D + tl * 8;
                kr[u] = load_stream(p.k_pool + off);
                vr[u] = load_stream(p.v_pool + off);
            } else {
                kr[u] = make_uint4(0, 0, 0, 0);
                vr[u] = make_uint4(0, 0, 0, 0);
            }
        }
        float s[kUnroll][G];
#pragma unroll
        for (int u = 0; u < kUnroll; u++) {
            float kf[8];
            bf16x8_to_float(kr[u], kf);
#pragma unroll
            for (int g = 0; g < G; g++) {
                float d = 0.f;
#pragma unroll
                for (int i = 0; i < 8; i++) d = fmaf(q[g][i], kf[i], d);
#pragma unroll
                for (int o = TPT / 2; o > 0; o >>= 1) d += __shfl_xor_sync(0xffffffffu, d, o);
                s[u][g] = valid[u] ? d : -INFINITY;
            }
        }
#pragma unroll
        for (int g = 0; g < G; g++) {
            float mx = m[g];
#pragma unroll
            for (int u = 0; u < kUnroll; u++) mx = fmaxf(mx, s[u][g]);
            if (mx == -INFINITY) continue;  // nothing valid yet for this token lane group
            float alpha = exp2f(m[g] - mx);  // 0 when m was -inf
            m[g] = mx;
            l[g] *= alpha;
#pragma unroll
            for (int i = 0; i < 8; i++) acc[g][i] *= alpha;
#pragma unroll
            for (int u = 0; u < kUnroll; u++) {
                float pw = exp2f(s[u][g] - mx);  // 0 for invalid tokens
                l[g] += pw;
                float vf[8];
                bf16x8_to_float(vr[u], vf);
#pragma unroll
                for (int i = 0; i < 8; i++) acc[g][i] = fmaf(pw, vf[i], acc[g][i]);
            }
        }
    }

    // ---- combine the token lane groups of the warp ----
#pragma unroll
    for (int o = TPT; o < 32; o <<= 1) {
#pragma unroll
        for (int g = 0; g < G; g++) {
            float mo = __shfl_xor_sync(0xffffffffu, m[g], o);
            float lo = __shfl_xor_sync(0xffffffffu, l[g], o);
            float mn = fmaxf(m[g], mo);
            float a = mn == -INFINITY ? 0.f : exp2f(m[g] - mn);
            float c = mn == -INFINITY ? 0.f : exp2f(mo - mn);
            m[g] = mn;
            l[g] = l[g] * a + lo * c;
#pragma unroll
            for (int i = 0; i < 8; i++) {
                float ao = __shfl_xor_sync(0xffffffffu, acc[g][i], o);
                acc[g][i] = acc[g][i] * a + ao * c;
            }
        }
    }

    // ---- combine the warps through shared memory and write this split's partial ----
    __shared__ float sm_m[kDecodeWarps][G], sm_l[kDecodeWarps][G];
    __shared__ float sm_acc[kDecodeWarps][G][D];
    if (sub == 0) {
#pragma unroll
        for (int g = 0; g < G; g++) {
            if (tl == 0) {
                sm_m[warp][g] = m[g];
                sm_l[warp][g] = l[g];
            }
#pragma unroll
            for (int i = 0; i < 8; i++) sm_acc[warp][g][tl * 8 + i] = acc[g][i];
        }
    }
    __syncthreads();
    for (int idx = threadIdx.x; idx < G * D; idx += kDecodeThreads) {
        int g = idx / D, d = idx % D;
        float M = -INFINITY;
#pragma unroll
        for (int w = 0; w < kDecodeWarps; w++) M = fmaxf(M, sm_m[w][g]);
        float lsum = 0.f, a = 0.f;
        if (M != -INFINITY) {
#pragma unroll
            for (int w = 0; w < kDecodeWarps; w++) {
                float e = exp2f(sm_m[w][g] - M);
                lsum += sm_l[w][g] * e;
                a += sm_acc[w][g][d] * e;
            }
        }
        float *po = p.partial_o + ((size_t)slot * G + g) * D;
        po[d] = lsum > 0.f ? a / lsum : 0.f;
        if (d == 0) p.partial_lse[(size_t)slot * G + g] = lsum > 0.f ? M + log2f(lsum) : -INFINITY;
    }
}

/// Tensor-core split-KV decode for head_dim 64/128 and up to 8 query heads per KV head.
/// Each warp takes tiles of 16 tokens: S = Q K^T with the G query heads as the rows of an
/// m16n8k16 tile (rows G..15 are zero padding), then O += P V with P in the A-operand layout.
/// Both products permute an inner dimension so that every lane loads whole 16-byte pieces of K
/// and V rows straight from the pages: the head dimension for Q K^T (Q uses the same permutation),
/// the output columns for P V (undone when O is written).
template <int D, int MODE>
__global__ void __launch_bounds__(kDecodeThreads, 2) decode_mma_kernel(DecodeParams p) {
    constexpr int KCH = D / 32;  // 16-byte K pieces per lane and row
    constexpr int KD = D / 16;   // k-steps of Q K^T
    constexpr int NT = D / 8;    // n-tiles of P V (and output dims per lane group)
    constexpr int VCH = D / 64;  // 16-byte V pieces per lane and row
    int bh, start, end, slot;
    decode_work<MODE>(p, bh, start, end, slot);
    const int G = p.q_heads / p.kv_heads;
    const int b = bh / p.kv_heads, h = bh % p.kv_heads;
    const int grp = h / p.hpp, hin = h % p.hpp;
    const int row = b * p.groups + grp;
    end = min(end, (int)p.lengths[row]);
    const int32_t *__restrict__ pt = p.page_table + (size_t)row * p.max_pages;
    const int page_mask = (1 << p.page_shift) - 1;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int gq = lane >> 2, t4 = lane & 3;

    // Q as A fragments (rows = query heads, virtual k = permuted head dims).
    uint32_t qa[KD][2];
#pragma unroll
    for (int m = 0; m < KCH; m++) {
        uint4 v = make_uint4(0, 0, 0, 0);
        if (gq < G) v = load_stream(p.q + ((size_t)b * p.q_heads + h * G + gq) * D + 32 * m + 8 * t4);
        qa[2 * m][0] = v.x;
        qa[2 * m][1] = v.y;
        qa[2 * m + 1][0] = v.z;
        qa[2 * m + 1][1] = v.w;
    }
    auto token_offset = [&](int t) -> size_t {
        return ((((size_t)pt[t >> p.page_shift] << p.page_shift) + (t & page_mask)) * p.hpp + hin) * D;
    };

    float o[NT][4];
#pragma unroll
    for (int n = 0; n < NT; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.f;
    float m_run = -INFINITY, l_run = 0.f;

    for (int tb = start + warp * 16; tb < end; tb += kDecodeWarps * 16) {
        uint4 kv[2][KCH];
#pragma unroll
        for (int j = 0; j < 2; j++) {
            const size_t off = token_offset(min(tb + 8 * j + gq, end - 1)) + 8 * t4;
#pragma unroll
            for (int m = 0; m < KCH; m++) kv[j][m] = load_stream(p.k_pool + off + 32 * m);
        }
        uint4 vv[4][VCH];
#pragma unroll
        for (int r = 0; r < 4; r++) {
            const int t = tb + 2 * t4 + (r & 1) + (r >> 1) * 8;
            const size_t off = token_offset(min(t, end - 1)) + gq * (D / 8);
#pragma unroll
            for (int c = 0; c < VCH; c++) vv[r][c] = load_stream(p.v_pool + off + 8 * c);
        }
        float sc[2][4];
#pragma unroll
        for (int j = 0; j < 2; j++) {
            sc[j][0] = sc[j][1] = sc[j][2] = sc[j][3] = 0.f;
#pragma unroll
            for (int m = 0; m < KCH; m++) {
                mma_bf16_16816(sc[j], qa[2 * m][0], 0u, qa[2 * m][1], 0u, word_of<0>(kv[j][m]), word_of<1>(kv[j][m]));
                mma_bf16_16816(sc[j], qa[2 * m + 1][0], 0u, qa[2 * m + 1][1], 0u, word_of<2>(kv[j][m]), word_of<3>(kv[j][m]));
            }
        }
        float mx = -INFINITY;
#pragma unroll
        for (int j = 0; j < 2; j++) {
#pragma unroll
            for (int e = 0; e < 2; e++) {
                const int t = tb + 8 * j + 2 * t4 + e;
                float v = sc[j][e] * p.scale_log2;
                sc[j][e] = t < end ? v : -INFINITY;
                mx = fmaxf(mx, sc[j][e]);
            }
        }
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
        const float mn = fmaxf(m_run, mx);
        const float base = mn == -INFINITY ? 0.f : mn;
        const float alpha = exp2f(m_run - base);
        m_run = mn;
        float rs = 0.f;
#pragma unroll
        for (int j = 0; j < 2; j++) {
            sc[j][0] = exp2f(sc[j][0] - base);
            sc[j][1] = exp2f(sc[j][1] - base);
            rs += sc[j][0] + sc[j][1];
        }
        l_run = l_run * alpha + rs;
        const uint32_t pa0 = pack_bf16x2(sc[0][0], sc[0][1]);
        const uint32_t pa2 = pack_bf16x2(sc[1][0], sc[1][1]);
#pragma unroll
        for (int n = 0; n < NT; n++) {
            o[n][0] *= alpha;
            o[n][1] *= alpha;
            const int c = n / 8, w = (n % 8) / 2;
            const uint32_t sel = (n & 1) ? 0x7632u : 0x5410u;
            uint32_t r0, r1, r2, r3;
            if (w == 0) { r0 = word_of<0>(vv[0][c]); r1 = word_of<0>(vv[1][c]); r2 = word_of<0>(vv[2][c]); r3 = word_of<0>(vv[3][c]); }
            else if (w == 1) { r0 = word_of<1>(vv[0][c]); r1 = word_of<1>(vv[1][c]); r2 = word_of<1>(vv[2][c]); r3 = word_of<1>(vv[3][c]); }
            else if (w == 2) { r0 = word_of<2>(vv[0][c]); r1 = word_of<2>(vv[1][c]); r2 = word_of<2>(vv[2][c]); r3 = word_of<2>(vv[3][c]); }
            else { r0 = word_of<3>(vv[0][c]); r1 = word_of<3>(vv[1][c]); r2 = word_of<3>(vv[2][c]); r3 = word_of<3>(vv[3][c]); }
            mma_bf16_16816(o[n], pa0, 0u, pa2, 0u, __byte_perm(r0, r1, sel), __byte_perm(r2, r3, sel));
        }
    }
    l_run += __shfl_xor_sync(0xffffffffu, l_run, 1);
    l_run += __shfl_xor_sync(0xffffffffu, l_run, 2);

    __shared__ float sm_m[kDecodeWarps][8], sm_l[kDecodeWarps][8];
    __shared__ float sm_o[kDecodeWarps][8][D];
    if (t4 == 0) {
        sm_m[warp][gq] = m_run;
        sm_l[warp][gq] = l_run;
    }
#pragma unroll
    for (int n = 0; n < NT; n++) {
        sm_o[warp][gq][(2 * t4) * (D / 8) + n] = o[n][0];
        sm_o[warp][gq][(2 * t4 + 1) * (D / 8) + n] = o[n][1];
    }
    __syncthreads();
    for (int idx = threadIdx.x; idx < G * D; idx += kDecodeThreads) {
        const int g = idx / D, d = idx % D;
        float M = -INFINITY;
#pragma unroll
        for (int w = 0; w < kDecodeWarps; w++) M = fmaxf(M, sm_m[w][g]);
        float lsum = 0.f, a = 0.f;
        if (M != -INFINITY) {
#pragma unroll
            for (int w = 0; w < kDecodeWarps; w++) {
                const float e = exp2f(sm_m[w][g] - M);
                lsum += sm_l[w][g] * e;
                a += sm_o[w][g][d] * e;
            }
        }
        p.partial_o[((size_t)slot * G + g) * D + d] = lsum > 0.f ? a / lsum : 0.f;
        if (d == 0) p.partial_lse[(size_t)slot * G + g] = lsum > 0.f ? M + log2f(lsum) : -INFINITY;
    }
}

/// out[b][h*G+g][d] = sum_i w_i o_i / sum_i w_i with w_i = 2^(lse_i - max lse) over the splits
/// of (b, h). One block per (request, KV head, query head of the group), one thread per dim.
__global__ void __launch_bounds__(256) merge_kernel(const float *__restrict__ partial_o,
                                                    const float *__restrict__ partial_lse,
                                                    const int32_t *__restrict__ base,
                                                    const int32_t *__restrict__ count, int G, int D,
                                                    __nv_bfloat16 *__restrict__ out) {
    const int bh = blockIdx.x / G, g = blockIdx.x % G, d = threadIdx.x;
    if (d >= D) return;
    const int first = base[bh], n = count[bh];
    float M = -INFINITY;
    for (int i = 0; i < n; i++) M = fmaxf(M, partial_lse[(size_t)(first + i) * G + g]);
    float wsum = 0.f, a = 0.f;
    if (M != -INFINITY) {
#pragma unroll 4
        for (int i = 0; i < n; i++) {
            const float w = exp2f(partial_lse[(size_t)(first + i) * G + g] - M);
            wsum += w;
            a += w * partial_o[((size_t)(first + i) * G + g) * D + d];
        }
    }
    out[((size_t)bh * G + g) * D + d] = __float2bfloat16(wsum > 0.f ? a / wsum : 0.f);
}

// ---- host-side split planning ---------------------------------------------------------------

/// FlashAttention's num_splits_heuristic (flash_api.cpp), the FlashDecoding-style split count.
int flash_decoding_splits(int batch_nheads, int num_sms, int num_n_blocks, int max_splits) {
    if (batch_nheads >= 0.8f * num_sms) return 1;
    max_splits = std::min({max_splits, num_sms, num_n_blocks});
    if (max_splits < 1) return 1;
    auto eligible = [&](int s) {
        return s == 1 || ceil_div(num_n_blocks, s) != ceil_div(num_n_blocks, s - 1);
    };
    std::vector<float> eff(max_splits + 1, 0.f);
    float best = 0.f;
    for (int s = 1; s <= max_splits; s++) {
        if (!eligible(s)) continue;
        float waves = float(batch_nheads * s) / num_sms;
        eff[s] = waves / std::ceil(waves);
        best = std::max(best, eff[s]);
    }
    for (int s = 1; s <= max_splits; s++)
        if (eligible(s) && eff[s] >= 0.85f * best) return s;
    return 1;
}

/// Smallest token range a planned split gets: one pass of the CTA's 4 warps over 4 tiles of 16.
constexpr int kMinChunkTokens = 256;

/// Splits for a head of `L` tokens when `target` CTAs share `total` tokens in proportion to length:
/// floor(target * L / total), at least 1, and no split shorter than kMinChunkTokens. Rounding down
/// keeps the CTA count at or under the target (whole waves), and equal lengths get equal splits.
inline int proportional_splits(uint64_t L, uint64_t total, int target) {
    if (total == 0 || L == 0) return 1;
    uint64_t s = (uint64_t)target * L / total;
    s = std::min<uint64_t>(s, ceil_div(L, kMinChunkTokens));
    return (int)std::max<uint64_t>(1, s);
}

/// Token chunk of one split when a head of `L` tokens is cut into `splits` (rounded up to 16; the
/// kernels use the same rule for the uniform and ahead-of-time modes).
inline int split_chunk(int L, int splits) { return (int)((ceil_div(std::max(L, 1), splits) + 15) & ~15ull); }

/// The planner: balance tokens per CTA over all (request, KV head) for the lengths of this call.
/// The split decision is made once per (request, page group), the unit that has one length; every
/// KV head of the group gets the same splits. Writes items and per-(request, head) merge
/// base/count; returns the number of items. Work: O(batch x groups) decisions plus O(batch x
/// kv_heads) base/count entries plus O(items) work items.
int plan_balanced(const uint32_t *lengths, int batch, int kv_heads, int hpp, int groups, int target_ctas,
                  WorkItem *items, int32_t *base, int32_t *count, int *max_splits) {
    const int rows = batch * groups;
    uint64_t total = 0;
    for (int r = 0; r < rows; r++) total += lengths[r];
    total *= (uint64_t)hpp;  // every KV head of a group holds the group's length
    int n = 0, widest = 1;
    for (int r = 0; r < rows; r++) {
        const int L = (int)lengths[r];
        const int splits = proportional_splits(L, total, target_ctas);
        const int chunk = split_chunk(L, splits);
        widest = std::max(widest, splits);
        const int first_bh = (r / groups) * kv_heads + (r % groups) * hpp;
        for (int j = 0; j < hpp; j++) {
            const int bh = first_bh + j;
            base[bh] = n;
            count[bh] = splits;
            for (int s = 0; s < splits; s++) {
                items[n] = WorkItem{bh, s * chunk, std::min(L, (s + 1) * chunk), n};
                n++;
            }
        }
    }
    *max_splits = widest;
    return n;
}

/// Byte layout of the planner's one upload (host staging and device copy alike): merge base and
/// count per (request, KV head), then the work items from a 16-byte boundary. One contiguous copy
/// per call, as FlashInfer's plan copies its page-locked int buffer with one cudaMemcpyAsync.
struct PlanLayout {
    size_t bh_count = 0, items_offset = 0, capacity_bytes = 0;
    PlanLayout() = default;
    PlanLayout(int bh, size_t item_capacity)
        : bh_count((size_t)bh), items_offset((2 * (size_t)bh * sizeof(int32_t) + 15) & ~(size_t)15),
          capacity_bytes(items_offset + item_capacity * sizeof(WorkItem)) {}
    /// Bytes to upload when `planned` items were written.
    size_t bytes(int planned) const { return items_offset + (size_t)planned * sizeof(WorkItem); }
    int32_t *base(void *p) const { return static_cast<int32_t *>(p); }
    int32_t *count(void *p) const { return static_cast<int32_t *>(p) + bh_count; }
    WorkItem *items(void *p) const { return reinterpret_cast<WorkItem *>(static_cast<char *>(p) + items_offset); }
};

/// One planner call as a serving engine makes it: plan into pinned staging, enqueue one upload.
int32_t plan_and_upload(const uint32_t *lengths, int batch, int kv_heads, int hpp, int groups, int target_ctas,
                        const PlanLayout &layout, void *host, void *device, cudaStream_t s, int *planned,
                        int *max_splits) {
    *planned = plan_balanced(lengths, batch, kv_heads, hpp, groups, target_ctas, layout.items(host),
                             layout.base(host), layout.count(host), max_splits);
    TK_CUDA(cudaMemcpyAsync(device, host, layout.bytes(*planned), cudaMemcpyHostToDevice, s));
    return TK_OK;
}

/// Upper bound on planner items (for buffer sizes).
size_t plan_capacity(const uint32_t *lengths, int batch, int kv_heads, int hpp, int groups) {
    size_t n = 0;
    for (int b = 0; b < batch; b++)
        for (int h = 0; h < kv_heads; h++) n += std::max<uint64_t>(1, ceil_div(lengths[b * groups + h / hpp], kMinChunkTokens));
    return n;
}

/// The ahead-of-time table: per request about `per_request` CTAs shared among KV heads in
/// proportion to their budget (the lengths of request 0 stand for the static budgets), computed
/// once with the same proportional rule as the planner.
std::vector<TableItem> plan_ahead_of_time(const uint32_t *lengths, int kv_heads, int hpp, int per_request) {
    uint64_t total = 0;
    for (int h = 0; h < kv_heads; h++) total += lengths[h / hpp];
    std::vector<TableItem> table;
    for (int h = 0; h < kv_heads; h++) {
        const int splits = proportional_splits(lengths[h / hpp], total, per_request);
        for (int s = 0; s < splits; s++) table.push_back(TableItem{h, s, splits, (int32_t)table.size()});
    }
    return table;
}

// ---- the problem on the device ------------------------------------------------------------

struct DecodeSetup {
    tk_decode_problem pr{};
    int groups = 0, G = 0, max_pages = 0;
    uint32_t rotations = 1;
    uint64_t pages_per_set = 0;
    DeviceBuffer q, k, v, page_tables, lengths, out, partial_o, partial_lse, plan, table, base, count;
    // Merge base/count per (request, KV head): `base`/`count`, or inside `plan` for the planner.
    const int32_t *merge_base = nullptr, *merge_count = nullptr;
    std::vector<int32_t> host_tables;  // [rotation][row][max_pages]
    size_t partial_slots = 0;
};

int32_t kernel_for(int D, int G, int mode, const void **fn) {
#define TK_CASE(DD, GG)                                                                          \
    if (D == DD && G == GG) {                                                                    \
        *fn = mode == 0   ? (const void *)decode_split_kernel<DD, GG, 0>                         \
              : mode == 1 ? (const void *)decode_split_kernel<DD, GG, 1>                         \
                          : (const void *)decode_split_kernel<DD, GG, 2>;                        \
        return TK_OK;                                                                            \
    }
    if ((D == 64 || D == 128) && (G == 1 || G == 2 || G == 4 || G == 8)) {
        if (D == 64) *fn = mode == 0 ? (const void *)decode_mma_kernel<64, 0> : mode == 1 ? (const void *)decode_mma_kernel<64, 1> : (const void *)decode_mma_kernel<64, 2>;
        else *fn = mode == 0 ? (const void *)decode_mma_kernel<128, 0> : mode == 1 ? (const void *)decode_mma_kernel<128, 1> : (const void *)decode_mma_kernel<128, 2>;
        return TK_OK;
    }
    TK_CASE(256, 1) TK_CASE(256, 2) TK_CASE(256, 4) TK_CASE(256, 8)
#undef TK_CASE
    return fail(TK_ERR_INVALID, "decode attention supports head_dim 64/128/256 and q_heads/kv_heads 1/2/4/8, got %d and %d", D, G);
}

int32_t launch_merge(int G, int bh_count, const DecodeSetup &st, cudaStream_t s) {
    const float *po = st.partial_o.as<float>();
    const float *pl = st.partial_lse.as<float>();
    const int32_t *base = st.merge_base;
    const int32_t *count = st.merge_count;
    __nv_bfloat16 *out = st.out.as<__nv_bfloat16>();
    int D = (int)st.pr.head_dim;
    merge_kernel<<<bh_count * G, D, 0, s>>>(po, pl, base, count, G, D, out);
    TK_LAUNCHED("merge_kernel");
    return TK_OK;
}

int32_t launch_split(const void *fn, int ctas, DecodeParams params, cudaStream_t s) {
    if (ctas == 0) return TK_OK;
    void *args[] = {&params};
    TK_CUDA(cudaLaunchKernel(fn, dim3(ctas), dim3(kDecodeThreads), args, 0, s));
    return TK_OK;
}

/// CPU reference in double: out[b][qh][d] for the set-0 page tables.
void decode_reference(const DecodeSetup &st, const std::vector<__nv_bfloat16> &q,
                      const std::vector<__nv_bfloat16> &k, const std::vector<__nv_bfloat16> &v,
                      const uint32_t *lengths, std::vector<double> &ref) {
    const auto &pr = st.pr;
    const int D = pr.head_dim, G = st.G, B = pr.page_tokens, hpp = pr.heads_per_page;
    ref.assign((size_t)pr.batch * pr.q_heads * D, 0.0);
    const double scale = 1.0 / std::sqrt((double)D);
    std::vector<double> sc;
    for (uint32_t b = 0; b < pr.batch; b++) {
        for (uint32_t h = 0; h < pr.kv_heads; h++) {
            int row = b * st.groups + h / hpp;
            int L = (int)lengths[row];
            const int32_t *pt = st.host_tables.data() + (size_t)row * st.max_pages;
            for (int g = 0; g < G; g++) {
                int qh = h * G + g;
                const __nv_bfloat16 *qv = q.data() + ((size_t)b * pr.q_heads + qh) * D;
                sc.assign(L, 0.0);
                double mx = -INFINITY;
                for (int t = 0; t < L; t++) {
                    size_t off = (((size_t)pt[t / B] * B + t % B) * hpp + h % hpp) * D;
                    double d = 0;
                    for (int i = 0; i < D; i++) d += (double)__bfloat162float(qv[i]) * __bfloat162float(k[off + i]);
                    sc[t] = d * scale;
                    mx = std::max(mx, sc[t]);
                }
                double sum = 0;
                for (int t = 0; t < L; t++) sum += (sc[t] = std::exp(sc[t] - mx));
                double *o = ref.data() + ((size_t)b * pr.q_heads + qh) * D;
                for (int t = 0; t < L; t++) {
                    size_t off = (((size_t)pt[t / B] * B + t % B) * hpp + h % hpp) * D;
                    for (int i = 0; i < D; i++) o[i] += sc[t] / sum * __bfloat162float(v[off + i]);
                }
            }
        }
    }
}

}  // namespace
}  // namespace tk

extern "C" int32_t tk_decode_attention(const tk_decode_problem *problem, const uint32_t *lengths,
                                       const tk_timing_options *options, tk_result *out) {
    using namespace tk;
    reset_result(out);
    const tk_decode_problem pr = *problem;
    TK_REQUIRE(pr.batch >= 1 && pr.kv_heads >= 1 && pr.q_heads >= pr.kv_heads, "batch, kv_heads and q_heads must be positive with q_heads >= kv_heads");
    TK_REQUIRE(pr.q_heads % pr.kv_heads == 0, "q_heads (%u) must be a multiple of kv_heads (%u)", pr.q_heads, pr.kv_heads);
    TK_REQUIRE(pr.heads_per_page >= 1 && pr.kv_heads % pr.heads_per_page == 0, "heads_per_page (%u) must divide kv_heads (%u)", pr.heads_per_page, pr.kv_heads);
    TK_REQUIRE(pr.page_tokens >= 1 && (pr.page_tokens & (pr.page_tokens - 1)) == 0, "page_tokens (%u) must be a power of two", pr.page_tokens);
    TK_REQUIRE(pr.split_mode <= TK_SPLIT_AHEAD_OF_TIME, "unknown split_mode %u", pr.split_mode);
    const int G = pr.q_heads / pr.kv_heads, D = pr.head_dim;
    const void *fn = nullptr;
    TK_TRY(kernel_for(D, G, (int)pr.split_mode, &fn));

    cudaStream_t s;
    TK_TRY(stream(&s));
    int sms = 0;
    TK_TRY(sm_count(&sms));

    DecodeSetup st;
    st.pr = pr;
    st.G = G;
    st.groups = pr.kv_heads / pr.heads_per_page;
    const int rows = pr.batch * st.groups;
    uint64_t pages = 0, token_heads = 0;
    uint32_t max_len = 0;
    for (int r = 0; r < rows; r++) {
        uint64_t np = ceil_div(lengths[r], pr.page_tokens);
        pages += np;
        st.max_pages = std::max<int>(st.max_pages, (int)np);
        token_heads += (uint64_t)lengths[r] * pr.heads_per_page;
        max_len = std::max(max_len, lengths[r]);
    }
    st.max_pages = std::max(st.max_pages, 1);
    st.pages_per_set = std::max<uint64_t>(pages, 1);
    const uint64_t page_elems = (uint64_t)pr.page_tokens * pr.heads_per_page * D;
    const uint64_t kv_bytes_per_set = 2 * st.pages_per_set * page_elems * sizeof(__nv_bfloat16);
    st.rotations = options->check && !options->time ? 1 : rotations_for(kv_bytes_per_set, options->rotate_bytes, 64);

    // Bytes a perfect kernel moves: the KV it reads, the page-table entries, q, the output.
    out->kv_tokens = token_heads;
    out->bytes = token_heads * D * 2 * sizeof(__nv_bfloat16) + pages * sizeof(int32_t) +
                 2 * (uint64_t)pr.batch * pr.q_heads * D * sizeof(__nv_bfloat16);
    out->flops = token_heads * (uint64_t)G * D * 4;
    out->rotations = st.rotations;

    // ---- inputs: q, K/V pools (pages scattered by a random permutation), page tables ----
    const size_t q_elems = (size_t)pr.batch * pr.q_heads * D;
    TK_TRY(st.q.allocate(q_elems * sizeof(__nv_bfloat16) * st.rotations, "q"));
    TK_TRY(st.k.allocate(st.rotations * st.pages_per_set * page_elems * sizeof(__nv_bfloat16), "K pool"));
    TK_TRY(st.v.allocate(st.rotations * st.pages_per_set * page_elems * sizeof(__nv_bfloat16), "V pool"));
    TK_TRY(fill_random_bf16(st.q.as<__nv_bfloat16>(), q_elems * st.rotations, options->seed * 3 + 1, 4.0f, s));
    TK_TRY(fill_random_bf16(st.k.as<__nv_bfloat16>(), st.rotations * st.pages_per_set * page_elems, options->seed * 3 + 2, 1.0f, s));
    TK_TRY(fill_random_bf16(st.v.as<__nv_bfloat16>(), st.rotations * st.pages_per_set * page_elems, options->seed * 3 + 3, 1.0f, s));
    st.host_tables.assign((size_t)st.rotations * rows * st.max_pages, 0);
    {
        std::vector<int32_t> perm = permutation(st.rotations * st.pages_per_set, options->seed ^ 0x5A17ull);
        size_t next = 0;
        for (uint32_t rot = 0; rot < st.rotations; rot++)
            for (int r = 0; r < rows; r++) {
                uint64_t np = ceil_div(lengths[r], pr.page_tokens);
                for (uint64_t i = 0; i < np; i++)
                    st.host_tables[((size_t)rot * rows + r) * st.max_pages + i] = perm[next++];
            }
    }
    TK_TRY(st.page_tables.allocate(st.host_tables.size() * sizeof(int32_t), "page tables"));
    TK_TRY(upload(st.page_tables.as<int32_t>(), st.host_tables));
    TK_TRY(st.lengths.allocate(rows * sizeof(uint32_t), "lengths"));
    TK_CUDA(cudaMemcpy(st.lengths.ptr, lengths, rows * sizeof(uint32_t), cudaMemcpyHostToDevice));
    TK_TRY(st.out.allocate(q_elems * sizeof(__nv_bfloat16), "output"));

    // ---- split plan ----
    const int bh_count = pr.batch * pr.kv_heads;
    std::vector<int32_t> base(bh_count), count(bh_count);
    std::vector<TableItem> table;
    int ctas = 0, max_splits = 1, per_request = 0;
    // Planner and ahead-of-time tables aim at two full waves: 2 x resident CTAs per SM x SMs.
    int resident = 0;
    TK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, fn, kDecodeThreads, 0));
    const int target_ctas = pr.splits ? (int)pr.splits : 2 * std::max(1, resident) * sms;
    size_t item_capacity = 0;
    PinnedBuffer host_plan;  // planner: base, count, items (PlanLayout)
    PlanLayout layout;
    if (pr.split_mode == TK_SPLIT_UNIFORM) {
        int splits = pr.splits ? (int)pr.splits
                               : flash_decoding_splits(bh_count, sms, (int)ceil_div(std::max<uint32_t>(max_len, 1), 64), 128);
        for (int bh = 0; bh < bh_count; bh++) {
            base[bh] = bh * splits;
            count[bh] = splits;
        }
        ctas = bh_count * splits;
        max_splits = splits;
        st.partial_slots = ctas;
    } else if (pr.split_mode == TK_SPLIT_AHEAD_OF_TIME) {
        per_request = std::max<int>(pr.kv_heads, target_ctas / (int)pr.batch);
        table = plan_ahead_of_time(lengths, pr.kv_heads, pr.heads_per_page, per_request);
        per_request = (int)table.size();
        std::vector<int32_t> head_first(pr.kv_heads, -1), head_count(pr.kv_heads, 0);
        for (auto &t : table) {
            if (head_first[t.head] < 0) head_first[t.head] = t.slot_offset;
            head_count[t.head]++;
            max_splits = std::max(max_splits, t.splits);
        }
        for (uint32_t b = 0; b < pr.batch; b++)
            for (uint32_t h = 0; h < pr.kv_heads; h++) {
                base[b * pr.kv_heads + h] = b * per_request + head_first[h];
                count[b * pr.kv_heads + h] = head_count[h];
            }
        ctas = pr.batch * per_request;
        st.partial_slots = ctas;
        TK_TRY(st.table.allocate(table.size() * sizeof(TableItem), "ahead-of-time table"));
        TK_CUDA(cudaMemcpy(st.table.ptr, table.data(), table.size() * sizeof(TableItem), cudaMemcpyHostToDevice));
    } else {
        item_capacity = plan_capacity(lengths, pr.batch, pr.kv_heads, pr.heads_per_page, st.groups);
        st.partial_slots = item_capacity;
        layout = PlanLayout(bh_count, item_capacity);
        TK_TRY(host_plan.allocate(layout.capacity_bytes, "planner staging"));
        TK_TRY(st.plan.allocate(layout.capacity_bytes, "planner upload"));
        st.merge_base = layout.base(st.plan.ptr);
        st.merge_count = layout.count(st.plan.ptr);
    }
    if (pr.split_mode != TK_SPLIT_PLANNER) {
        TK_TRY(st.base.allocate(bh_count * sizeof(int32_t), "merge base"));
        TK_TRY(st.count.allocate(bh_count * sizeof(int32_t), "merge count"));
        TK_TRY(upload(st.base.as<int32_t>(), base));
        TK_TRY(upload(st.count.as<int32_t>(), count));
        st.merge_base = st.base.as<int32_t>();
        st.merge_count = st.count.as<int32_t>();
    }
    TK_TRY(st.partial_o.allocate(std::max<size_t>(st.partial_slots, 1) * G * D * sizeof(float), "partial outputs"));
    TK_TRY(st.partial_lse.allocate(std::max<size_t>(st.partial_slots, 1) * G * sizeof(float), "partial lse"));

    // The planner, run on the host before every launch (its time is plan_s).
    int planned = 0;
    // time_launches drains the stream before calling this, so the staging buffer is free.
    auto plan_all = [&](uint32_t) -> int32_t {
        return plan_and_upload(lengths, pr.batch, pr.kv_heads, pr.heads_per_page, st.groups, target_ctas, layout,
                               host_plan.ptr, st.plan.ptr, s, &planned, &max_splits);
    };

    DecodeParams params{};
    params.kv_heads = pr.kv_heads;
    params.q_heads = pr.q_heads;
    params.hpp = pr.heads_per_page;
    params.groups = st.groups;
    params.max_pages = st.max_pages;
    params.page_shift = __builtin_ctz(pr.page_tokens);
    params.scale_log2 = (float)(1.0 / std::sqrt((double)D) * 1.4426950408889634);
    params.uniform_splits = max_splits;
    params.items = pr.split_mode == TK_SPLIT_PLANNER ? layout.items(st.plan.ptr) : nullptr;
    params.table = st.table.as<TableItem>();
    params.table_per_request = per_request;
    params.partial_o = st.partial_o.as<float>();
    params.partial_lse = st.partial_lse.as<float>();
    params.lengths = st.lengths.as<uint32_t>();

    auto launch = [&](uint32_t r) -> int32_t {
        const uint32_t rot = r % st.rotations;
        DecodeParams pp = params;
        pp.q = st.q.as<__nv_bfloat16>() + (size_t)rot * q_elems;
        pp.k_pool = st.k.as<__nv_bfloat16>();
        pp.v_pool = st.v.as<__nv_bfloat16>();
        pp.page_table = st.page_tables.as<int32_t>() + (size_t)rot * rows * st.max_pages;
        int n = pr.split_mode == TK_SPLIT_PLANNER ? planned : ctas;
        TK_TRY(launch_split(fn, n, pp, s));
        TK_TRY(launch_merge(G, bh_count, st, s));
        return TK_OK;
    };

    if (options->check) {
        if (pr.split_mode == TK_SPLIT_PLANNER) TK_TRY(plan_all(0));
        TK_TRY(poison(st.out.ptr, st.out.bytes, s));
        TK_TRY(poison(st.partial_o.ptr, st.partial_o.bytes, s));
        TK_TRY(poison(st.partial_lse.ptr, st.partial_lse.bytes, s));
        TK_TRY(launch(0));
        TK_CUDA(cudaStreamSynchronize(s));
        std::vector<__nv_bfloat16> hq, hk, hv, ho;
        TK_TRY(download(hq, st.q.as<__nv_bfloat16>(), q_elems));
        TK_TRY(download(hk, st.k.as<__nv_bfloat16>(), st.pages_per_set * page_elems * st.rotations));
        TK_TRY(download(hv, st.v.as<__nv_bfloat16>(), st.pages_per_set * page_elems * st.rotations));
        TK_TRY(download(ho, st.out.as<__nv_bfloat16>(), q_elems));
        std::vector<double> ref;
        decode_reference(st, hq, hk, hv, lengths, ref);
        std::vector<float> got(ho.size());
        for (size_t i = 0; i < ho.size(); i++) got[i] = __bfloat162float(ho[i]);
        out->nonfinite_outputs = count_nonfinite(ho);
        out->check_rel_error = relative_error(got, ref);
    }
    if (options->time) {
        std::function<int32_t(uint32_t)> before;
        if (pr.split_mode == TK_SPLIT_PLANNER) before = plan_all;
        TK_TRY(time_launches(*options, s, launch, before, out));
    }
    if (pr.split_mode == TK_SPLIT_PLANNER) {
        int widest = 1;
        ctas = plan_balanced(lengths, pr.batch, pr.kv_heads, pr.heads_per_page, st.groups, target_ctas,
                             layout.items(host_plan.ptr), layout.base(host_plan.ptr), layout.count(host_plan.ptr),
                             &widest);
        max_splits = widest;
    }
    out->ctas = (uint32_t)ctas;
    out->max_splits = (uint32_t)max_splits;
    return TK_OK;
}

extern "C" int32_t tk_decode_planner(const tk_decode_problem *problem, const uint32_t *lengths,
                                     const tk_timing_options *options, tk_result *out) {
    using namespace tk;
    reset_result(out);
    const tk_decode_problem pr = *problem;
    TK_REQUIRE(pr.batch >= 1 && pr.kv_heads >= 1 && pr.q_heads >= pr.kv_heads, "batch, kv_heads and q_heads must be positive with q_heads >= kv_heads");
    TK_REQUIRE(pr.q_heads % pr.kv_heads == 0, "q_heads (%u) must be a multiple of kv_heads (%u)", pr.q_heads, pr.kv_heads);
    TK_REQUIRE(pr.heads_per_page >= 1 && pr.kv_heads % pr.heads_per_page == 0, "heads_per_page (%u) must divide kv_heads (%u)", pr.heads_per_page, pr.kv_heads);
    TK_REQUIRE(options->repeats >= 1, "repeats must be at least 1");
    const int G = pr.q_heads / pr.kv_heads, D = pr.head_dim;
    const void *fn = nullptr;
    TK_TRY(kernel_for(D, G, 1, &fn));  // the planner kernel's occupancy sets the CTA target
    cudaStream_t s;
    TK_TRY(stream(&s));
    int sms = 0;
    TK_TRY(sm_count(&sms));
    int resident = 0;
    TK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, fn, kDecodeThreads, 0));
    const int target_ctas = pr.splits ? (int)pr.splits : 2 * std::max(1, resident) * sms;
    const int groups = pr.kv_heads / pr.heads_per_page, rows = pr.batch * groups;
    const int bh_count = pr.batch * pr.kv_heads;
    uint64_t token_heads = 0;
    for (int r = 0; r < rows; r++) token_heads += (uint64_t)lengths[r] * pr.heads_per_page;
    const PlanLayout layout(bh_count, plan_capacity(lengths, pr.batch, pr.kv_heads, pr.heads_per_page, groups));

    // Grow-only staging and device buffers kept for the life of the process, so that no
    // allocation happens near the timed calls (never freed: they must outlive any CUDA teardown).
    static void *host = nullptr, *device = nullptr;
    static size_t capacity = 0;
    if (capacity < layout.capacity_bytes) {
        if (host) cudaFreeHost(host);
        if (device) cudaFree(device);
        host = device = nullptr;
        capacity = 0;
        TK_CUDA(cudaMallocHost(&host, layout.capacity_bytes));
        TK_CUDA(cudaMalloc(&device, layout.capacity_bytes));
        capacity = layout.capacity_bytes;
    }

    // Pin the calling thread to the CPU it runs on while timing (no migration mid-sample); the
    // previous affinity is restored on every return.
    struct Pin {
        cpu_set_t previous;
        bool pinned = false;
        Pin() {
            const int cpu = sched_getcpu();
            if (cpu < 0 || pthread_getaffinity_np(pthread_self(), sizeof previous, &previous) != 0) return;
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pinned = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
        }
        ~Pin() {
            if (pinned) pthread_setaffinity_np(pthread_self(), sizeof previous, &previous);
        }
    } pin;

    int planned = 0, widest = 1;
    auto call = [&]() -> int32_t {
        return plan_and_upload(lengths, pr.batch, pr.kv_heads, pr.heads_per_page, groups, target_ctas, layout, host,
                               device, s, &planned, &widest);
    };
    TK_CUDA(cudaStreamSynchronize(s));
    for (uint32_t w = 0; w < options->warmup; w++) TK_TRY(call());
    TK_CUDA(cudaStreamSynchronize(s));
    // Each sample: K back-to-back calls (the copies read the same bytes the next call rewrites
    // identically, so nothing waits on them); the stream is drained between samples, untimed.
    const uint32_t n = options->repeats, K = TK_PLANNER_CALLS_PER_SAMPLE;
    std::vector<double> t(n);
    double sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        const auto t0 = std::chrono::steady_clock::now();
        for (uint32_t k = 0; k < K; k++) TK_TRY(call());
        t[r] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / K;
        sum += t[r];
        TK_CUDA(cudaStreamSynchronize(s));
    }
    current_clocks(&out->sm_clock_mhz, &out->mem_clock_mhz);
    std::sort(t.begin(), t.end());
    size_t p90 = (size_t)std::ceil(0.9 * n);
    p90 = p90 == 0 ? 0 : p90 - 1;
    out->median_s = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    out->p90_s = t[std::min<size_t>(p90, n - 1)];
    out->min_s = t.front();
    out->mean_s = sum / n;
    out->plan_s = out->median_s;
    out->repeats = n;
    out->rotations = 1;
    out->ctas = (uint32_t)planned;
    out->max_splits = (uint32_t)widest;
    out->kv_tokens = token_heads;
    out->bytes = layout.bytes(planned);
    out->flops = 0;
    return TK_OK;
}
