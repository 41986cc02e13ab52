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
    /// Turns time-per-step. Unless given, ``Simulation`` replaces it with the kernel cost model
    /// for the policy's KV layout and decode partition, with ``calibration``'s coefficients.
    public var costModel: any CostModel
    /// Whether ``costModel`` is the default (to be built for the policy) rather than the caller's.
    public var costModelIsDefault: Bool
    /// Coefficients of the default kernel cost model (`nil`: derived from the GPU's datasheet).
    public var calibration: GPUCalibration?
    /// How compressed policies compress (ignored by `vllm`).
    public var compression: CompressionSettings
    /// Per-head retention to shape budgets; `nil` uses the built-in profile fitted for the model
    /// and ``CompressionSettings/scorer``.
    public var headProfile: HeadProfile?

    public init(model: ModelSpec, gpu: GPUSpec, tensorParallel: Int = 1, engine: EngineConfig? = nil,
                policy: Policy = .vllm, costModel: (any CostModel)? = nil,
                compression: CompressionSettings = .init(), headProfile: HeadProfile? = nil,
                calibration: GPUCalibration? = nil) {
        self.calibration = calibration
        costModelIsDefault = costModel == nil
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
