/// How much of a dense GEMM's throughput a mixture-of-experts layer's grouped expert GEMMs
/// reach, as a function of the rows each expert gets.
///
/// A fused-MoE kernel runs one small GEMM per touched expert, padded to its row-block size, so it
/// falls short of one dense GEMM of the same FLOPs, most when each expert gets few rows:
/// `relative(r) = saturated * r / (r + halfRowsPerExpert)`, with `r` the routed rows (tokens x
/// top-k) per touched expert. The expert GEMMs' compute fraction is the dense GEMM's times this;
/// their memory term (every touched expert's weights) is unchanged.
///
/// Source of ``vllmFusedMoE``: vLLM 0.11.1's own `fused_moe_kernel` (Triton, bf16, the tuned
/// H200 configs the wheel ships) against cuBLAS GEMMs of the same FLOPs, at Qwen3-30B-A3B's
/// expert shapes (128 experts, top-8, hidden 2048, intermediate 768 at TP 1 and 384 at TP 2),
/// measured on the lent H200 machine: calibrations/h200-moe-gemm.csv, written by
/// Kernels/moe_gemm_bench.py, fitted by scripts/fit-moe-gemm.py over the compute-bound sizes
/// (4,096 to 16,384 tokens; rms 0.023). At an 8,192-token chunk (512 rows per expert) the pair
/// of expert GEMMs takes 1/0.74 (TP 1) and 1/0.67 (TP 2) of the dense time.
public struct ExpertGEMMEfficiency: Sendable, Hashable {
    /// The relative efficiency with many rows per expert.
    public var saturated: Double
    /// The rows per expert at which the relative efficiency is half of ``saturated``.
    public var halfRowsPerExpert: Double

    public init(saturated: Double, halfRowsPerExpert: Double) {
        self.saturated = saturated
        self.halfRowsPerExpert = halfRowsPerExpert
    }

    /// vLLM's Triton fused-MoE kernel, measured on the H200 (see the type's documentation).
    public static let vllmFusedMoE = ExpertGEMMEfficiency(saturated: 0.818, halfRowsPerExpert: 75)

    /// The fraction of the dense GEMM throughput reached with `rowsPerExpert` routed rows per
    /// touched expert (0 rows: the saturated value, which then multiplies no FLOPs).
    @inline(__always)
    public func relativeToDense(rowsPerExpert: Double) -> Double {
        rowsPerExpert > 0 ? saturated * rowsPerExpert / (rowsPerExpert + halfRowsPerExpert) : saturated
    }
}
