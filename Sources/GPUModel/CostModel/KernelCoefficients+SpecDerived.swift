extension KernelCoefficients {
    /// Measured on the lent H200 (DOMAIN.md section 5): device-to-device copy about 4.3 TB/s over
    /// the 4.8 TB/s datasheet peak.
    public static let measuredH200CopyFraction = 4.3 / 4.8
    /// Measured on the lent H200 (DOMAIN.md section 5): bf16 GEMM about 790 TFLOP/s over the
    /// 989 TFLOP/s dense datasheet peak.
    public static let measuredH200GEMMFraction = 790.0 / 989.0

    /// Coefficients for a GPU without measurements, derived from its datasheet peaks.
    ///
    /// Fractions measured on the lent H200 (its calibrations/ files) or taken from a cited source
    /// are applied to every GPU; docs/cost-model.md lists each with its source:
    /// - GEMM 80 % of the dense peak and copies 89.6 % of the peak bandwidth (DOMAIN.md section 5,
    ///   the H200 measurements);
    /// - decode attention reaches 85% of the copy bandwidth (FlashInfer reports bandwidth use
    ///   "close to 100%" for long sequences, flashinfer-ai.github.io 2024-01-03; FlashMLA up to
    ///   3,000 of 3,350 GB/s on H800); 2 CTAs per SM are resident (FlashAttention's
    ///   `num_splits_heuristic` is called with `2 x multiProcessorCount` "because we're using 128
    ///   threads per block", flash_api.cpp); one CTA streams at most `0.7 / smCount` of the
    ///   bandwidth (measured on the H200, calibrations/h200-measurements.csv: 128 full-KV CTAs,
    ///   one per SM, reach 2.7 TB/s where 512 reach 4.0 TB/s); fixed work per CTA worth 96,098
    ///   bytes of streaming (setup and the partial-result write: measured on the H200 by the
    ///   per-CTA sweep, calibrations/h200-cta-sweep.csv from `tangram-sim validate --cta-sweep`, 23.5
    ///   and 26.9 ns more per CTA at a fixed KV size, times the calibrated decode bandwidth, less
    ///   the merge's bytes per CTA; scripts/fit-cta-setup.py);
    /// - prefill attention reaches 55% of the dense peak (FlashAttention-3 paper: 500-640 TFLOP/s
    ///   causal bf16 at head dim 128 on H100, 2K-16K tokens);
    /// - elementwise kernels (norms, activations, sampling passes) reach 70% of the peak bandwidth,
    ///   0.78 of the copy bandwidth: RMSNorm as one kernel over 8,192 x 4,096 bf16 measured at 0.78
    ///   of copy on the H200 (calibrations/h200-small-kernels.csv; fused add+RMSNorm 0.91,
    ///   SiLU-and-mul 1.01);
    /// - scoring: SnapKV's pipeline for one layer and an 8,192-token chunk (32 window queries,
    ///   softmax, mean, pooling, top-k) measured on the H200 at 0.078 of the copy bandwidth for the
    ///   bytes this model counts (7.0% of the peak) and its QK^T product at 5.8% of the dense peak
    ///   (calibrations/h200-small-kernels.csv); softmax and top-k are latency-bound;
    /// - a kernel costs 0.88 µs of launch gap, measured in CUDA-graph replay on the H200
    ///   (calibrations/h200-small-kernels.csv; vLLM runs its steps as CUDA graphs; eager launches
    ///   measured 11.5 µs);
    /// - NCCL collectives: 10 µs (nccl-tests issue 331: an 8-byte all-reduce on two NVLink A100s,
    ///   9.85 µs) plus the ring time at a bus bandwidth of 40% of the catalogued (bidirectional)
    ///   NVLink figure, about 80% of one direction ("the app-level bandwidth is 80% of the peak",
    ///   NCCL issue 1054; about 230 of 600 GB/s on A100, nccl-tests issue 149; 370 of 900 GB/s on
    ///   H100, nccl-tests issue 212);
    /// - host: 300 µs fixed and 4 µs per request of scheduling (vLLM V1 reports `schedule()` about
    ///   0.2 ms, state update 0.18 ms and input preparation 0.05 ms per decode step, vLLM pull
    ///   request 42131, and output processing about 1.1 µs per request, pull request 46112);
    ///   block tables 0.83 µs per entry naive (vLLM 0.11.1's `BlockTable.append_row` called once
    ///   per (request, group), measured on the H200 host, calibrations/h200-block-table.csv) and
    ///   1.75 µs + 14.2 ns per entry vectorized (one numpy scatter of every new entry, measured on
    ///   the development VM, calibrations/devvm-block-table-scatter.csv); FlashInfer-like
    ///   planning 2.95 µs + 15.7 ns per (sequence x page group) per layer, the host planner
    ///   measured on the lent H200 machine's CPU (`decode_planner` rows of
    ///   calibrations/h200-measurements.csv, least-squares fit by `tangram-sim calibrate`; a host
    ///   cost, so used for every GPU), plus the framework's 91.4 µs per `plan()` call
    ///   (``HostCoefficients/defaultPlanCallSeconds``); compress-and-reclaim's host work measured
    ///   on the released code's own functions on the same host
    ///   (``ReclaimHostCoefficients/measuredH200Host``).
    public static func specDerived(for gpu: GPUSpec) -> KernelCoefficients {
        let copy = measuredH200CopyFraction
        let gemm = measuredH200GEMMFraction
        let launch = 0.88e-6
        return KernelCoefficients(
            gemm: RooflineCoefficients(computeFraction: gemm, memoryFraction: copy, launchSeconds: launch),
            prefillAttention: RooflineCoefficients(computeFraction: 0.55, memoryFraction: copy, launchSeconds: launch),
            decodeAttention: DecodeAttentionCoefficients(
                memoryFraction: 0.85 * copy, computeFraction: 0.5, launchSeconds: launch,
                ctaBandwidthShare: 0.7 / Double(max(gpu.smCount, 1)), residentCTAsPerSM: 2, ctaSetupBytes: 96_098),
            elementwise: RooflineCoefficients(computeFraction: 0.5, memoryFraction: 0.7, launchSeconds: launch),
            scoring: RooflineCoefficients(computeFraction: 0.058, memoryFraction: 0.078 * copy, launchSeconds: launch),
            compaction: RooflineCoefficients(computeFraction: 0.5, memoryFraction: copy, launchSeconds: launch),
            deviceCopy: RooflineCoefficients(computeFraction: 0.5, memoryFraction: copy, launchSeconds: launch),
            communication: CommunicationCoefficients(latencySeconds: 10e-6, linkFraction: 0.40),
            host: HostCoefficients(
                schedulingFixedSeconds: 300e-6, schedulingPerRequestSeconds: 4e-6,
                blockTableNaivePerEntrySeconds: 0.83e-6, blockTableVectorizedFixedSeconds: 1.75e-6,
                blockTableVectorizedPerEntrySeconds: 14.2e-9, planFixedSeconds: 2.95e-6, planPerItemSeconds: 15.7e-9,
                reclaim: .measuredH200Host))
    }
}
