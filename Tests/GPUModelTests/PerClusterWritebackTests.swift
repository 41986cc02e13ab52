import Foundation
import Testing

@testable import GPUModel

/// The fork's earlier per-cluster write-back: its composition, its agreement with the run it was
/// fitted to, and how the cost model swaps it for the batched write-back.
@Suite struct PerClusterWritebackTests {
    static let csvPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("calibrations/h200-reclaim-writeback.csv").path

    @Test func eachClusterCostsTheSlowerOfHostAndDevice() {
        let p = PerClusterWriteback(
            fixedSeconds: 1, perClusterHostSeconds: 10, perClusterDeviceSeconds: 2, perClusterTokenSeconds: 0.01,
            measuredBandwidthBytesPerSecond: 4, replacedBatchedFixedSeconds: 0, replacedBatchedPerLayerSeconds: 0)
        // Host-bound: 2 + 0.01 x 100 = 3 < 10 at the measured bandwidth.
        #expect(p.seconds(boundaries: 2, clustersPerGPU: 3, meanTokensPerCluster: 100, bandwidthBytesPerSecond: 4)
            == 2 * (1 + 3 * 10))
        // Device-bound: 2 + 0.01 x 2000 = 22 > 10; at half the bandwidth twice as long.
        #expect(p.seconds(boundaries: 1, clustersPerGPU: 3, meanTokensPerCluster: 2000, bandwidthBytesPerSecond: 4)
            == 1 + 3 * 22)
        #expect(p.seconds(boundaries: 1, clustersPerGPU: 3, meanTokensPerCluster: 2000, bandwidthBytesPerSecond: 2)
            == 1 + 3 * 44)
        #expect(p.seconds(boundaries: 0, clustersPerGPU: 3, meanTokensPerCluster: 2000, bandwidthBytesPerSecond: 2) == 0)
    }

    /// The fitted constant predicts every measured row within 16 % (5 % rms).
    @Test func measuredModelReproducesTheMeasurements() throws {
        let text = try String(contentsOfFile: Self.csvPath, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "\(name)") }
        let (c, t, wall) = (try column("clusters"), try column("total_seen"), try column("wall_median_us"))
        let p = PerClusterWriteback.measuredH200Fork
        var errors: [Double] = []
        for line in lines.dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            let predicted = p.seconds(boundaries: 1, clustersPerGPU: f[c], meanTokensPerCluster: f[t],
                                      bandwidthBytesPerSecond: p.measuredBandwidthBytesPerSecond)
            errors.append(abs(predicted * 1e6 - f[wall]) / f[wall])
        }
        #expect(errors.count == 32)
        #expect(errors.max()! < 0.16, "\(errors)")
        #expect((errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot() < 0.06)
    }

    /// In the cost model the per-cluster loop replaces the batched path's compaction kernel and
    /// its launches; everything else of reclaim is the same.
    @Test func costModelSwapsTheWriteback() {
        let model = ModelCatalog.qwen3_4b, gpu = GPUCatalog.a100_80gb
        // Page groups of 4 KV heads, the paper's H_p: 36 layers x 2 groups = 72 clusters.
        let layout = KVLayoutDescriptor(name: "hp4", fullLayerCount: model.fullAttentionLayerCount,
                                        kvHeadsPerLayer: model.kvHeads, cellBudgets: nil, cellGroups: nil,
                                        headsPerGroup: 4)
        var w = StepWorkload()
        w.prefillTokens = 2048
        w.prefillSequences = 1
        w.reclaimCopyBytes = 2048 * 0.25 * Double(model.kvBytesPerTokenPerLayer * model.fullAttentionLayerCount)
        w.reclaimedPages = 100
        w.reclaimBoundaries = 1
        w.reclaimSeenTokensPerCluster = 10_000
        w.reclaimRowBlocks = 12_500
        w.reclaimPoolBlocksPerGPU = 100_000
        let batched = KernelCostModel(model: model, gpu: gpu, layout: layout).stepCost(w)
        let loop = KernelCostModel(model: model, gpu: gpu, layout: layout, reclaimWriteback: .perCluster).stepCost(w)
        #expect(loop.gemmSeconds == batched.gemmSeconds && loop.prefillAttentionSeconds == batched.prefillAttentionSeconds)
        let p = PerClusterWriteback.measuredH200Fork
        let clusters = Double(model.fullAttentionLayerCount * model.kvHeads / 4)
        let h = ReclaimHostCoefficients.measuredH200Host
        let c = KernelCoefficients.specDerived(for: gpu).compaction
        let kernel = Double(model.fullAttentionLayerCount) * c.launchSeconds
            + 2 * w.reclaimCopyBytes / (gpu.memoryBandwidthBytesPerSecond * c.memoryFraction)
        let replaced = p.replacedBatchedFixedSeconds + Double(model.fullAttentionLayerCount) * p.replacedBatchedPerLayerSeconds
        let expected = batched.reclaimSeconds - kernel - replaced
            + p.seconds(boundaries: 1, clustersPerGPU: clusters, meanTokensPerCluster: 10_000,
                        bandwidthBytesPerSecond: gpu.memoryBandwidthBytesPerSecond)
        #expect(abs(loop.reclaimSeconds - expected) < 1e-12, "\(loop.reclaimSeconds) vs \(expected)")
        #expect(h.boundaryFixedSeconds > p.replacedBatchedFixedSeconds)
        #expect(loop.reclaimSeconds > 5 * batched.reclaimSeconds)
    }
}
