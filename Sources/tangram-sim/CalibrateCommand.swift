import ArgumentParser
import CUDARunner
import Foundation
import GPUModel
import Reports

/// `tangram-sim calibrate`: fits the kernel cost model's coefficients to the measurement CSV
/// that `--validate` writes, prints the fit error per kernel class and writes a calibration JSON.
///
/// See docs/cost-model.md ("Calibration").
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the kernel cost model's coefficients to a --validate measurement CSV.",
        discussion: """
            Reads the CSVs (columns of Sources/CUDARunner/MeasurementCSV.swift; repeat \
            --measurements to add e.g. the production prefill rows of Kernels/sdpa_compare.py), \
            rebuilds every decode call's thread blocks from its profile, batch, context and split \
            mode, fits each kernel class with GSL least squares (relative errors) and writes the \
            coefficients with their provenance. Prefill attention is fitted on the fastest \
            production kernel's rows (labels sdpa-...); the runner's own prefill kernel and the \
            other production kernels are reported with their own lines, not used by the \
            simulation. With --holdout-half every other row of each class is held out and its \
            error reported. With --spec-derived no measurements are read: the GPU's \
            datasheet-derived coefficients are written, a starting point for a what-if file \
            (edit a value, pass the file to --calibration).
            """)

    @Option(help: "Measurement CSV written by --validate (repeatable: rows of every file are fitted together).")
    var measurements: [String] = []

    @Flag(name: .customLong("spec-derived"),
          help: "Write the GPU's spec-derived coefficients (no measurements) instead of fitting.")
    var specDerived = false

    @Option(help: "Catalog name of the GPU the measurements come from (h200, a100-80gb, ...).")
    var gpu: String

    @Option(help: "Calibration JSON to write (written to a temporary file and renamed into place).")
    var out: String

    @Flag(name: .customLong("holdout-half"), help: "Fit on half the rows of each class; report the other half's error.")
    var holdoutHalf = false

    @Option(help: "Calibration date recorded in the file (YYYY-MM-DD; default: today, UTC).")
    var date: String?

    @Option(
        name: .customLong("skip"),
        help:
            "Keep the prior coefficients of a class although it was measured (repeatable): \(CoefficientFitter.classNames.joined(separator: ", "))."
    )
    var skip: [String] = []

    @Option(help: "Also write every row's measured and predicted seconds (fitted coefficients) to this CSV.")
    var predictions: String?

    func validate() throws {
        if specDerived {
            if !measurements.isEmpty { throw ValidationError("--spec-derived reads no --measurements") }
            return
        }
        if measurements.isEmpty { throw ValidationError("--measurements: at least one CSV is needed") }
        for name in skip where !CoefficientFitter.classNames.contains(name) {
            throw ValidationError(
                "--skip \(name): unknown class; known: \(CoefficientFitter.classNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        let spec: GPUSpec
        do { spec = try GPUCatalog.gpu(named: gpu) } catch { throw ValidationError(error.description) }
        if specDerived {
            do { try AtomicFile.write(GPUCalibration.specDerived(for: spec).jsonText(), to: out) } catch {
                throw ValidationError("\(out): \(error)")
            }
            print("wrote \(out) (kernel-model:\(spec.name):spec-derived)")
            return
        }
        var records: [MeasurementRecord] = []
        var conversion: (samples: [CalibrationSample], notes: [String]) = ([], [])
        for file in measurements {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("\(file): cannot read: \(error.localizedDescription)")
            }
            let fileRecords: [MeasurementRecord]
            do { fileRecords = try MeasurementCSV.decode(text, file: file) } catch {
                throw ValidationError(error.description)
            }
            let part = MeasurementSamples.calibrationSamples(from: fileRecords, file: file)
            records += fileRecords
            conversion.samples += part.samples
            conversion.notes += part.notes
        }
        let measurementFiles = measurements.joined(separator: " + ")
        guard !conversion.samples.isEmpty else {
            throw ValidationError("\(measurementFiles): no timed rows with status ok")
        }
        if let device = records.first, device.smCount > 0, device.smCount != spec.smCount {
            StandardError.write(
                "calibrate: warning: \(measurementFiles) reports \(device.smCount) SMs, "
                    + "the catalog's \(spec.name) has \(spec.smCount)\n")
        }
        var command = "tangram-sim calibrate"
        for file in measurements { command += " --measurements \(file)" }
        command += " --gpu \(spec.name) --out \(out)"
        if holdoutHalf { command += " --holdout-half" }
        for name in skip { command += " --skip \(name)" }
        var remarks: [String] = []
        if holdoutHalf { remarks.append("fitted on every other row of each kernel class; the rest held out") }
        if !skip.isEmpty { remarks.append("kept at spec-derived although measured: \(skip.joined(separator: ", "))") }
        let provenance = CalibrationProvenance(
            kind: .measured, date: date ?? Self.today(), measurementFile: measurementFiles, command: command,
            deviceName: records.first?.gpuName, driver: records.first?.driverVersion,
            note: remarks.isEmpty ? nil : remarks.joined(separator: "; "))
        let result: CoefficientFitter.Result
        do {
            result = try CoefficientFitter(gpu: spec, holdOutHalf: holdoutHalf, skippedClasses: Set(skip))
                .fit(conversion.samples, provenance: provenance)
        } catch {
            throw ValidationError(error.description)
        }
        print(Self.report(result, skipped: conversion.notes), terminator: "")
        if let predictions {
            let predictor = CalibrationPredictor(gpu: spec, calibration: result.calibration)
            var csv = "line,kernel_class,label,split_mode,batch,ctas,measured_s,predicted_s\n"
            for s in conversion.samples {
                let mode = s.decode?.partition.rawValue ?? ""
                csv +=
                    "\(s.line),\(predictor.reportName(s)),\(MeasurementCSV.escape(s.label)),\(mode),\(s.decode?.batch ?? 0),"
                    + "\(s.decode?.reportedCTAs ?? 0),\(s.measuredSeconds),\(predictor.seconds(s))\n"
            }
            do { try AtomicFile.write(csv, to: predictions) } catch {
                throw ValidationError("\(predictions): \(error)")
            }
        }
        do { try AtomicFile.write(result.calibration.jsonText(), to: out) } catch {
            throw ValidationError("\(out): \(error)")
        }
        print("wrote \(out) (kernel-model:\(spec.name):\(result.calibration.labelSuffix(for: spec.name)))")
    }

    /// The error table and the fitted coefficients, as text.
    static func report(_ result: CoefficientFitter.Result, skipped: [String]) -> String {
        let cal = result.calibration
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0) } ?? "-" }
        let width = max(18, (cal.fit.keys.map(\.count).max() ?? 0) + 1)
        var out =
            "kernel class".padding(toLength: width, withPad: " ", startingAt: 0)
            + "  rows  fit median  fit p90  held-out rows  held-out median  held-out p90  spec-derived median\n"
        for key in cal.fit.keys.sorted() {
            let e = cal.fit[key]!
            out += key.padding(toLength: width, withPad: " ", startingAt: 0)
            out +=
                String(format: "%6d", e.fitRows) + pct(e.fitMedianAbsPercent).leftPadded(12)
                + pct(e.fitP90AbsPercent).leftPadded(9) + String(format: "%15d", e.heldOutRows)
                + pct(e.heldOutMedianAbsPercent).leftPadded(17) + pct(e.heldOutP90AbsPercent).leftPadded(14)
                + pct(e.specDerivedMedianAbsPercent).leftPadded(21)
                + (e.fitted ? "" : key.hasPrefix("prefill_attention (") ? "  (no line fitted)" : "  (kept prior: --skip)")
                + (key.hasPrefix("prefill_attention (") ? "  report only" : "") + "\n"
        }
        let c = cal.coefficients
        out += String(
            format: "gemm: compute %.3f, memory %.3f, launch %.2f µs\n", c.gemm.computeFraction,
            c.gemm.memoryFraction, c.gemm.launchSeconds * 1e6)
        func prefillLine(_ name: String, _ p: RooflineCoefficients) -> String {
            name
                + String(
                format: ": compute %.3f (%.0f TFLOP/s), memory %.3f, launch %.2f µs\n", p.computeFraction,
                p.computeFraction * (GPUCatalog.all.first { $0.name == cal.gpu }?.denseBF16FlopsPerSecond ?? 0) / 1e12,
                p.memoryFraction, p.launchSeconds * 1e6)
        }
        out += prefillLine(
            "prefill attention" + (cal.prefillFittedLabel.map { " (fitted on \($0))" } ?? ""), c.prefillAttention)
        for (name, p) in (cal.reportOnlyFits ?? [:]).sorted(by: { $0.key < $1.key }) {
            out += prefillLine(name + ", report only", p)
        }
        let sms = Double(GPUCatalog.all.first { $0.name == cal.gpu }?.smCount ?? 0)
        out += String(
            format: "decode attention: memory %.3f, CTA share %.5f (%.2f x 1/SMs), launch %.2f µs\n",
            c.decodeAttention.memoryFraction, c.decodeAttention.ctaBandwidthShare,
            c.decodeAttention.ctaBandwidthShare * sms, c.decodeAttention.launchSeconds * 1e6)
        out += String(
            format: "compaction: memory %.3f, launch %.2f µs; device copy: memory %.3f\n",
            c.compaction.memoryFraction, c.compaction.launchSeconds * 1e6, c.deviceCopy.memoryFraction)
        out += String(
            format: "planner: %.2f µs + %.2f ns per (sequence x page group)\n", c.host.planFixedSeconds * 1e6,
            c.host.planPerItemSeconds * 1e9)
        for note in result.notes + skipped { out += "note: \(note)\n" }
        return out
    }

    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let d = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
