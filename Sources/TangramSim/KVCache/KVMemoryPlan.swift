import Foundation
import GPUModel

/// How a replica's GPU memory is split between weights, activations and the KV cache, and how
/// many KV blocks result, following vLLM 0.11's `determine_available_memory`:
///
///     kv_bytes = gpu_memory_utilization x total_memory - weights - peak_activation - non_torch
///
/// per GPU, with the pool cut into blocks of `block_size` tokens x the layers of one KV group x
/// the GPU's share of the KV heads. CUDA-graph memory is captured after the KV cache is sized and
/// comes out of the remaining headroom, as in vLLM.
public struct KVMemoryPlan: Sendable, Hashable {
    /// Weight bytes on each GPU.
    public var weightBytesPerGPU: Double
    /// Estimated peak activation bytes on each GPU during vLLM's profiling run.
    public var activationBytesPerGPU: Double
    /// Memory vLLM may use on each GPU (`gpu_memory_utilization` x total).
    public var budgetBytesPerGPU: Double
    /// KV groups (one for full-attention-only models).
    public var groups: [KVGroup]
    /// Bytes of one block on one GPU (block size x group layers x local KV heads x head dim x K,V x dtype).
    public var blockBytesPerGPU: Int
    /// Blocks in the pool (the same on every GPU of the replica).
    public var blockCount: Int
    /// GPUs in the replica.
    public var tensorParallel: Int
    /// Tokens per block.
    public var blockSizeTokens: Int

    /// KV cache capacity of the whole replica in bytes.
    public var capacityBytes: Double { Double(blockCount) * Double(blockBytesPerGPU) * Double(tensorParallel) }
    /// Bytes of one block across the replica.
    public var blockBytes: Double { Double(blockBytesPerGPU) * Double(tensorParallel) }

    /// Plans memory like vLLM.
    ///
    /// - Throws: ``KVMemoryPlanError`` when the weights and activations leave no room for the KV cache.
    public static func vllm(model: ModelSpec, gpu: GPUSpec, tensorParallel tp: Int, engine: EngineConfig)
        throws(KVMemoryPlanError) -> KVMemoryPlan
    {
        let groups = kvGroups(for: model)
        let localKVHeads = max(1, model.kvHeads / tp)  // KV heads are replicated when fewer than GPUs
        let layersPerGroup = groups[0].layerCount
        let blockBytes = engine.blockSizeTokens * layersPerGroup * localKVHeads * model.headDim * 2
            * model.bytesPerKVElement
        let weights = model.weightBytes / Double(tp)
        let activation = estimatedActivationBytes(model: model, tp: tp, engine: engine)
        let budget = engine.gpuMemoryUtilization * gpu.memoryBytes
        let available = budget - weights - activation - engine.nonTorchMemoryBytes
        // vLLM keeps block 0 as the shared "null block", which never holds KV.
        let blocks = Int((available / Double(blockBytes)).rounded(.down)) - 1
        guard blocks > 0 else {
            throw KVMemoryPlanError(model: model.name, gpu: gpu.name, tensorParallel: tp, weightBytesPerGPU: weights,
                                    budgetBytesPerGPU: budget)
        }
        return KVMemoryPlan(weightBytesPerGPU: weights, activationBytesPerGPU: activation, budgetBytesPerGPU: budget,
                            groups: groups, blockBytesPerGPU: blockBytes, blockCount: blocks, tensorParallel: tp,
                            blockSizeTokens: engine.blockSizeTokens)
    }

    /// vLLM V1's grouping of layers into KV cache groups of equal layer count: the group size is
    /// the smallest number of layers of one attention kind.
    public static func kvGroups(for model: ModelSpec) -> [KVGroup] {
        let full = model.fullAttentionLayerCount, sliding = model.slidingLayerCount
        guard sliding > 0, full > 0, let window = model.slidingWindowTokens else {
            return [KVGroup(layerCount: model.layerCount, windowTokens: model.slidingWindowTokens)]
        }
        let size = min(full, sliding)
        let fullGroups = (full + size - 1) / size, slidingGroups = (sliding + size - 1) / size
        return Array(repeating: KVGroup(layerCount: size, windowTokens: nil), count: fullGroups)
            + Array(repeating: KVGroup(layerCount: size, windowTokens: window), count: slidingGroups)
    }

    /// An estimate of the activation peak of vLLM's profiling forward pass over
    /// `max_num_batched_tokens` tokens, per GPU: the MLP's gate/up output and activation
    /// (3 x intermediate, or the routed experts' share for MoE), the QKV output and four residual-width
    /// buffers, in bf16; or the sampler's fp32 logits and probabilities for `max_num_seqs`
    /// sequences, whichever is larger. Not measured; the calibrated model may replace it.
    public static func estimatedActivationBytes(model: ModelSpec, tp: Int, engine: EngineConfig) -> Double {
        let t = Double(engine.maxNumBatchedTokens)
        let mlp: Double
        if let moe = model.moe {
            mlp = 3 * Double(moe.activeExpertsPerToken * moe.expertIntermediateSize) / Double(tp)
        } else {
            mlp = 3 * Double(model.intermediateSize) / Double(tp)
        }
        let qkv = Double((model.queryHeads + 2 * model.kvHeads) * model.headDim) / Double(tp)
        let forward = t * (mlp + qkv + 4 * Double(model.hiddenSize)) * 2
        let sampler = Double(engine.maxNumSeqs) * Double(model.vocabSize) * 4 * 2
        return max(forward, sampler)
    }
}

/// The model does not fit: weights and activations exceed the memory vLLM may use.
public struct KVMemoryPlanError: Error, CustomStringConvertible {
    public var model: String
    public var gpu: String
    public var tensorParallel: Int
    public var weightBytesPerGPU: Double
    public var budgetBytesPerGPU: Double

    public var description: String {
        let gib = 1_073_741_824.0
        let weights = String(format: "%.1f", weightBytesPerGPU / gib)
        let budget = String(format: "%.1f", budgetBytesPerGPU / gib)
        return "\(model) does not fit on \(tensorParallel) x \(gpu): \(weights) GiB of weights per GPU leave "
            + "no KV cache in \(budget) GiB; raise --tp"
    }
}
