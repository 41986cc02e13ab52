import GPUModel

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

    public init(model: ModelSpec, gpu: GPUSpec, tensorParallel: Int = 1, engine: EngineConfig? = nil,
                policy: Policy = .vllm, costModel: (any CostModel)? = nil) {
        self.model = model
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.engine = engine ?? .vllmDefaults(for: gpu)
        self.policy = policy
        self.costModel = costModel ?? RooflineCostModel(model: model, gpu: gpu, tensorParallel: tensorParallel)
    }
}
