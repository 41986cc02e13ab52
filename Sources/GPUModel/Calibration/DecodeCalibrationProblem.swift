/// The shape of one measured decode-attention call, enough to rebuild its thread blocks exactly
/// as the CUDA runner's kernel cut them (Kernels/tk_decode.cu).
public struct DecodeCalibrationProblem: Sendable, Hashable {
    /// Requests.
    public var batch: Int
    /// Query heads and KV heads.
    public var queryHeads: Int
    public var kvHeads: Int
    /// Head dimension.
    public var headDim: Int
    /// KV heads per page group (H_p).
    public var headsPerPage: Int
    /// How the kernel split the KV: `.flashDecoding` (uniform), `.flashInfer` (host planner) or
    /// `.aheadOfTime`.
    public var partition: DecodePartition
    /// Uniform mode: the split count every (request, KV head) got.
    public var uniformSplits: Int
    /// CTAs the kernel reported (a consistency check of the rebuild).
    public var reportedCTAs: Int
    /// Tokens of every (request, page group), request-major.
    public var groupLengths: [Int]
    /// CTAs the runner's planner and ahead-of-time table aim at (2 waves of its resident CTAs).
    public var targetCTAs: Int

    public init(
        batch: Int, queryHeads: Int, kvHeads: Int, headDim: Int, headsPerPage: Int, partition: DecodePartition,
        uniformSplits: Int, reportedCTAs: Int, groupLengths: [Int], targetCTAs: Int
    ) {
        self.batch = batch
        self.queryHeads = queryHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.headsPerPage = headsPerPage
        self.partition = partition
        self.uniformSplits = uniformSplits
        self.reportedCTAs = reportedCTAs
        self.groupLengths = groupLengths
        self.targetCTAs = targetCTAs
    }

    /// Page groups per request.
    public var groups: Int { kvHeads / max(headsPerPage, 1) }

    /// Tokens of (request `b`, KV head `h`).
    @inline(__always)
    func length(request b: Int, head h: Int) -> Int { groupLengths[b * groups + h / max(headsPerPage, 1)] }

    /// Smallest token range the runner's planner and table give a split.
    public static let runnerMinChunkTokens = 256

    /// The runner's proportional rule: `floor(target x L / total)` splits, at least 1, none
    /// shorter than ``runnerMinChunkTokens``.
    public static func proportionalSplits(length: Int, total: Int, target: Int) -> Int {
        guard total > 0, length > 0 else { return 1 }
        let s = min(target * length / total, SplitKVPlanner.ceilDiv(length, runnerMinChunkTokens))
        return max(1, s)
    }

    /// KV tokens of every CTA in launch order, as Kernels/tk_decode.cu cuts them: every split of
    /// a head of `L` tokens into `s` covers `ceil(L / s)` rounded up to 16 tokens; uniform mode
    /// gives every head ``uniformSplits``; the planner gives each (request, head) its
    /// ``proportionalSplits(length:total:target:)`` of ``targetCTAs`` over the batch; the
    /// ahead-of-time table gives each head its proportional share of
    /// `max(kvHeads, targetCTAs / batch)` by request 0's lengths.
    public func ctaTokens() -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(reportedCTAs)
        func pieces(_ length: Int, splits: Int) {
            let chunk = (SplitKVPlanner.ceilDiv(max(length, 1), splits) + 15) & ~15
            var start = 0
            for _ in 0..<splits {
                out.append(max(0, min(chunk, length - start)))
                start += chunk
            }
        }
        switch partition {
        case .balanced, .flashDecoding:
            for b in 0..<batch {
                for h in 0..<kvHeads { pieces(length(request: b, head: h), splits: max(1, uniformSplits)) }
            }
        case .flashInfer:
            var total = 0
            for b in 0..<batch { for h in 0..<kvHeads { total += length(request: b, head: h) } }
            for b in 0..<batch {
                for h in 0..<kvHeads {
                    let l = length(request: b, head: h)
                    pieces(l, splits: Self.proportionalSplits(length: l, total: total, target: targetCTAs))
                }
            }
        case .aheadOfTime:
            let perRequest = max(kvHeads, targetCTAs / max(batch, 1))
            var total = 0
            for h in 0..<kvHeads { total += length(request: 0, head: h) }
            let splits = (0..<kvHeads).map {
                Self.proportionalSplits(length: length(request: 0, head: $0), total: total, target: perRequest)
            }
            for b in 0..<batch { for h in 0..<kvHeads { pieces(length(request: b, head: h), splits: splits[h]) } }
        }
        return out
    }

    /// Bytes the merge kernel moves for `ctas` partial results (fp32 output and log-sum-exp per
    /// query head), plus the bf16 output.
    public func mergeBytes(ctas: Int) -> Double {
        let g = Double(queryHeads / max(kvHeads, 1)), d = Double(headDim)
        return Double(ctas) * g * (d + 1) * 4 + Double(batch * queryHeads) * d * 2
    }
}
