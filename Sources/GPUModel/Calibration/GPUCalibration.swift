/// One GPU's kernel coefficients with their provenance: the content of a calibration file
/// (`calibrations/<gpu>.json`), or the spec-derived defaults for a GPU without one.
///
/// ```swift
/// let cal = try GPUCalibration.load(path: "calibrations/h200.json")
/// let model = KernelCostModel(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200, calibration: cal)
/// model.label  // "kernel-model:h200:calibrated@2026-11-30"
/// ```
public struct GPUCalibration: Sendable, Hashable, Codable {
    /// The value of ``schema`` in every calibration file.
    public static let schemaName = "tangram-sim/kernel-calibration"
    /// The file format version this build reads and writes.
    public static let currentVersion = 1

    /// Always ``schemaName``.
    public var schema: String
    /// File format version (``currentVersion``).
    public var version: Int
    /// Catalog name of the GPU (`h200`).
    public var gpu: String
    /// Measured or spec-derived, with date, measurement file and command.
    public var provenance: CalibrationProvenance
    /// The coefficients.
    public var coefficients: KernelCoefficients
    /// Per coefficient group (`gemm`, `decodeAttention`, ...), where its values come from:
    /// `measured` or `spec-derived`.
    public var sources: [String: String]
    /// Per kernel class, the fit's error (empty for spec-derived coefficients).
    public var fit: [String: KernelClassFitError]
    /// The measurement label whose prefill rows the prefill-attention coefficients were fitted
    /// on (e.g. `sdpa-cudnn`, ``PrefillSeries/fittedLabel(_:)``); `nil` when they were not fitted.
    public var prefillFittedLabel: String?
    /// Lines fitted for the report only, never used by the simulation, by report name: the
    /// runner's own prefill kernel (`prefill_attention (runner kernel)`) and the production
    /// prefill kernels not chosen (`prefill_attention (sdpa-flash)`, ...). `nil` when none.
    public var reportOnlyFits: [String: RooflineCoefficients]?

    public init(
        gpu: String, provenance: CalibrationProvenance, coefficients: KernelCoefficients,
        sources: [String: String], fit: [String: KernelClassFitError] = [:]
    ) {
        schema = Self.schemaName
        version = Self.currentVersion
        self.gpu = gpu
        self.provenance = provenance
        self.coefficients = coefficients
        self.sources = sources
        self.fit = fit
    }

    /// The coefficient groups, as named in ``sources``.
    public static let groupNames = [
        "gemm", "prefillAttention", "decodeAttention", "elementwise", "scoring", "compaction", "deviceCopy",
        "communication",
        "host",
    ]

    /// Spec-derived coefficients for `gpu` (``KernelCoefficients/specDerived(for:)``).
    public static func specDerived(for gpu: GPUSpec) -> GPUCalibration {
        GPUCalibration(
            gpu: gpu.name, provenance: CalibrationProvenance(kind: .specDerived, note: gpu.source),
            coefficients: .specDerived(for: gpu),
            sources: Dictionary(uniqueKeysWithValues: groupNames.map { ($0, "spec-derived") }))
    }

    /// Whether any coefficient was fitted to measurements.
    public var isMeasured: Bool { provenance.kind == .measured }

    /// How outputs name these coefficients for `gpuName`: `calibrated@<date>` or `spec-derived`
    /// (`calibrated-for-<gpu>@<date>` when the file belongs to another GPU).
    public func labelSuffix(for gpuName: String) -> String {
        guard isMeasured else { return "spec-derived" }
        let date = provenance.date ?? "undated"
        return gpuName == gpu ? "calibrated@\(date)" : "calibrated-for-\(gpu)@\(date)"
    }
}
