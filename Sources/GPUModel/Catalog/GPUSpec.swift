/// One GPU's datasheet numbers, with their source.
public struct GPUSpec: Sendable, Hashable {
    /// Catalog name, lower case (`h200`).
    public var name: String
    /// Device memory in bytes as the driver reports it (`nvidia-smi` total).
    public var memoryBytes: Double
    /// Peak HBM (or GDDR) bandwidth in bytes per second.
    public var memoryBandwidthBytesPerSecond: Double
    /// Streaming multiprocessors.
    public var smCount: Int
    /// Peak dense bf16 tensor-core throughput in FLOP/s (no sparsity).
    public var denseBF16FlopsPerSecond: Double
    /// Per-GPU interconnect bandwidth for tensor-parallel collectives, bytes per second
    /// (NVLink aggregate, or PCIe for cards without NVLink).
    public var interconnectBytesPerSecond: Double
    /// Where the numbers come from.
    public var source: String

    public init(name: String, memoryBytes: Double, memoryBandwidthBytesPerSecond: Double, smCount: Int,
                denseBF16FlopsPerSecond: Double, interconnectBytesPerSecond: Double, source: String) {
        self.name = name
        self.memoryBytes = memoryBytes
        self.memoryBandwidthBytesPerSecond = memoryBandwidthBytesPerSecond
        self.smCount = smCount
        self.denseBF16FlopsPerSecond = denseBF16FlopsPerSecond
        self.interconnectBytesPerSecond = interconnectBytesPerSecond
        self.source = source
    }
}
