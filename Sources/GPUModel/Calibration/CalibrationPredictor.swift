/// What ``KernelCostModel``'s kernel formulas predict for a measured call, given coefficients:
/// the function the calibration fits and its errors are measured with.
public struct CalibrationPredictor: Sendable {
    public var gpu: GPUSpec
    public var coefficients: KernelCoefficients
    /// The prefill label ``KernelCoefficients/prefillAttention`` was fitted on
    /// (``GPUCalibration/prefillFittedLabel``).
    public var prefillFittedLabel: String?
    /// Report-only prefill lines by report name (``GPUCalibration/reportOnlyFits``): prefill rows
    /// of another series are predicted with their own line when it exists.
    public var reportOnlyFits: [String: RooflineCoefficients]

    public init(
        gpu: GPUSpec, coefficients: KernelCoefficients, prefillFittedLabel: String? = nil,
        reportOnlyFits: [String: RooflineCoefficients] = [:]
    ) {
        self.gpu = gpu
        self.coefficients = coefficients
        self.prefillFittedLabel = prefillFittedLabel
        self.reportOnlyFits = reportOnlyFits
    }

    /// The predictor of a calibration file: its coefficients and report-only lines.
    public init(gpu: GPUSpec, calibration: GPUCalibration) {
        self.init(
            gpu: gpu, coefficients: calibration.coefficients, prefillFittedLabel: calibration.prefillFittedLabel,
            reportOnlyFits: calibration.reportOnlyFits ?? [:])
    }

    /// The name a sample is reported under: its kernel class, except prefill rows, which are
    /// named by series (``PrefillSeries/reportName(label:fitted:)``).
    public func reportName(_ s: CalibrationSample) -> String {
        s.kernelClass == .prefillAttention
            ? PrefillSeries.reportName(label: s.label, fitted: prefillFittedLabel) : s.kernelClass.rawValue
    }

    /// The prefill line for a row with `label`: the fitted coefficients for the fitted series,
    /// its own report-only line for another series that has one, else the fitted coefficients.
    public func prefillCoefficients(label: String) -> RooflineCoefficients {
        if label == prefillFittedLabel { return coefficients.prefillAttention }
        return reportOnlyFits[PrefillSeries.seriesName(label: label)] ?? coefficients.prefillAttention
    }

    /// The predicted seconds of one call.
    ///
    /// - copy, compaction: `launch + bytes / (peak bandwidth x memoryFraction)`;
    /// - gemm, prefill attention: `launch + max(flops / (peak x computeFraction), bytes / (bandwidth x memoryFraction))`
    ///   (prefill rows of a report-only series use their own line, ``prefillCoefficients(label:)``);
    /// - decode planner: host seconds per call, ``planSeconds(_:)``;
    /// - decode attention: `2 launch` (split kernel and merge, which the runner always launches)
    ///   `+ max(T_waves, flops / (peak x computeFraction)) + merge bytes / bandwidth`, with
    ///   `T_waves` the wave model of ``DecodeWaveSimulation`` over the CTAs the runner's kernel cut.
    public func seconds(_ s: CalibrationSample) -> Double {
        switch s.kernelClass {
        case .copy: return memoryBound(s.bytes, coefficients.deviceCopy)
        case .compaction: return memoryBound(s.bytes, coefficients.compaction)
        case .gemm: return roofline(s, coefficients.gemm)
        case .prefillAttention: return roofline(s, prefillCoefficients(label: s.label))
        case .decodePlanner:
            return s.decode.map(planSeconds) ?? coefficients.host.planFixedSeconds
        case .decodeAttention:
            guard let d = s.decode else { return memoryBound(s.bytes, decodeAsRoofline) }
            let dc = coefficients.decodeAttention
            let bw = gpu.memoryBandwidthBytesPerSecond * dc.memoryFraction
            let x = decodeFeature(d, bandwidth: bw)
            let flopsSeconds = s.flops / (gpu.denseBF16FlopsPerSecond * dc.computeFraction)
            return 2 * dc.launchSeconds + max(x.waveBytes / bw, flopsSeconds) + x.mergeBytes / bw
        }
    }

    /// Host planning seconds predicted for a planner call:
    /// `planFixed + planPerItem x` ``planItems(_:)``.
    public func planSeconds(_ d: DecodeCalibrationProblem) -> Double {
        coefficients.host.planFixedSeconds + coefficients.host.planPerItemSeconds * Self.planItems(d)
    }

    /// The planner's items: (request, page group) pairs, the units that carry one KV length and
    /// get one split decision (Kernels/tk_decode.cu, `plan_balanced`), and the items the runtime
    /// cost model counts per plan (KernelCostModel+Host, `planningSeconds(sequences:)`).
    public static func planItems(_ d: DecodeCalibrationProblem) -> Double {
        Double(d.batch * d.groups)
    }

    /// The decode kernel's wave time expressed in bytes at bandwidth `bandwidth` (so that
    /// `waveBytes / bandwidth` is the wave time), and the merge kernel's bytes.
    public func decodeFeature(_ d: DecodeCalibrationProblem, bandwidth: Double) -> (
        waveBytes: Double, mergeBytes: Double, ctas: Int
    ) {
        let dc = coefficients.decodeAttention
        let machine = DecodeWaveSimulation.Machine(
            slots: max(1, gpu.smCount) * max(1, dc.residentCTAsPerSM), bandwidth: bandwidth,
            ctaCap: bandwidth * dc.ctaBandwidthShare)
        let bytesPerToken = 2 * Double(d.headDim) * 2
        let overhead = dc.ctaSetupBytes
        let tokens = d.ctaTokens()
        let seconds = withUnsafeTemporaryAllocation(
            of: Double.self, capacity: WaveAccumulator.scratchCount(for: machine)
        ) {
            scratch -> Double in
            var waves = WaveAccumulator(machine: machine, scratch: scratch)
            for t in tokens { waves.add(Double(t) * bytesPerToken + overhead) }
            return waves.finish()
        }
        return (seconds * bandwidth, d.mergeBytes(ctas: tokens.count), tokens.count)
    }

    private var decodeAsRoofline: RooflineCoefficients {
        let dc = coefficients.decodeAttention
        return RooflineCoefficients(
            computeFraction: dc.computeFraction, memoryFraction: dc.memoryFraction,
            launchSeconds: 2 * dc.launchSeconds)
    }

    private func memoryBound(_ bytes: Double, _ c: RooflineCoefficients) -> Double {
        c.launchSeconds + bytes / (gpu.memoryBandwidthBytesPerSecond * c.memoryFraction)
    }

    private func roofline(_ s: CalibrationSample, _ c: RooflineCoefficients) -> Double {
        c.launchSeconds
            + max(
                s.flops / (gpu.denseBF16FlopsPerSecond * c.computeFraction),
                s.bytes / (gpu.memoryBandwidthBytesPerSecond * c.memoryFraction))
    }
}
