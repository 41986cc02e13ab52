/// How a compress-and-reclaim engine writes the kept KV back into its pages at a compression
/// boundary.
///
/// Both follow the Tangram fork (aiha-lab/tangram, vLLM 0.11.1) at two points of its history.
public enum ReclaimWriteback: String, Sendable, Hashable, Codable, CaseIterable {
    /// The released code: one batched write-back for all layers and groups (a few Triton
    /// launches per request), priced as a compaction kernel over the kept bytes plus the host
    /// terms of ``ReclaimHostCoefficients``.
    case batched
    /// The fork's earlier write-back (`CompressionExecutor.run_request` at commit dfb7104): about
    /// 17 eager torch operations per (layer, group) cluster, priced by ``PerClusterWriteback``.
    case perCluster = "per-cluster"
}
