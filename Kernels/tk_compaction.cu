// Page compaction, the reclaim path of head-wise KV compression: gather each head's kept tokens
// out of monolithic pages (all KV heads per page) into fresh ragged pages (H_p heads per page, one
// page table per (request, group)). The host allocates the fresh pages from a free list and builds
// their page tables on every call (timed as plan_s); the device copies K and V.
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tk_common.cuh"

#include <deque>

namespace tk {
namespace {

constexpr int kCompactThreads = 128;
constexpr int kTokensPerCta = 64;

struct CompactParams {
    const __nv_bfloat16 *__restrict__ src_k;  // [page][B][kv_heads][D]
    const __nv_bfloat16 *__restrict__ src_v;
    __nv_bfloat16 *__restrict__ dst_k;        // [page][B][hpp][D]
    __nv_bfloat16 *__restrict__ dst_v;
    const int32_t *__restrict__ src_table;    // [batch][src_max_pages]
    const int32_t *__restrict__ dst_table;    // [batch * groups][dst_max_pages]
    const int32_t *__restrict__ kept_index;   // [batch][kv_heads][max_kept]: source token of each kept slot
    const uint32_t *__restrict__ kept;        // [batch * groups]
    int src_max_pages, dst_max_pages, max_kept;
    int kv_heads, hpp, groups, page_shift, head_dim;
};

/// One CTA copies up to kTokensPerCta kept tokens of one (request, KV head); D/8 lanes per token.
__global__ void __launch_bounds__(kCompactThreads) compact_kernel(CompactParams p) {
    const int bh = blockIdx.y;
    const int b = bh / p.kv_heads, h = bh % p.kv_heads;
    const int g = h / p.hpp, hin = h % p.hpp;
    const int n = (int)p.kept[b * p.groups + g];
    const int tpt = p.head_dim / 8;
    const int per_pass = kCompactThreads / tpt;
    const int tl = threadIdx.x % tpt;
    const int mask = (1 << p.page_shift) - 1;
    const int32_t *idx = p.kept_index + (size_t)bh * p.max_kept;
    const int32_t *st = p.src_table + (size_t)b * p.src_max_pages;
    const int32_t *dt = p.dst_table + (size_t)(b * p.groups + g) * p.dst_max_pages;
    const int first = blockIdx.x * kTokensPerCta;
    const int last = min(n, first + kTokensPerCta);
    for (int i = first + (int)threadIdx.x / tpt; i < last; i += per_pass) {
        int t = idx[i];
        size_t so = ((((size_t)st[t >> p.page_shift] << p.page_shift) + (t & mask)) * p.kv_heads + h) * p.head_dim + tl * 8;
        size_t d_ = ((((size_t)dt[i >> p.page_shift] << p.page_shift) + (i & mask)) * p.hpp + hin) * p.head_dim + tl * 8;
        uint4 kv = *reinterpret_cast<const uint4 *>(p.src_k + so);
        uint4 vv = *reinterpret_cast<const uint4 *>(p.src_v + so);
        *reinterpret_cast<uint4 *>(p.dst_k + d_) = kv;
        *reinterpret_cast<uint4 *>(p.dst_v + d_) = vv;
    }
}

/// Which tokens a head keeps does not change the bytes moved; a deterministic spread stands in for
/// the scorer's choice: slot i of a head that keeps n of L tokens holds token floor(i * L / n).
__global__ void kept_index_kernel(int32_t *dst, const uint32_t *kept, int batch, int kv_heads, int hpp,
                                  int groups, int max_kept, int context) {
    size_t total = (size_t)batch * kv_heads * max_kept;
    for (size_t e = (size_t)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (size_t)gridDim.x * blockDim.x) {
        int i = (int)(e % max_kept);
        int bh = (int)(e / max_kept);
        int b = bh / kv_heads, h = bh % kv_heads;
        int n = (int)kept[b * groups + h / hpp];
        dst[e] = i < n ? (int32_t)(((int64_t)i * context) / n) : 0;
    }
}

}  // namespace
}  // namespace tk

extern "C" int32_t tk_compaction(const tk_compaction_problem *problem, const uint32_t *kept,
                                 const tk_timing_options *options, tk_result *out) {
    using namespace tk;
    reset_result(out);
    const tk_compaction_problem pr = *problem;
    TK_REQUIRE(pr.head_dim == 64 || pr.head_dim == 128 || pr.head_dim == 256, "compaction supports head_dim 64/128/256, got %u", pr.head_dim);
    TK_REQUIRE(pr.batch >= 1 && pr.kv_heads >= 1 && pr.heads_per_page >= 1 && pr.kv_heads % pr.heads_per_page == 0, "heads_per_page must divide kv_heads");
    TK_REQUIRE(pr.page_tokens >= 1 && (pr.page_tokens & (pr.page_tokens - 1)) == 0, "page_tokens must be a power of two");
    TK_REQUIRE(pr.context_tokens >= 1 && pr.context_tokens < (1ull << 30), "context_tokens out of range");
    const int groups = pr.kv_heads / pr.heads_per_page;
    const int rows = pr.batch * groups;
    uint32_t max_kept = 1;
    uint64_t dst_pages = 0, token_heads = 0;
    for (int r = 0; r < rows; r++) {
        TK_REQUIRE(kept[r] <= pr.context_tokens, "kept[%d] = %u exceeds context_tokens", r, kept[r]);
        max_kept = std::max(max_kept, kept[r]);
        dst_pages += ceil_div(kept[r], pr.page_tokens);
        token_heads += (uint64_t)kept[r] * pr.heads_per_page;
    }
    cudaStream_t s;
    TK_TRY(stream(&s));
    const int D = pr.head_dim, B = pr.page_tokens;
    const int src_max_pages = (int)ceil_div(pr.context_tokens, B);
    const int dst_max_pages = (int)ceil_div(max_kept, B);
    const uint64_t src_pages = (uint64_t)pr.batch * src_max_pages;
    const uint64_t src_page_elems = (uint64_t)B * pr.kv_heads * D;
    const uint64_t dst_page_elems = (uint64_t)B * pr.heads_per_page * D;
    const uint64_t moved = token_heads * D * 2 * 2;  // K and V, bf16
    const uint32_t rot = options->check && !options->time ? 1 : rotations_for(2 * moved, options->rotate_bytes, 16);

    out->kv_tokens = token_heads;
    out->bytes = 2 * moved + token_heads * 4 + dst_pages * 4;
    out->rotations = rot;

    DeviceBuffer sk, sv, dk, dv, stab, dtab, idx, keptd;
    TK_TRY(sk.allocate(rot * src_pages * src_page_elems * 2, "compaction source K"));
    TK_TRY(sv.allocate(rot * src_pages * src_page_elems * 2, "compaction source V"));
    TK_TRY(dk.allocate(rot * dst_pages * dst_page_elems * 2, "compaction destination K"));
    TK_TRY(dv.allocate(rot * dst_pages * dst_page_elems * 2, "compaction destination V"));
    TK_TRY(fill_random_bf16(sk.as<__nv_bfloat16>(), rot * src_pages * src_page_elems, options->seed * 7 + 1, 1.0f, s));
    TK_TRY(fill_random_bf16(sv.as<__nv_bfloat16>(), rot * src_pages * src_page_elems, options->seed * 7 + 2, 1.0f, s));
    std::vector<int32_t> src_tables = permutation(rot * src_pages, options->seed ^ 0xC0DEull);
    TK_TRY(stab.allocate(src_tables.size() * 4, "compaction source tables"));
    TK_TRY(upload(stab.as<int32_t>(), src_tables));
    TK_TRY(keptd.allocate(rows * 4, "kept counts"));
    TK_CUDA(cudaMemcpy(keptd.ptr, kept, rows * 4, cudaMemcpyHostToDevice));
    TK_TRY(idx.allocate((size_t)pr.batch * pr.kv_heads * max_kept * 4, "kept indices"));
    kept_index_kernel<<<1024, 256, 0, s>>>(idx.as<int32_t>(), keptd.as<uint32_t>(), pr.batch, pr.kv_heads,
                                            pr.heads_per_page, groups, (int)max_kept, (int)pr.context_tokens);
    TK_LAUNCHED("kept_index_kernel");

    // Destination pages: a free list over rotation sets; each call pops fresh pages for every
    // (request, group), writes the page tables, and returns the previous call's pages.
    const size_t table_entries = (size_t)rows * dst_max_pages;
    TK_TRY(dtab.allocate(rot * table_entries * 4, "compaction destination tables"));
    PinnedBuffer staging;
    TK_TRY(staging.allocate(table_entries * 4, "destination table staging"));
    // FIFO, so that consecutive calls write different pages (rotation beyond L2).
    std::vector<int32_t> shuffled = permutation(rot * dst_pages, options->seed ^ 0xF4EEull);
    std::deque<int32_t> free_list(shuffled.begin(), shuffled.end());
    std::vector<int32_t> in_use;
    in_use.reserve(dst_pages);
    // time_launches drains the stream before calling this, so the staging buffer is free.
    auto build_tables = [&](uint32_t r) -> int32_t {
        for (int32_t pg : in_use) free_list.push_back(pg);
        in_use.clear();
        int32_t *t = staging.as<int32_t>();
        for (int row = 0; row < rows; row++) {
            uint64_t np = ceil_div(kept[row], B);
            for (uint64_t i = 0; i < (uint64_t)dst_max_pages; i++) {
                int32_t pg = 0;
                if (i < np) {
                    pg = free_list.front();
                    free_list.pop_front();
                    in_use.push_back(pg);
                }
                t[(size_t)row * dst_max_pages + i] = pg;
            }
        }
        TK_CUDA(cudaMemcpyAsync(dtab.as<int32_t>() + (size_t)(r % rot) * table_entries, t, table_entries * 4,
                                cudaMemcpyHostToDevice, s));
        return TK_OK;
    };

    CompactParams params{};
    params.src_k = sk.as<__nv_bfloat16>();
    params.src_v = sv.as<__nv_bfloat16>();
    params.dst_k = dk.as<__nv_bfloat16>();
    params.dst_v = dv.as<__nv_bfloat16>();
    params.kept_index = idx.as<int32_t>();
    params.kept = keptd.as<uint32_t>();
    params.src_max_pages = src_max_pages;
    params.dst_max_pages = dst_max_pages;
    params.max_kept = (int)max_kept;
    params.kv_heads = pr.kv_heads;
    params.hpp = pr.heads_per_page;
    params.groups = groups;
    params.page_shift = __builtin_ctz(pr.page_tokens);
    params.head_dim = D;
    const dim3 grid((unsigned)ceil_div(max_kept, kTokensPerCta), (unsigned)(pr.batch * pr.kv_heads));
    out->ctas = grid.x * grid.y;
    out->max_splits = 1;
    auto launch = [&](uint32_t r) -> int32_t {
        CompactParams pp = params;
        pp.src_table = stab.as<int32_t>() + (size_t)(r % rot) * src_pages;
        pp.dst_table = dtab.as<int32_t>() + (size_t)(r % rot) * table_entries;
        compact_kernel<<<grid, kCompactThreads, 0, s>>>(pp);
        TK_LAUNCHED("compact_kernel");
        return TK_OK;
    };

    if (options->check) {
        TK_TRY(build_tables(0));
        TK_TRY(poison(dk.ptr, dk.bytes, s));
        TK_TRY(poison(dv.ptr, dv.bytes, s));
        TK_TRY(launch(0));
        TK_CUDA(cudaStreamSynchronize(s));
        std::vector<__nv_bfloat16> hsk, hsv, hdk, hdv;
        std::vector<int32_t> hidx, hdt;
        TK_TRY(download(hsk, sk.as<__nv_bfloat16>(), rot * src_pages * src_page_elems));
        TK_TRY(download(hsv, sv.as<__nv_bfloat16>(), rot * src_pages * src_page_elems));
        TK_TRY(download(hdk, dk.as<__nv_bfloat16>(), rot * dst_pages * dst_page_elems));
        TK_TRY(download(hdv, dv.as<__nv_bfloat16>(), rot * dst_pages * dst_page_elems));
        TK_TRY(download(hidx, idx.as<int32_t>(), (size_t)pr.batch * pr.kv_heads * max_kept));
        TK_TRY(download(hdt, dtab.as<int32_t>(), table_entries));
        // Exact copy expected: compare every kept element bit for bit; also check the index spread.
        uint64_t mismatches = 0, checked = 0, nonfinite = 0;
        for (uint32_t b = 0; b < pr.batch; b++)
            for (uint32_t h = 0; h < pr.kv_heads; h++) {
                int g = h / pr.heads_per_page, hin = h % pr.heads_per_page;
                int n = (int)kept[b * groups + g];
                for (int i = 0; i < n; i++) {
                    int t = hidx[((size_t)b * pr.kv_heads + h) * max_kept + i];
                    int expect_t = (int)(((int64_t)i * pr.context_tokens) / n);
                    if (t != expect_t) mismatches++;
                    size_t so = (((size_t)src_tables[(size_t)b * src_max_pages + t / B] * B + t % B) * pr.kv_heads + h) * D;
                    size_t d_ = (((size_t)hdt[((size_t)b * groups + g) * dst_max_pages + i / B] * B + i % B) * pr.heads_per_page + hin) * D;
                    for (int e = 0; e < D; e++) {
                        checked++;
                        if (!std::isfinite(__bfloat162float(hdk[d_ + e])) || !std::isfinite(__bfloat162float(hdv[d_ + e]))) nonfinite++;
                        if (memcmp(&hsk[so + e], &hdk[d_ + e], 2) != 0 || memcmp(&hsv[so + e], &hdv[d_ + e], 2) != 0) mismatches++;
                    }
                }
            }
        out->nonfinite_outputs = nonfinite;
        out->check_rel_error = checked == 0 ? 0.0 : (double)mismatches / (double)checked;
    }
    if (options->time) TK_TRY(time_launches(*options, s, launch, build_tables, out));
    return TK_OK;
}
