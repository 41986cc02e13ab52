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

    /// Lines of the prefill series that are reported only: the runner's own kernel and a slower
    /// production kernel.
    static let runnerTruth = RooflineCoefficients(computeFraction: 0.15, memoryFraction: 0.88, launchSeconds: 20e-6)
    static let flashTruth = RooflineCoefficients(computeFraction: 0.33, memoryFraction: 0.88, launchSeconds: 15e-6)
    static var truthPredictor: CalibrationPredictor {
        CalibrationPredictor(
            gpu: h200, coefficients: truth, prefillFittedLabel: "sdpa-cudnn",
            reportOnlyFits: [PrefillSeries.runnerClassName: runnerTruth, "prefill_attention (sdpa-flash)": flashTruth])
    }

    /// Measurement-like samples generated from ``truth`` (no noise): copies, compactions, GEMMs
    /// on both sides of the ridge, prefill chunks, and decode calls of all three split modes over
    /// heavy-tailed per-group lengths.
    static func samples() -> [CalibrationSample] {
        let p = truthPredictor
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
        // Prefill: the same shapes for the runner's kernel and two production kernels (cuDNN the
        // faster, so the one fitted).
        for label in ["chunked-prefill", "sdpa-flash", "sdpa-cudnn"] {
            for (chunk, history) in [(512, 0), (2048, 0), (2048, 16384), (8192, 32768), (512, 4096)] {
                let pairs = Double(chunk) * Double(history) + Double(chunk * (chunk + 1) / 2)
                add(
                    CalibrationSample(
                        kernelClass: .prefillAttention, measuredSeconds: 0,
                        bytes: Double((history + chunk) * 8 * 128 * 4), flops: 4 * 128 * 32 * pairs, label: label,
                        chunkTokens: chunk, historyTokens: history))
            }
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
        #expect(close(c.prefillAttention.launchSeconds, t.prefillAttention.launchSeconds))
        // The runner's kernel and the slower production kernel get their own lines, report only.
        #expect(result.calibration.prefillFittedLabel == "sdpa-cudnn")
        let runner = result.calibration.reportOnlyFits?[PrefillSeries.runnerClassName]
        #expect(runner.map { close($0.computeFraction, Self.runnerTruth.computeFraction) } == true)
        #expect(runner.map { close($0.launchSeconds, Self.runnerTruth.launchSeconds) } == true)
        let flash = result.calibration.reportOnlyFits?["prefill_attention (sdpa-flash)"]
        #expect(flash.map { close($0.computeFraction, Self.flashTruth.computeFraction) } == true)
        #expect(result.calibration.fit["prefill_attention"]?.fitRows == 5)
        #expect(result.calibration.fit[PrefillSeries.runnerClassName]?.fitRows == 5)
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

    /// The planner is fitted on its own rows (class decode_planner) when the run has them, not on
    /// the decode rows' plan_s (here made three times too slow).
    @Test func plannerRowsTakePrecedenceOverDecodePlanSeconds() throws {
        var samples = Self.samples()
        let p = Self.truthPredictor
        for i in samples.indices where samples[i].decode?.partition == .flashInfer {
            var planner = samples[i]
            planner.kernelClass = .decodePlanner
            planner.measuredSeconds = p.planSeconds(planner.decode!)
            samples[i].planSeconds *= 3
            samples.append(planner)
        }
        let result = try CoefficientFitter(gpu: Self.h200)
            .fit(samples, provenance: CalibrationProvenance(kind: .measured))
        let host = result.calibration.coefficients.host
        #expect(abs(host.planFixedSeconds / Self.truth.host.planFixedSeconds - 1) < 1e-6)
        #expect(abs(host.planPerItemSeconds / Self.truth.host.planPerItemSeconds - 1) < 1e-6)
        #expect(result.calibration.sources["host"]?.contains("decode_planner rows") == true)
    }

    /// Items of one plan: (request, page group) pairs. 3 requests x 8 KV heads in groups of 4 = 6.
    @Test func plannerItemsCountRequestGroupPairs() {
        let d = DecodeCalibrationProblem(
            batch: 3, queryHeads: 32, kvHeads: 8, headDim: 128, headsPerPage: 4, partition: .flashInfer, uniformSplits: 1,
            reportedCTAs: 0, groupLengths: [100, 50, 100, 50, 100, 50], targetCTAs: 528)
        #expect(CalibrationPredictor.planItems(d) == 6)
        var c = Self.truth
        c.host.planFixedSeconds = 2e-6
        c.host.planPerItemSeconds = 10e-9
        #expect(abs(CalibrationPredictor(gpu: Self.h200, coefficients: c).planSeconds(d) - 2.06e-6) < 1e-15)
    }

    /// The fitted production series: most (chunk, history) shapes first, then a paged series, then
    /// the highest median FLOP rate; the runner's label never; nil without production rows.
    @Test func fittedPrefillLabelPrefersCoverageThenPagesThenSpeed() {
        func row(_ label: String, _ chunk: Int, _ history: Int, seconds: Double) -> CalibrationSample {
            CalibrationSample(
                kernelClass: .prefillAttention, measuredSeconds: seconds, bytes: 1, flops: 1e12, label: label,
                chunkTokens: chunk, historyTokens: history)
        }
        let full = [(512, 0), (2048, 0), (512, 4096)]
        // sdpa-a: 3 shapes at 1e12 / 2e-3 = 500 TFLOP/s; sdpa-b: 1000 TFLOP/s but 2 shapes;
        // sdpa-c: 3 shapes at 250 TFLOP/s; the runner is fastest of all and never chosen.
        var rows = full.map { row("sdpa-a", $0.0, $0.1, seconds: 2e-3) }
        rows += full.prefix(2).map { row("sdpa-b", $0.0, $0.1, seconds: 1e-3) }
        rows += full.map { row("sdpa-c", $0.0, $0.1, seconds: 4e-3) }
        rows += full.map { row("chunked-prefill", $0.0, $0.1, seconds: 1e-4) }
        #expect(PrefillSeries.fittedLabel(rows) == "sdpa-a")
        #expect(PrefillSeries.fittedLabel(rows.filter { $0.label != "sdpa-a" }) == "sdpa-c")
        #expect(PrefillSeries.fittedLabel(rows.filter { $0.label == "chunked-prefill" }) == nil)
        // A paged series covering every shape wins over faster contiguous ones; one covering fewer
        // shapes does not.
        let paged = full.map { row("paged-x", $0.0, $0.1, seconds: 3e-3) }
        #expect(PrefillSeries.fittedLabel(rows + paged) == "paged-x")
        #expect(PrefillSeries.fittedLabel(rows + paged.prefix(2)) == "sdpa-a")
        #expect(PrefillSeries.isProduction("paged-x") && PrefillSeries.isPaged("paged-x"))
        #expect(!PrefillSeries.isPaged("sdpa-a") && !PrefillSeries.isProduction("chunked-prefill"))
        let predictor = CalibrationPredictor(gpu: Self.h200, coefficients: Self.truth, prefillFittedLabel: "sdpa-a")
        #expect(predictor.reportName(rows[0]) == "prefill_attention")
        #expect(predictor.reportName(rows[3]) == "prefill_attention (sdpa-b)")
        #expect(predictor.reportName(rows.last!) == "prefill_attention (runner kernel)")
    }

    /// Without production rows the prefill coefficients keep their prior; the runner's kernel is
    /// still fitted, report only.
    @Test func runnerPrefillAloneLeavesThePriorInPlace() throws {
        let samples = Self.samples().filter { $0.kernelClass != .prefillAttention || $0.label == "chunked-prefill" }
        let result = try CoefficientFitter(gpu: Self.h200)
            .fit(samples, provenance: CalibrationProvenance(kind: .measured))
        let prior = KernelCoefficients.specDerived(for: Self.h200)
        #expect(result.calibration.coefficients.prefillAttention == prior.prefillAttention)
        #expect(result.calibration.prefillFittedLabel == nil)
        #expect(result.calibration.sources["prefillAttention"] == "spec-derived")
        let runner = result.calibration.reportOnlyFits?[PrefillSeries.runnerClassName]
        #expect(runner.map { abs($0.computeFraction / Self.runnerTruth.computeFraction - 1) < 1e-6 } == true)
    }

    @Test func jsonRoundTrips() throws {
        var cal = GPUCalibration.specDerived(for: Self.h200)
        let bare = try GPUCalibration.parse(cal.jsonText(), path: "bare.json")
        #expect(bare.prefillFittedLabel == nil && bare.reportOnlyFits == nil)
        cal.prefillFittedLabel = "sdpa-cudnn"
        cal.reportOnlyFits = [PrefillSeries.runnerClassName: Self.runnerTruth]
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
