/// The GPUs tangram-sim knows by name.
///
/// Memory is the total `nvidia-smi` reports (MiB x 2^20); bandwidth, SM count, dense bf16
/// tensor throughput and interconnect come from NVIDIA's datasheets and architecture
/// whitepapers, named per entry.
public enum GPUCatalog {
    private static let mib = 1_048_576.0

    /// A100 SXM4 80GB. NVIDIA A100 datasheet: 2,039 GB/s HBM2e, 312 TFLOP/s dense bf16, NVLink
    /// 600 GB/s; 108 SMs (Ampere whitepaper); 81,920 MiB reported.
    public static let a100_80gb = GPUSpec(
        name: "a100-80gb", memoryBytes: 81_920 * mib, memoryBandwidthBytesPerSecond: 2.039e12, smCount: 108,
        denseBF16FlopsPerSecond: 312e12, interconnectBytesPerSecond: 600e9,
        source: "NVIDIA A100 datasheet (SXM4 80GB); Ampere GA100 whitepaper")

    /// H100 SXM5 80GB. NVIDIA H100 datasheet: 3.35 TB/s HBM3, 989 TFLOP/s dense bf16 (1,979 with
    /// sparsity), NVLink 900 GB/s; 132 SMs (Hopper whitepaper); 81,559 MiB reported.
    public static let h100_sxm = GPUSpec(
        name: "h100-sxm", memoryBytes: 81_559 * mib, memoryBandwidthBytesPerSecond: 3.35e12, smCount: 132,
        denseBF16FlopsPerSecond: 989e12, interconnectBytesPerSecond: 900e9,
        source: "NVIDIA H100 datasheet (SXM5); Hopper GH100 whitepaper")

    /// H200 SXM 141GB. NVIDIA H200 datasheet: 4.8 TB/s HBM3e, 989 TFLOP/s dense bf16, NVLink
    /// 900 GB/s; 132 SMs (same GH100 die as H100 SXM); 143,771 MiB reported.
    public static let h200 = GPUSpec(
        name: "h200", memoryBytes: 143_771 * mib, memoryBandwidthBytesPerSecond: 4.8e12, smCount: 132,
        denseBF16FlopsPerSecond: 989e12, interconnectBytesPerSecond: 900e9,
        source: "NVIDIA H200 datasheet (SXM); Hopper GH100 whitepaper")

    /// B200 180GB. NVIDIA HGX B200 datasheet (per GPU): 8 TB/s HBM3e, 2.25 PFLOP/s dense bf16
    /// (4.5 with sparsity), NVLink 1.8 TB/s; 148 SMs (Blackwell whitepaper); 183,359 MiB reported.
    public static let b200 = GPUSpec(
        name: "b200", memoryBytes: 183_359 * mib, memoryBandwidthBytesPerSecond: 8.0e12, smCount: 148,
        denseBF16FlopsPerSecond: 2.25e15, interconnectBytesPerSecond: 1.8e12,
        source: "NVIDIA HGX B200 datasheet; Blackwell architecture whitepaper")

    /// L40S 48GB. NVIDIA L40S datasheet: 864 GB/s GDDR6, 362 TFLOP/s dense bf16 (733 with
    /// sparsity), PCIe Gen4 x16 64 GB/s, no NVLink; 142 SMs; 46,068 MiB reported.
    public static let l40s = GPUSpec(
        name: "l40s", memoryBytes: 46_068 * mib, memoryBandwidthBytesPerSecond: 864e9, smCount: 142,
        denseBF16FlopsPerSecond: 362e12, interconnectBytesPerSecond: 64e9,
        source: "NVIDIA L40S datasheet; Ada AD102 whitepaper")

    /// Every catalogued GPU.
    public static let all: [GPUSpec] = [a100_80gb, h100_sxm, h200, b200, l40s]

    /// Looks a GPU up by name, ignoring case; `a100` and `h100` name the 80 GB SXM parts.
    ///
    /// - Throws: ``CatalogError/unknownGPU(_:known:)`` listing the known names.
    public static func gpu(named raw: String) throws(CatalogError) -> GPUSpec {
        let key = CatalogError.normalise(raw)
        let aliases = ["a100": "a100-80gb", "a100-80g": "a100-80gb", "h100": "h100-sxm", "h200-sxm": "h200",
                       "b200-180gb": "b200", "l40s-48gb": "l40s"]
        let name = aliases[key] ?? key
        for g in all where g.name == name { return g }
        throw .unknownGPU(raw, known: all.map(\.name))
    }
}
