import Testing

@testable import GPUModel

@Suite struct CalibrationTests {
    static let h200 = GPUCatalog.h200

    /// y = 2 + 3x without noise: GSL returns the line.
    @Test func leastSquaresRecoversALine() throws {
        let xs = (0..<10).map(Double.init)
        let c = try LeastSquares.fit(rows: xs.map { [1, $0] }, targets: xs.map { 2 + 3 * $0 + 1e-12 }, relative: false)
        #expect(abs(c[0] - 2) < 1e-9 && abs(c[1] - 3) < 1e-9)
        #expect(throws: LeastSquares.FitError.self) { try LeastSquares.fit(rows: [[1, 2]], targets: [1]) }
    }

    /// Known coefficients, different from the spec-derived starting point.
    static var truth: KernelCoefficients {
        var c = KernelCoefficients.specDerived(for: h200)
        c.deviceCopy = RooflineCoefficients(computeFraction: 0.5, memoryFraction: 0.91, launchSeconds: 3e-6)
        c.compaction = RooflineCoefficients(computeFraction: 0.5, memoryFraction: 0.77, launchSeconds: 6e-6)
        c.gemm = RooflineCoefficients(computeFraction: 0.72, memoryFraction: 0.83, launchSeconds: 7e-6)
        c.prefillAttention = RooflineCoefficients(computeFraction: 0.41, memoryFraction: 0.88, launchSeconds: 11e-6)
        c.decodeAttention.memoryFraction = 0.71
        c.decodeAttention.launchSeconds = 5e-6
        c.decodeAttention.ctaBandwidthShare = 0.6 / 132
        c.host.planFixedSeconds = 9e-6
        c.host.planPerItemSeconds = 17e-9
        return c
    }

    /// Measurement-like samples generated from ``truth`` (no noise): copies, compactions, GEMMs
    /// on both sides of the ridge, prefill chunks, and decode calls of all three split modes over
    /// heavy-tailed per-group lengths.
    static func samples() -> [CalibrationSample] {
        let p = CalibrationPredictor(gpu: h200, coefficients: truth)
        var out: [CalibrationSample] = []
        func add(_ s: CalibrationSample) {
            var s = s
            s.measuredSeconds = p.seconds(s)
            if let d = s.decode, d.partition == .flashInfer { s.planSeconds = p.planSeconds(d) }
            out.append(s)
        }
        for bytes in [1e8, 5e8, 2e9, 8e9] {
            add(CalibrationSample(kernelClass: .copy, measuredSeconds: 0, bytes: bytes, flops: 0))
        }
        for bytes in [1e6, 3e7, 1e8, 4e8, 9e8] {
            add(CalibrationSample(kernelClass: .compaction, measuredSeconds: 0, bytes: bytes, flops: 0))
        }
        for (n, k) in [(6144, 4096), (4096, 4096), (28672, 4096), (4096, 14336)] {
            for m in [1, 8, 64, 512, 2048, 8192] {
                let flops = 2.0 * Double(m * n * k), bytes = 2.0 * Double(m * k + n * k + m * n)
                add(CalibrationSample(kernelClass: .gemm, measuredSeconds: 0, bytes: bytes, flops: flops))
            }
        }
        for (chunk, history) in [(512, 0), (2048, 0), (2048, 16384), (8192, 32768), (512, 4096)] {
            let pairs = Double(chunk) * Double(history) + Double(chunk * (chunk + 1) / 2)
            add(
                CalibrationSample(
                    kernelClass: .prefillAttention, measuredSeconds: 0,
                    bytes: Double((history + chunk) * 8 * 128 * 4), flops: 4 * 128 * 32 * pairs))
        }
        var rng = SplitMix(seed: 21)
        for trial in 0..<36 {
            let batch = [1, 4, 8, 16, 32, 64][trial % 6]
            let hp = [1, 2, 4, 8][rng.int(4)]
            let context = [4096, 16384, 65536][rng.int(3)]
            let perHead = (0..<8).map { _ -> Int in
                let x = rng.double()
                return Int(Double(context) * (0.1 + 0.9 * x * x * x))
            }
            let groups = stride(from: 0, to: 8, by: hp).map { perHead.sorted(by: >)[$0] }
            let partition = [DecodePartition.flashDecoding, .flashInfer, .aheadOfTime][trial % 3]
            var d = DecodeCalibrationProblem(
                batch: batch, queryHeads: 32, kvHeads: 8, headDim: 128, headsPerPage: hp, partition: partition,
                uniformSplits: 1 + rng.int(16), reportedCTAs: 0,
                groupLengths: Array((0..<batch).map { _ in groups }.joined()), targetCTAs: 2 * 4 * 132)
            d.reportedCTAs = d.ctaTokens().count
            let tokenHeads = d.groupLengths.reduce(0, +) * hp
            add(
                CalibrationSample(
                    kernelClass: .decodeAttention, measuredSeconds: 0, bytes: Double(tokenHeads * 512),
                    flops: Double(tokenHeads * 4 * 4 * 128), decode: d))
        }
        return out
    }

    /// The fit recovers the coefficients the samples were generated from.
    @Test func fitRecoversKnownCoefficients() throws {
        let t = Self.truth
        let result = try CoefficientFitter(gpu: Self.h200)
            .fit(Self.samples(), provenance: CalibrationProvenance(kind: .measured, date: "2026-11-30"))
        let c = result.calibration.coefficients
        func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool { abs(a / b - 1) <= tolerance }
        #expect(close(c.deviceCopy.memoryFraction, t.deviceCopy.memoryFraction))
        #expect(close(c.deviceCopy.launchSeconds, t.deviceCopy.launchSeconds))
        #expect(close(c.compaction.memoryFraction, t.compaction.memoryFraction))
        #expect(close(c.gemm.computeFraction, t.gemm.computeFraction))
        #expect(close(c.gemm.memoryFraction, t.gemm.memoryFraction))
        #expect(close(c.gemm.launchSeconds, t.gemm.launchSeconds))
        #expect(close(c.prefillAttention.computeFraction, t.prefillAttention.computeFraction))
        #expect(c.decodeAttention.ctaBandwidthShare == t.decodeAttention.ctaBandwidthShare)
        #expect(close(c.decodeAttention.memoryFraction, t.decodeAttention.memoryFraction))
        #expect(close(c.decodeAttention.launchSeconds, t.decodeAttention.launchSeconds))
        #expect(close(c.host.planFixedSeconds, t.host.planFixedSeconds))
        #expect(close(c.host.planPerItemSeconds, t.host.planPerItemSeconds))
        for (kind, e) in result.calibration.fit { #expect(e.fitMedianAbsPercent < 0.1, "\(kind): \(e)") }
        #expect(result.calibration.sources["gemm"]?.hasPrefix("measured") == true)
        #expect(result.calibration.sources["elementwise"] == "spec-derived")
        #expect(result.calibration.provenance.kind == .measured)
        #expect(result.calibration.labelSuffix(for: "h200") == "calibrated@2026-11-30")
    }

    /// Holding out half: every other row of each class is fitted, the rest reported.
    @Test func holdOutHalfReportsHeldOutErrors() throws {
        let samples = Self.samples()
        let result = try CoefficientFitter(gpu: Self.h200, holdOutHalf: true)
            .fit(samples, provenance: CalibrationProvenance(kind: .measured))
        let gemm = result.calibration.fit["gemm"]!
        #expect(gemm.fitRows == 12 && gemm.heldOutRows == 12)
        #expect((gemm.heldOutMedianAbsPercent ?? 100) < 0.1)
        #expect((gemm.specDerivedMedianAbsPercent ?? 0) > 1)
    }

    /// Skipped classes keep their prior coefficients.
    @Test func skippedClassesKeepTheirPrior() throws {
        let result = try CoefficientFitter(gpu: Self.h200, skippedClasses: ["prefill_attention", "decode_planner"])
            .fit(Self.samples(), provenance: CalibrationProvenance(kind: .measured))
        let prior = KernelCoefficients.specDerived(for: Self.h200)
        #expect(result.calibration.coefficients.prefillAttention == prior.prefillAttention)
        #expect(result.calibration.coefficients.host.planFixedSeconds == prior.host.planFixedSeconds)
        #expect(result.calibration.sources["prefillAttention"] == "spec-derived")
    }

    @Test func jsonRoundTrips() throws {
        var cal = GPUCalibration.specDerived(for: Self.h200)
        cal.provenance = CalibrationProvenance(
            kind: .measured, date: "2026-11-30", measurementFile: "m.csv",
            command: "tangram-sim calibrate", rowCount: 12)
        cal.fit["gemm"] = KernelClassFitError(fitRows: 14, fitMedianAbsPercent: 2, fitP90AbsPercent: 12)
        let parsed = try GPUCalibration.parse(cal.jsonText(), path: "x.json")
        #expect(parsed == cal)
    }

    @Test func badFilesNameTheField() {
        let good = GPUCalibration.specDerived(for: Self.h200).jsonText()
        do {
            _ = try GPUCalibration.parse(
                good.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 9"),
                path: "a.json")
            Issue.record("version 9 accepted")
        } catch {
            #expect(error.description.contains("a.json") && error.description.contains("version"))
        }
        do {
            _ = try GPUCalibration.parse(
                good.replacingOccurrences(of: "\"launchSeconds\"", with: "\"launch\""),
                path: "b.json")
            Issue.record("missing field accepted")
        } catch {
            #expect(error.description.contains("b.json") && error.description.contains("launchSeconds"))
        }
    }
}
