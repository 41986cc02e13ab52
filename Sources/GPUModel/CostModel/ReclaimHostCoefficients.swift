/// Host (CPU) time of compress-and-reclaim: what a dynamic policy's engine does on the host after
/// a compressed chunk, besides the GPU compaction itself.
///
/// The model follows the released Tangram code's reclaim path (aiha-lab/TANGRAM, the vLLM 0.11.1
/// fork), traced function by function:
/// - per request at each compression boundary, after the forward pass: device syncs (three
///   `.cpu()` reads and four blocking host-to-device copies), the kept counts of every
///   (layer, group) cluster (`kept_lengths_from_demand`), the eviction plan and the batched
///   write-back launches (`CompressionExecutor.run_request`, per compressed layer), and the
///   block-table compaction, one mask over the request's whole row of `clusters x row blocks`
///   entries (`RaggedBlockTable.compact_after_compress_all_layers`);
/// - once per step that frees pages: the sorted unique freed ids, the manager's free (a bitmap
///   over the pool) and the pool's ring append, linear in the pages and the pool size.
///
/// ``measuredH200Host`` holds the fit to those functions timed on the lent H200 machine's host
/// (calibrations/h200-reclaim-host.csv, written by Kernels/reclaim_host_bench.py; fitted by
/// scripts/fit-reclaim-host.py). Like FlashInfer's planning it is a host cost, so it is used
/// for every GPU.
public struct ReclaimHostCoefficients: Sendable, Hashable, Codable {
    /// Per request boundary: the parts that do not grow with the model (syncs, launches), seconds.
    public var boundaryFixedSeconds: Double
    /// Per request boundary and compressed (full-attention) layer, seconds.
    public var boundaryPerLayerSeconds: Double
    /// Per request boundary and (layer, group) cluster on the GPU, seconds.
    public var boundaryPerGroupSeconds: Double
    /// Per request boundary and block-table entry of the request's row (clusters x row blocks),
    /// seconds.
    public var boundaryPerRowEntrySeconds: Double
    /// Per step that frees pages, seconds.
    public var stepFixedSeconds: Double
    /// Per page freed in the step, seconds.
    public var perPageSeconds: Double
    /// Per block of the GPU's page pool, in each step that frees pages, seconds.
    public var perPoolBlockSeconds: Double

    public init(boundaryFixedSeconds: Double, boundaryPerLayerSeconds: Double, boundaryPerGroupSeconds: Double,
                boundaryPerRowEntrySeconds: Double, stepFixedSeconds: Double, perPageSeconds: Double,
                perPoolBlockSeconds: Double) {
        self.boundaryFixedSeconds = boundaryFixedSeconds
        self.boundaryPerLayerSeconds = boundaryPerLayerSeconds
        self.boundaryPerGroupSeconds = boundaryPerGroupSeconds
        self.boundaryPerRowEntrySeconds = boundaryPerRowEntrySeconds
        self.stepFixedSeconds = stepFixedSeconds
        self.perPageSeconds = perPageSeconds
        self.perPoolBlockSeconds = perPoolBlockSeconds
    }

    /// The released code's reclaim functions timed on the lent H200 machine's host, 2026-11-29
    /// (calibrations/h200-reclaim-host.csv; `python3 scripts/fit-reclaim-host.py` prints these).
    /// Boundary: 453.7 µs (kept counts 6.1 + plan and Triton write-back launches 356.8 + expansion
    /// 2.9 + compaction -4.0 + syncs 92.0) + 29.9 µs per layer + 4.52 µs per cluster + 0.887 ns
    /// per row entry; fits within 0.4 %, 0.8 % and 9.3 % rms. Step: 3.3 µs + 151 ns per freed
    /// page + 0.049 ns per pool block (10.5 % rms).
    public static let measuredH200Host = ReclaimHostCoefficients(
        boundaryFixedSeconds: 453.7e-6, boundaryPerLayerSeconds: 29.89e-6, boundaryPerGroupSeconds: 4.521e-6,
        boundaryPerRowEntrySeconds: 0.8871e-9, stepFixedSeconds: 3.301e-6, perPageSeconds: 151.2e-9,
        perPoolBlockSeconds: 0.04904e-9)

    /// Host seconds of one step's reclaim.
    ///
    /// - Parameters:
    ///   - boundaries: requests that reached a compression boundary this step.
    ///   - layers: compressed layers; `groupsPerGPU`: (layer, group) clusters one GPU holds.
    ///   - rowBlocks: the block table's row width in blocks (`max_model_len / block size`).
    ///   - pagesPerGPU: pages freed on one GPU; `poolBlocksPerGPU`: its pool.
    public func seconds(boundaries: Int, layers: Int, groupsPerGPU: Double, rowBlocks: Int, pagesPerGPU: Double,
                        poolBlocksPerGPU: Int) -> Double {
        var s = 0.0
        if boundaries > 0 {
            s += Double(boundaries) * (boundaryFixedSeconds + Double(layers) * boundaryPerLayerSeconds
                + groupsPerGPU * (boundaryPerGroupSeconds + Double(rowBlocks) * boundaryPerRowEntrySeconds))
        }
        if pagesPerGPU > 0 {
            s += stepFixedSeconds + pagesPerGPU * perPageSeconds + Double(poolBlocksPerGPU) * perPoolBlockSeconds
        }
        return s
    }
}
