/// The efficiency coefficients of ``KernelCostModel`` for one GPU: achievable fractions of the
/// datasheet peaks per kernel class, launch overheads, and host-side costs.
///
/// Values come either from a calibration file fitted to measurements (`tangram-sim calibrate`) or
/// from ``specDerived(for:)``; ``GPUCalibration`` carries which, and every model label says so.
/// docs/cost-model.md lists each coefficient with its source.
public struct KernelCoefficients: Sendable, Hashable, Codable {
    /// Linear layers through cuBLAS (dense and grouped expert GEMMs, the output head).
    public var gemm: RooflineCoefficients
    /// Causal chunked-prefill attention (FlashAttention-like).
    public var prefillAttention: RooflineCoefficients
    /// Split-KV decode attention and its merge.
    public var decodeAttention: DecodeAttentionCoefficients
    /// Memory-bound elementwise kernels: norms, activations, rotary embedding, KV-cache writes,
    /// sampling passes over the vocabulary.
    public var elementwise: RooflineCoefficients
    /// Compression scoring and top-k selection.
    public var scoring: RooflineCoefficients
    /// Reclamation's compaction (gathering kept KV into fresh pages).
    public var compaction: RooflineCoefficients
    /// Device-to-device copy, the bandwidth ceiling: recorded for reference, not a step term.
    public var deviceCopy: RooflineCoefficients
    /// Tensor-parallel collectives.
    public var communication: CommunicationCoefficients
    /// Host-side (CPU) work per step.
    public var host: HostCoefficients

    public init(
        gemm: RooflineCoefficients, prefillAttention: RooflineCoefficients,
        decodeAttention: DecodeAttentionCoefficients, elementwise: RooflineCoefficients,
        scoring: RooflineCoefficients, compaction: RooflineCoefficients, deviceCopy: RooflineCoefficients,
        communication: CommunicationCoefficients,
        host: HostCoefficients
    ) {
        self.gemm = gemm
        self.prefillAttention = prefillAttention
        self.decodeAttention = decodeAttention
        self.elementwise = elementwise
        self.scoring = scoring
        self.compaction = compaction
        self.deviceCopy = deviceCopy
        self.communication = communication
        self.host = host
    }
}

/// A roofline kernel class: time = launch + max(FLOPs / (peak FLOP/s x computeFraction),
/// bytes / (peak bandwidth x memoryFraction)).
public struct RooflineCoefficients: Sendable, Hashable, Codable {
    /// Achievable fraction of the dense bf16 tensor peak.
    public var computeFraction: Double
    /// Achievable fraction of the HBM bandwidth peak.
    public var memoryFraction: Double
    /// Fixed time per kernel launch (launch gap plus ramp-up), seconds.
    public var launchSeconds: Double

    public init(computeFraction: Double, memoryFraction: Double, launchSeconds: Double) {
        self.computeFraction = computeFraction
        self.memoryFraction = memoryFraction
        self.launchSeconds = launchSeconds
    }
}

/// Decode attention as thread blocks (CTAs) in waves over the SMs.
///
/// `smCount x residentCTAsPerSM` CTAs are resident at once; later ones start as slots free up.
/// Resident CTAs share the kernel's bandwidth (peak x ``memoryFraction``) equally, but none
/// streams faster than ``ctaBandwidthShare`` of it, so a long CTA left alone at the end holds the
/// kernel (``DecodeWaveSimulation``; docs/cost-model.md, "Decode attention").
public struct DecodeAttentionCoefficients: Sendable, Hashable, Codable {
    /// Achievable fraction of the HBM bandwidth peak with balanced CTAs.
    public var memoryFraction: Double
    /// Achievable fraction of the dense bf16 peak (decode attention is rarely compute-bound).
    public var computeFraction: Double
    /// Fixed time per kernel launch (the split kernel and, with splits, the merge), seconds.
    public var launchSeconds: Double
    /// The largest fraction of the kernel's bandwidth one CTA can draw (when few others run).
    public var ctaBandwidthShare: Double
    /// CTAs resident per SM (a wave is `smCount x residentCTAsPerSM` CTAs).
    public var residentCTAsPerSM: Int
    /// Fixed work per CTA (setup, writing its partial result), in bytes of streaming.
    public var ctaSetupBytes: Double

    public init(
        memoryFraction: Double, computeFraction: Double, launchSeconds: Double, ctaBandwidthShare: Double,
        residentCTAsPerSM: Int, ctaSetupBytes: Double
    ) {
        self.memoryFraction = memoryFraction
        self.computeFraction = computeFraction
        self.launchSeconds = launchSeconds
        self.ctaBandwidthShare = ctaBandwidthShare
        self.residentCTAsPerSM = residentCTAsPerSM
        self.ctaSetupBytes = ctaSetupBytes
    }
}

/// Ring all-reduce: latency + 2 (tp - 1) / tp x bytes / (interconnect x linkFraction).
public struct CommunicationCoefficients: Sendable, Hashable, Codable {
    /// Fixed latency of one collective, seconds.
    public var latencySeconds: Double
    /// Achievable fraction of the catalogued interconnect bandwidth.
    public var linkFraction: Double

    public init(latencySeconds: Double, linkFraction: Double) {
        self.latencySeconds = latencySeconds
        self.linkFraction = linkFraction
    }
}

/// Host-side (CPU) costs per step, serial with the GPU work.
public struct HostCoefficients: Sendable, Hashable, Codable {
    /// Scheduling and input preparation per step, seconds.
    public var schedulingFixedSeconds: Double
    /// Scheduling and input/output processing per request in the batch, seconds.
    public var schedulingPerRequestSeconds: Double
    /// Block-table update per entry with ``BlockTableUpdateMode/naive``, seconds.
    public var blockTableNaivePerEntrySeconds: Double
    /// Fixed block-table update cost per step (when any entry is written) with
    /// ``BlockTableUpdateMode/vectorized``, seconds.
    public var blockTableVectorizedFixedSeconds: Double
    /// Block-table update per entry with ``BlockTableUpdateMode/vectorized``, seconds.
    public var blockTableVectorizedPerEntrySeconds: Double
    /// FlashInfer-like planning, fixed part per layer per step, seconds: the planner's own work
    /// (the partition computed on the host).
    public var planFixedSeconds: Double
    /// FlashInfer-like planning per (sequence x page group) per layer per step, seconds (a
    /// group is one KV head on per-head layouts, H_p heads on ragged ones).
    public var planPerItemSeconds: Double
    /// Compress-and-reclaim on the host: per request boundary and per step that frees pages.
    /// Absent from calibration files written before it existed (they held a single per-page
    /// estimate, now ignored); those read as ``ReclaimHostCoefficients/measuredH200Host``.
    public var reclaim: ReclaimHostCoefficients
    /// FlashInfer-like planning, the serving framework's cost of one plan call around the planner
    /// itself (the Python `plan()` entry: argument checks, tensor conversions, the copy of the
    /// plan to the device), per layer per step, seconds. Absent from calibration files written
    /// before it existed; those read as ``defaultPlanCallSeconds``.
    public var planCallSeconds: Double

    /// The per-call framework cost of a FlashInfer `plan()` call, seconds.
    ///
    /// Measured on the lent H200 machine's host (calibrations/h200-flashinfer-plan.csv, written by
    /// Kernels/flashinfer_plan.py): FlashInfer 0.5.2's `BatchDecodeWithPagedKVCacheWrapper.plan()`
    /// over 1 to 2,048 flattened (request, KV group) sequences, 1,000 calls per size in
    /// interleaved rounds, takes a median 86-113 µs per call; the relative least-squares line is
    /// 94.3 µs + 11 ns per sequence. Its slope and fixed part are the planner's own work, which
    /// ``planFixedSeconds`` and ``planPerItemSeconds`` already charge (2.95 µs + 15.7 ns,
    /// calibrations/h200.json); the remainder, 94.3 - 2.95 = 91.4 µs, is the framework's: the
    /// Python entry, argument checks, tensor conversions and the copy of the plan to the device.
    /// FlashInfer's own measurement of a later version on a desktop CPU agrees in magnitude
    /// (flashinfer-ai/flashinfer pull request 5043: 76-112 µs per decode `plan()` call at batch
    /// 64 to 1,024 on a Ryzen 9 5950X).
    public static let defaultPlanCallSeconds = 91.4e-6

    public init(
        schedulingFixedSeconds: Double, schedulingPerRequestSeconds: Double,
        blockTableNaivePerEntrySeconds: Double, blockTableVectorizedFixedSeconds: Double,
        blockTableVectorizedPerEntrySeconds: Double, planFixedSeconds: Double, planPerItemSeconds: Double,
        reclaim: ReclaimHostCoefficients = .measuredH200Host,
        planCallSeconds: Double = HostCoefficients.defaultPlanCallSeconds
    ) {
        self.schedulingFixedSeconds = schedulingFixedSeconds
        self.schedulingPerRequestSeconds = schedulingPerRequestSeconds
        self.blockTableNaivePerEntrySeconds = blockTableNaivePerEntrySeconds
        self.blockTableVectorizedFixedSeconds = blockTableVectorizedFixedSeconds
        self.blockTableVectorizedPerEntrySeconds = blockTableVectorizedPerEntrySeconds
        self.planFixedSeconds = planFixedSeconds
        self.planPerItemSeconds = planPerItemSeconds
        self.reclaim = reclaim
        self.planCallSeconds = planCallSeconds
    }
}

extension HostCoefficients {
    private enum CodingKeys: String, CodingKey {
        case schedulingFixedSeconds, schedulingPerRequestSeconds, blockTableNaivePerEntrySeconds,
            blockTableVectorizedFixedSeconds, blockTableVectorizedPerEntrySeconds, planFixedSeconds,
            planPerItemSeconds, reclaim, planCallSeconds
    }

    /// Decodes every field; `reclaim` and `planCallSeconds` may be absent (files written before
    /// they existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            schedulingFixedSeconds: try c.decode(Double.self, forKey: .schedulingFixedSeconds),
            schedulingPerRequestSeconds: try c.decode(Double.self, forKey: .schedulingPerRequestSeconds),
            blockTableNaivePerEntrySeconds: try c.decode(Double.self, forKey: .blockTableNaivePerEntrySeconds),
            blockTableVectorizedFixedSeconds: try c.decode(Double.self, forKey: .blockTableVectorizedFixedSeconds),
            blockTableVectorizedPerEntrySeconds: try c.decode(Double.self, forKey: .blockTableVectorizedPerEntrySeconds),
            planFixedSeconds: try c.decode(Double.self, forKey: .planFixedSeconds),
            planPerItemSeconds: try c.decode(Double.self, forKey: .planPerItemSeconds),
            reclaim: try c.decodeIfPresent(ReclaimHostCoefficients.self, forKey: .reclaim) ?? .measuredH200Host,
            planCallSeconds: try c.decodeIfPresent(Double.self, forKey: .planCallSeconds)
                ?? HostCoefficients.defaultPlanCallSeconds)
    }
}
