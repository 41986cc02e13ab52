/// Time of the Tangram fork's earlier KV write-back at one request's compression boundary
/// (``ReclaimWriteback/perCluster``): `CompressionExecutor.run_request` at commit dfb7104 gathers
/// and writes back every (layer, group) cluster's kept KV with about 17 eager torch operations.
///
/// Per boundary, `fixed + clusters x max(host, (device + token x T) x bandwidth scale)`: each
/// cluster costs the larger of the host's launch sequence and the device work its gathers wait
/// for, which grows with the `T` tokens the cluster holds when the boundary compresses (kept
/// before plus the chunk). The device term was measured on the H200 and is scaled to another GPU
/// by the ratio of their datasheet memory bandwidths; the host terms are host time and are used
/// for every GPU.
public struct PerClusterWriteback: Sendable, Hashable, Codable {
    /// Per boundary, seconds.
    public var fixedSeconds: Double
    /// Per cluster, the host's eager launch sequence, seconds.
    public var perClusterHostSeconds: Double
    /// Per cluster, the device work's fixed part on the measuring GPU, seconds.
    public var perClusterDeviceSeconds: Double
    /// Per cluster and token it holds, the device work on the measuring GPU, seconds.
    public var perClusterTokenSeconds: Double
    /// Datasheet memory bandwidth of the GPU the device terms were measured on, bytes/s.
    public var measuredBandwidthBytesPerSecond: Double
    /// The released code's batched write-back host time this path replaces, per boundary and per
    /// compressed layer, seconds: the `run_request (Triton)` component of
    /// ``ReclaimHostCoefficients/measuredH200Host`` (scripts/fit-reclaim-host.py).
    public var replacedBatchedFixedSeconds: Double
    public var replacedBatchedPerLayerSeconds: Double

    public init(fixedSeconds: Double, perClusterHostSeconds: Double, perClusterDeviceSeconds: Double,
                perClusterTokenSeconds: Double, measuredBandwidthBytesPerSecond: Double,
                replacedBatchedFixedSeconds: Double, replacedBatchedPerLayerSeconds: Double) {
        self.fixedSeconds = fixedSeconds
        self.perClusterHostSeconds = perClusterHostSeconds
        self.perClusterDeviceSeconds = perClusterDeviceSeconds
        self.perClusterTokenSeconds = perClusterTokenSeconds
        self.measuredBandwidthBytesPerSecond = measuredBandwidthBytesPerSecond
        self.replacedBatchedFixedSeconds = replacedBatchedFixedSeconds
        self.replacedBatchedPerLayerSeconds = replacedBatchedPerLayerSeconds
    }

    /// The fork's own `run_request` at commit dfb7104 timed on the lent H200 machine (eager, from a
    /// synchronized GPU to the GPU synchronized again; Kernels/reclaim_writeback_bench.py,
    /// calibrations/h200-reclaim-writeback.csv: 8-72 clusters of 4 KV heads, 4K-51K tokens each),
    /// fitted by scripts/fit-reclaim-writeback.py: 251.6 µs + C x max(271.15 µs, 53.64 µs +
    /// 20.18 ns x T), rms 5.1 %. Measured at the H200's 4.8 TB/s; the replaced batched part is the
    /// released code's 356.8 µs + 29.89 µs per layer (all of ``ReclaimHostCoefficients``' per-layer
    /// term).
    public static let measuredH200Fork = PerClusterWriteback(
        fixedSeconds: 251.6e-6, perClusterHostSeconds: 271.15e-6, perClusterDeviceSeconds: 53.64e-6,
        perClusterTokenSeconds: 20.18e-9, measuredBandwidthBytesPerSecond: 4.8e12,
        replacedBatchedFixedSeconds: 356.757e-6, replacedBatchedPerLayerSeconds: 29.89e-6)

    /// Seconds of `boundaries` boundaries whose clusters hold `meanTokensPerCluster` tokens on
    /// average, on a GPU of `bandwidthBytesPerSecond` holding `clustersPerGPU` clusters.
    public func seconds(boundaries: Int, clustersPerGPU: Double, meanTokensPerCluster: Double,
                        bandwidthBytesPerSecond: Double) -> Double {
        guard boundaries > 0 else { return 0 }
        let scale = measuredBandwidthBytesPerSecond / max(bandwidthBytesPerSecond, 1)
        let device = (perClusterDeviceSeconds + perClusterTokenSeconds * meanTokensPerCluster) * scale
        return Double(boundaries) * (fixedSeconds + clustersPerGPU * max(perClusterHostSeconds, device))
    }
}
