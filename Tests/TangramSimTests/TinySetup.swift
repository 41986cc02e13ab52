import GPUModel
import Workloads

@testable import TangramSim

/// A two-layer toy model on a GPU sized so that the KV pool has exactly `blocks` blocks of 16
/// tokens (4 KiB each), for tests that need memory pressure they can reason about by hand.
enum TinySetup {
    static let model = ModelSpec(
        name: "tiny", hiddenSize: 64, layers: [.full, .full], queryHeads: 2, kvHeads: 1, headDim: 32,
        intermediateSize: 128, vocabSize: 100, tiedEmbeddings: true, source: "test fixture")

    static func setup(blocks: Int, maxBatchedTokens: Int = 64, maxSeqs: Int = 16, prefixCaching: Bool = true,
                      reserveFullSequence: Bool = false) -> SimulationSetup
    {
        let engine = EngineConfig(gpuMemoryUtilization: 1.0, maxNumBatchedTokens: maxBatchedTokens, maxNumSeqs: maxSeqs,
                                  enablePrefixCaching: prefixCaching, nonTorchMemoryBytes: 0,
                                  reserveFullSequenceAtAdmission: reserveFullSequence)
        let blockBytes = 16.0 * 2 * 1 * 32 * 2 * 2
        let activation = KVMemoryPlan.estimatedActivationBytes(model: model, tp: 1, engine: engine)
        // One extra block for vLLM's null block, plus half a block of slack against rounding.
        let memory = model.weightBytes + activation + (Double(blocks) + 1.5) * blockBytes
        let gpu = GPUSpec(name: "toy", memoryBytes: memory, memoryBandwidthBytesPerSecond: 1e12, smCount: 10,
                          denseBF16FlopsPerSecond: 1e14, interconnectBytesPerSecond: 1e11, source: "test fixture")
        return SimulationSetup(model: model, gpu: gpu, engine: engine)
    }

    /// Runs sessions and returns the records in finishing order with the summary.
    static func run(_ setup: SimulationSetup, _ sessions: [SessionSpec]) throws -> ([RequestRecord], PolicySummary) {
        var source = ArraySessionSource(sessions)
        var records: [RequestRecord] = []
        let summary = try Simulation(setup: setup).run(&source) { records.append($0) }
        return (records, summary)
    }
}
