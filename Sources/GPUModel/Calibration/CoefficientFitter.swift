/// Fits ``KernelCoefficients`` to measured kernel calls with GSL least squares, class by class,
/// minimising squared relative errors (docs/cost-model.md, "Calibration"):
/// - copy and compaction: `t = launch + bytes x (1 / (peak bandwidth x memoryFraction))`;
/// - GEMM and prefill attention: each row is assigned to its bound (compute or memory) under the
///   current coefficients, `t = launch + flops x c_f + bytes x c_m` is fitted over the rows of
///   each bound, and the assignment is repeated until it no longer changes. Prefill attention is
///   fitted on the production series ``PrefillSeries/fittedLabel(_:)`` picks; every other prefill
///   series (the runner's own kernel, production kernels not chosen) gets a report-only line;
/// - decode attention: for each candidate ``DecodeAttentionCoefficients/ctaBandwidthShare`` in
///   ``shareMultiples`` (multiples of `1 / smCount`), `t = 2 launch + X / (peak x memoryFraction)`
///   with `X` the wave model's time at unit bandwidth (bytes) plus the merge bytes, the CTAs rebuilt
///   as the runner's kernel cut them; the share with the least error wins;
/// - host planning: `plan = planFixed + planPerItem x` ``CalibrationPredictor/planItems(_:)``, on the
///   planner's own rows (class `decode_planner`) or, for runs without them, the decode planner rows'
///   `plan_s`.
/// Classes without rows keep their prior (spec-derived) coefficients. With ``holdOutHalf`` every
/// other row of each reported series (in file order) is fitted and the rest held out.
public struct CoefficientFitter: Sendable {
    /// The GPU the measurements come from (its datasheet peaks turn slopes into fractions).
    public var gpu: GPUSpec
    /// Coefficients for what is not measured, and the starting point of the fit.
    public var prior: KernelCoefficients
    /// Fit on every other row of each class and report the error on the rest.
    public var holdOutHalf: Bool
    /// Candidate CTA bandwidth shares, as multiples of `1 / smCount`.
    public var shareMultiples: [Double] = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2]
    /// Classes whose coefficients keep their prior although rows exist (their errors are still
    /// reported): kernel class names, or `decode_planner` for the host planner.
    public var skippedClasses: Set<String>

    public init(
        gpu: GPUSpec, prior: KernelCoefficients? = nil, holdOutHalf: Bool = false,
        skippedClasses: Set<String> = []
    ) {
        self.gpu = gpu
        self.prior = prior ?? .specDerived(for: gpu)
        self.holdOutHalf = holdOutHalf
        self.skippedClasses = skippedClasses
    }

    /// Names ``skippedClasses`` accepts.
    public static let classNames = CalibrationKernelClass.allCases.map(\.rawValue)

    /// The fit's outcome: the calibration to write and the per-class error table.
    public struct Result: Sendable {
        /// Coefficients, provenance, per-group sources and per-class errors.
        public var calibration: GPUCalibration
        /// Remarks: classes left at their prior, out-of-range fractions, skipped rows.
        public var notes: [String]
    }

    /// Fits the coefficients.
    ///
    /// - Parameters:
    ///   - samples: measured calls, in file order.
    ///   - provenance: what to record (its kind is set to measured, its row count filled in).
    /// - Throws: ``LeastSquares/FitError`` when GSL rejects a system.
    public func fit(_ samples: [CalibrationSample], provenance: CalibrationProvenance) throws(LeastSquares.FitError)
        -> Result
    {
        var c = prior
        var notes: [String] = []
        var sources = Dictionary(uniqueKeysWithValues: GPUCalibration.groupNames.map { ($0, "spec-derived") })
        let measuredSource = "measured: \(provenance.measurementFile ?? "measurements")"
        let peakBandwidth = gpu.memoryBandwidthBytesPerSecond, peakFlops = gpu.denseBF16FlopsPerSecond

        // The rows of each reported series, in file order, and their fit / held-out halves.
        let timed = samples.filter { $0.measuredSeconds > 0 }
        let prefillLabel = PrefillSeries.fittedLabel(timed)
        var series: [String: [CalibrationSample]] = [:]
        var order: [String] = []
        func add(_ name: String, _ s: CalibrationSample) {
            if series[name] == nil { order.append(name) }
            series[name, default: []].append(s)
        }
        let plannerRows = timed.filter { $0.kernelClass == .decodePlanner && $0.decode != nil }
        for s in timed {
            switch s.kernelClass {
            case .prefillAttention: add(PrefillSeries.reportName(label: s.label, fitted: prefillLabel), s)
            case .decodeAttention:
                add(s.kernelClass.rawValue, s)
                // Runs without planner rows: the decode planner rows' plan_s.
                if plannerRows.isEmpty && s.planSeconds > 0 && s.decode != nil {
                    var p = s
                    p.kernelClass = .decodePlanner
                    p.measuredSeconds = s.planSeconds
                    add(CalibrationKernelClass.decodePlanner.rawValue, p)
                }
            case .decodePlanner: if s.decode != nil { add(s.kernelClass.rawValue, s) }
            default: add(s.kernelClass.rawValue, s)
            }
        }
        func halves(_ name: String) -> (fit: [CalibrationSample], held: [CalibrationSample]) {
            let rows = series[name] ?? []
            guard holdOutHalf else { return (rows, []) }
            return (
                rows.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                rows.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            )
        }

        func fitMemoryBound(
            _ rows: [CalibrationSample], into target: inout RooflineCoefficients, group: String,
            name: String
        ) throws(LeastSquares.FitError) {
            guard !skippedClasses.contains(name) else { return }
            guard rows.count >= 2 else {
                if !rows.isEmpty { notes.append("\(name): \(rows.count) row, left at its prior") }
                return
            }
            var coef = try LeastSquares.fit(rows: rows.map { [1, $0.bytes] }, targets: rows.map(\.measuredSeconds))
            if coef[0] < 0 {
                coef = [0] + (try LeastSquares.fit(rows: rows.map { [$0.bytes] }, targets: rows.map(\.measuredSeconds)))
            }
            guard coef[1] > 0 else {
                notes.append("\(name): non-positive bandwidth slope, left at its prior")
                return
            }
            target.launchSeconds = coef[0]
            target.memoryFraction = 1 / (coef[1] * peakBandwidth)
            sources[group] = measuredSource
        }

        /// Returns whether the line was fitted.
        @discardableResult
        func fitRoofline(
            _ rows: [CalibrationSample], into target: inout RooflineCoefficients, name: String
        ) throws(LeastSquares.FitError) -> Bool {
            guard rows.count >= 3 else {
                if !rows.isEmpty { notes.append("\(name): \(rows.count) rows, left at its prior") }
                return false
            }
            var current = target
            var previous: [Bool] = []
            for _ in 0..<10 {
                let computeBound = rows.map {
                    $0.flops / (peakFlops * current.computeFraction) >= $0.bytes
                        / (peakBandwidth * current.memoryFraction)
                }
                if computeBound == previous { break }
                previous = computeBound
                let useCompute = computeBound.contains(true), useMemory = computeBound.contains(false)
                func design(_ withIntercept: Bool) -> [[Double]] {
                    zip(rows, computeBound).map { row, cb in
                        var r: [Double] = withIntercept ? [1] : []
                        if useCompute { r.append(cb ? row.flops : 0) }
                        if useMemory { r.append(cb ? 0 : row.bytes) }
                        return r
                    }
                }
                var coef = try LeastSquares.fit(rows: design(true), targets: rows.map(\.measuredSeconds))
                if coef[0] < 0 {
                    coef = [0] + (try LeastSquares.fit(rows: design(false), targets: rows.map(\.measuredSeconds)))
                }
                current.launchSeconds = coef[0]
                var k = 1
                if useCompute {
                    if coef[k] > 0 {
                        current.computeFraction = 1 / (coef[k] * peakFlops)
                    } else {
                        notes.append("\(name): non-positive compute slope, compute fraction left")
                    }
                    k += 1
                }
                if useMemory {
                    if coef[k] > 0 {
                        current.memoryFraction = 1 / (coef[k] * peakBandwidth)
                    } else {
                        notes.append("\(name): non-positive bandwidth slope, memory fraction left")
                    }
                }
            }
            target = current
            return true
        }

        try fitMemoryBound(halves("copy").fit, into: &c.deviceCopy, group: "deviceCopy", name: "copy")
        try fitMemoryBound(halves("compaction").fit, into: &c.compaction, group: "compaction", name: "compaction")
        if !skippedClasses.contains("gemm"), try fitRoofline(halves("gemm").fit, into: &c.gemm, name: "gemm") {
            sources["gemm"] = measuredSource
        }

        // Prefill attention: the chosen production series prices the simulation; the others get
        // report-only lines, each fitted from the prior like the chosen one.
        let prefillName = PrefillSeries.fittedClassName
        if let prefillLabel {
            if skippedClasses.contains(prefillName) {
                notes.append("\(prefillName): kept at its prior (--skip); \(prefillLabel) rows reported against it")
            } else if try fitRoofline(halves(prefillName).fit, into: &c.prefillAttention, name: prefillName) {
                sources["prefillAttention"] = "\(measuredSource) (label \(prefillLabel))"
                notes.append(
                    "\(prefillName): fitted on the \(prefillLabel) rows, "
                        + (PrefillSeries.isPaged(prefillLabel)
                            ? "a production kernel reading the KV through pages as the simulated engine does; "
                            : "the fastest production kernel measured; ")
                        + "other prefill series are reported with their own lines, not used by the simulation")
            }
        } else if order.contains(where: { $0.hasPrefix(prefillName + " (") }) {
            notes.append(
                "\(prefillName): no production-kernel rows (label \(PrefillSeries.productionPrefix)... or "
                    + "\(PrefillSeries.pagedPrefix)...), kept at its "
                    + "prior; the runner's own kernel is reported with its own line, not used by the simulation")
        }
        var reportOnly: [String: RooflineCoefficients] = [:]
        for name in order where name.hasPrefix(prefillName + " (") {
            var line = prior.prefillAttention
            if try fitRoofline(halves(name).fit, into: &line, name: name) { reportOnly[name] = line }
        }

        // Decode attention: grid over the CTA share, least squares inside.
        let decodeRows = halves("decode_attention").fit.filter { $0.decode != nil }
        if decodeRows.count >= 2 && !skippedClasses.contains("decode_attention") {
            var best: (error: Double, coefficients: DecodeAttentionCoefficients)?
            for multiple in shareMultiples {
                var dc = c.decodeAttention
                dc.ctaBandwidthShare = multiple / Double(max(gpu.smCount, 1))
                // The wave time in bytes does not depend on the bandwidth, so one fit per share.
                var trial = c
                trial.decodeAttention = dc
                let features = decodeRows.map { row -> Double in
                    let f = CalibrationPredictor(gpu: gpu, coefficients: trial).decodeFeature(row.decode!, bandwidth: 1)
                    return f.waveBytes + f.mergeBytes
                }
                var coef = try LeastSquares.fit(
                    rows: features.map { [1, $0] }, targets: decodeRows.map(\.measuredSeconds))
                if coef[0] < 0 {
                    coef =
                        [0]
                        + (try LeastSquares.fit(
                            rows: features.map { [$0] },
                            targets: decodeRows.map(\.measuredSeconds)))
                }
                guard coef[1] > 0 else { continue }
                dc.launchSeconds = coef[0] / 2
                dc.memoryFraction = 1 / (coef[1] * peakBandwidth)
                trial.decodeAttention = dc
                let predictor = CalibrationPredictor(gpu: gpu, coefficients: trial)
                var error = 0.0
                for row in decodeRows {
                    let r = (predictor.seconds(row) - row.measuredSeconds) / row.measuredSeconds
                    error += r * r
                }
                if best == nil || error < best!.error { best = (error, dc) }
            }
            if let best {
                c.decodeAttention = best.coefficients
                sources["decodeAttention"] = measuredSource
            } else {
                notes.append("decode_attention: no positive bandwidth slope for any CTA share, left at its prior")
            }
        }

        // Host planner.
        let planName = CalibrationKernelClass.decodePlanner.rawValue
        let planRows = halves(planName).fit
        if planRows.count >= 2 && !skippedClasses.contains(planName) {
            let items = planRows.map { CalibrationPredictor.planItems($0.decode!) }
            var coef = try LeastSquares.fit(rows: items.map { [1, $0] }, targets: planRows.map(\.measuredSeconds))
            if coef[0] < 0 {
                coef = [0] + (try LeastSquares.fit(rows: items.map { [$0] }, targets: planRows.map(\.measuredSeconds)))
            }
            if coef[1] >= 0 {
                c.host.planFixedSeconds = coef[0]
                c.host.planPerItemSeconds = coef[1]
                let source = plannerRows.isEmpty ? "decode planner rows' plan_s" : "decode_planner rows"
                sources["host"] =
                    "planning measured (\(source)): \(provenance.measurementFile ?? "measurements"); rest spec-derived"
            } else {
                notes.append("\(planName): negative per-item slope, left at its prior")
            }
        }

        for (name, f) in [("gemm", c.gemm.computeFraction), (prefillName, c.prefillAttention.computeFraction)]
        where !(f > 0 && f <= 1.05) {
            notes.append("\(name): fitted compute fraction \(f) is outside (0, 1]")
        }
        for (name, f) in [
            ("copy", c.deviceCopy.memoryFraction), ("compaction", c.compaction.memoryFraction),
            ("gemm", c.gemm.memoryFraction), ("decode_attention", c.decodeAttention.memoryFraction),
        ]
        where !(f > 0 && f <= 1.05) {
            notes.append("\(name): fitted memory fraction \(f) is outside (0, 1]")
        }

        // Errors per reported series: fitted rows, held-out rows, and the prior on all rows.
        let fitted = CalibrationPredictor(
            gpu: gpu, coefficients: c, prefillFittedLabel: prefillLabel, reportOnlyFits: reportOnly)
        let specDerived = CalibrationPredictor(gpu: gpu, coefficients: prior)
        func absPercent(_ p: CalibrationPredictor, _ rows: [CalibrationSample]) -> [Double] {
            rows.map { abs(p.seconds($0) - $0.measuredSeconds) / $0.measuredSeconds * 100 }
        }
        var errors: [String: KernelClassFitError] = [:]
        for name in order {
            let (f, h) = halves(name)
            let fe = absPercent(fitted, f), he = absPercent(fitted, h), se = absPercent(specDerived, f + h)
            var e = KernelClassFitError(
                fitRows: f.count, fitMedianAbsPercent: LeastSquares.nearestRank(fe, 0.5),
                fitP90AbsPercent: LeastSquares.nearestRank(fe, 0.9), heldOutRows: h.count,
                heldOutMedianAbsPercent: h.isEmpty ? nil : LeastSquares.nearestRank(he, 0.5),
                heldOutP90AbsPercent: h.isEmpty ? nil : LeastSquares.nearestRank(he, 0.9),
                specDerivedMedianAbsPercent: LeastSquares.nearestRank(se, 0.5))
            let className = name.hasPrefix(prefillName + " (") ? nil : name
            e.fitted = className.map { !skippedClasses.contains($0) } ?? (reportOnly[name] != nil)
            errors[name] = e
        }

        var prov = provenance
        prov.kind = .measured
        prov.rowCount = samples.count
        var calibration = GPUCalibration(
            gpu: gpu.name, provenance: prov, coefficients: c, sources: sources,
            fit: errors)
        calibration.prefillFittedLabel = sources["prefillAttention"] == "spec-derived" ? nil : prefillLabel
        calibration.reportOnlyFits = reportOnly.isEmpty ? nil : reportOnly
        return Result(calibration: calibration, notes: notes)
    }
}
