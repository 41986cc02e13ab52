extension KernelCoefficients {
    /// Measured on the lent H200 (DOMAIN.md section 5): device-to-device copy about 4.3 TB/s over
    /// the 4.8 TB/s datasheet peak.
    public static let measuredH200CopyFraction = 4.3 / 4.8
    /// Measured on the lent H200 (DOMAIN.md section 5): bf16 GEMM about 790 TFLOP/s over the
    /// 989 TFLOP/s dense datasheet peak.
    public static let measuredH200GEMMFraction = 790.0 / 989.0

    /// Coefficients for a GPU without measurements, derived from its datasheet peaks.
    ///
    /// The bandwidth and GEMM fractions are the ones measured on the H200 (DOMAIN.md section 5),
    /// applied to every GPU; everything else is an estimate named in docs/cost-model.md:
    /// - decode attention reaches 85% of the copy bandwidth (issue 5 asks at least 75%; FlashInfer
    ///   and FlashAttention decode kernels report 80-90% at long context); 2 CTAs per SM are
    ///   resident (FlashAttention's `num_splits_heuristic` is called with `2 x multiProcessorCount`
    ///   "because we're using 128 threads per block", flash_api.cpp); one CTA streams at most
    ///   `0.7 / smCount` of the bandwidth (measured on the H200, calibrations/h200-measurements.csv:
    ///   128 full-KV CTAs, one per SM, reach 2.7 TB/s where 512 reach 4.0 TB/s); fixed work per
    ///   CTA worth 16 KiB of streaming (about 0.5 µs at one CTA's rate: setup and the partial-result
    ///   write);
    /// - prefill attention reaches 55% of the dense peak (FlashAttention-3 paper: 500-640 TFLOP/s
    ///   causal bf16 at head dim 128 on H100, 2K-16K tokens);
    /// - elementwise kernels (norms, activations, sampling passes) reach 70% of the peak bandwidth,
    ///   scoring kernels 40% of the dense peak and 70% of the bandwidth;
    /// - kernel launches cost 2 µs each; NCCL collectives 10 µs plus the ring time at 45% of the
    ///   catalogued (bidirectional) NVLink figure;
    /// - host: 300 µs fixed and 4 µs per request of scheduling; block tables 0.25 µs per entry
    ///   naive, 5 µs + 2 ns per entry vectorized; FlashInfer-like planning 2.95 µs + 15.7 ns
    ///   per (sequence x page group) per layer, the host planner measured on the lent H200 machine's CPU
    ///   (`decode_planner` rows of calibrations/h200-measurements.csv, least-squares fit by
    ///   `tangram-sim calibrate`; a host cost, so used for every GPU), plus the framework's 91.4 µs per
    ///   `plan()` call (``HostCoefficients/defaultPlanCallSeconds``); compress-and-reclaim's host
    ///   work measured on the released code's own functions on the same host
    ///   (``ReclaimHostCoefficients/measuredH200Host``).
    public static func specDerived(for gpu: GPUSpec) -> KernelCoefficients {
        let copy = measuredH200CopyFraction
        let gemm = measuredH200GEMMFraction
        let launch = 2e-6
        return KernelCoefficients(
            gemm: RooflineCoefficients(computeFraction: gemm, memoryFraction: copy, launchSeconds: launch),
            prefillAttention: RooflineCoefficients(computeFraction: 0.55, memoryFraction: copy, launchSeconds: launch),
            decodeAttention: DecodeAttentionCoefficients(
                memoryFraction: 0.85 * copy, computeFraction: 0.5, launchSeconds: launch,
                ctaBandwidthShare: 0.7 / Double(max(gpu.smCount, 1)), residentCTAsPerSM: 2, ctaSetupBytes: 16_384),
            elementwise: RooflineCoefficients(computeFraction: 0.5, memoryFraction: 0.7, launchSeconds: launch),
            scoring: RooflineCoefficients(computeFraction: 0.4, memoryFraction: 0.7, launchSeconds: launch),
            compaction: RooflineCoefficients(computeFraction: 0.5, memoryFraction: copy, launchSeconds: launch),
            deviceCopy: RooflineCoefficients(computeFraction: 0.5, memoryFraction: copy, launchSeconds: launch),
            communication: CommunicationCoefficients(latencySeconds: 10e-6, linkFraction: 0.45),
            host: HostCoefficients(
                schedulingFixedSeconds: 300e-6, schedulingPerRequestSeconds: 4e-6,
                blockTableNaivePerEntrySeconds: 0.25e-6, blockTableVectorizedFixedSeconds: 5e-6,
                blockTableVectorizedPerEntrySeconds: 2e-9, planFixedSeconds: 2.95e-6, planPerItemSeconds: 15.7e-9,
                reclaim: .measuredH200Host))
    }
}
