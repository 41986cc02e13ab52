import GPUModel
import Workloads

/// Everything that fixes one simulation besides its workload.
public struct SimulationSetup: Sendable {
    public var model: ModelSpec
    public var gpu: GPUSpec
    /// GPUs per replica.
    public var tensorParallel: Int
    public var engine: EngineConfig
    public var policy: Policy
    /// Turns time-per-step; defaults to the placeholder roofline.
    public var costModel: any CostModel
    /// How compressed policies compress (ignored by `vllm`).
    public var compression: CompressionSettings
    /// Per-head retention to shape budgets; `nil` uses the built-in profile fitted for the model
    /// and ``CompressionSettings/scorer``.
    public var headProfile: HeadProfile?

    public init(model: ModelSpec, gpu: GPUSpec, tensorParallel: Int = 1, engine: EngineConfig? = nil,
                policy: Policy = .vllm, costModel: (any CostModel)? = nil,
                compression: CompressionSettings = .init(), headProfile: HeadProfile? = nil) {
        self.compression = compression
        self.headProfile = headProfile
        self.model = model
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.engine = engine ?? .vllmDefaults(for: gpu)
        self.policy = policy
        self.costModel = costModel ?? RooflineCostModel(model: model, gpu: gpu, tensorParallel: tensorParallel)
    }
}
