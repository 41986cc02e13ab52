/// What ``KernelCostModel``'s kernel formulas predict for a measured call, given coefficients:
/// the function the calibration fits and its errors are measured with.
public struct CalibrationPredictor: Sendable {
    public var gpu: GPUSpec
    public var coefficients: KernelCoefficients

    public init(gpu: GPUSpec, coefficients: KernelCoefficients) {
        self.gpu = gpu
        self.coefficients = coefficients
    }

    /// The predicted seconds of one call.
    ///
    /// - copy, compaction: `launch + bytes / (peak bandwidth x memoryFraction)`;
    /// - gemm, prefill attention: `launch + max(flops / (peak x computeFraction), bytes / (bandwidth x memoryFraction))`;
    /// - decode attention: `2 launch` (split kernel and merge, which the runner always launches)
    ///   `+ max(T_waves, flops / (peak x computeFraction)) + merge bytes / bandwidth`, with
    ///   `T_waves` the wave model of ``DecodeWaveSimulation`` over the CTAs the runner's kernel cut.
    public func seconds(_ s: CalibrationSample) -> Double {
        switch s.kernelClass {
        case .copy: return memoryBound(s.bytes, coefficients.deviceCopy)
        case .compaction: return memoryBound(s.bytes, coefficients.compaction)
        case .gemm: return roofline(s, coefficients.gemm)
        case .prefillAttention: return roofline(s, coefficients.prefillAttention)
        case .decodeAttention:
            guard let d = s.decode else { return memoryBound(s.bytes, decodeAsRoofline) }
            let dc = coefficients.decodeAttention
            let bw = gpu.memoryBandwidthBytesPerSecond * dc.memoryFraction
            let x = decodeFeature(d, bandwidth: bw)
            let flopsSeconds = s.flops / (gpu.denseBF16FlopsPerSecond * dc.computeFraction)
            return 2 * dc.launchSeconds + max(x.waveBytes / bw, flopsSeconds) + x.mergeBytes / bw
        }
    }

    /// Host planning seconds predicted for a planner call: `planFixed + planPerItem x batch x kvHeads`.
    public func planSeconds(_ d: DecodeCalibrationProblem) -> Double {
        coefficients.host.planFixedSeconds + coefficients.host.planPerItemSeconds * Double(d.batch * d.kvHeads)
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
