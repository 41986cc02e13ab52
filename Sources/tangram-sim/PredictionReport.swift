import CUDARunner
import Foundation
import GPUModel

/// Predicted versus measured kernel times: for every timed row of a measurement run, the cost
/// model's prediction under given coefficients and its absolute percentage error, summarised per
/// kernel class as median and p90 (prefill rows per series: the fitted production kernel, other
/// production kernels, the runner's own kernel; ``CalibrationPredictor/reportName(_:)``).
enum PredictionReport {
    /// The catalogued GPU a measurement's device name stands for (`NVIDIA H200` is `h200`).
    static func gpu(forDevice name: String) -> GPUSpec? {
        let key = name.lowercased()
        for (needle, gpu) in [("h200", GPUCatalog.h200), ("h100", GPUCatalog.h100_sxm), ("a100", GPUCatalog.a100_80gb),
                              ("b200", GPUCatalog.b200), ("l40s", GPUCatalog.l40s)] where key.contains(needle) {
            return gpu
        }
        return nil
    }

    /// Report lines for each named set of coefficients, and the per-row predictions as CSV text.
    static func lines(files: [(file: String, records: [MeasurementRecord])], predictors: [(String, CalibrationPredictor)])
        -> (lines: [String], csv: String)
    {
        guard let first = files.first?.records.first, let gpu = gpu(forDevice: first.gpuName) else {
            return (["predicted vs measured: no catalogued GPU for these measurements; skipped"], "")
        }
        let samples = files.flatMap { MeasurementSamples.calibrationSamples(from: $0.records, file: $0.file).samples }
        var out = ["predicted vs measured on \(gpu.name) (\(samples.count) timed rows; absolute % error)"]
        var csv = "kernel_class,line,measured_s"
        for (name, _) in predictors { csv += ",predicted_\(name)_s" }
        csv += "\n"
        var errors: [String: [String: [Double]]] = [:]
        var predicted: [[Double]] = []
        // Rows are named by the last predictor's series names (the calibrated one, when given).
        let naming = predictors.last?.1
        for (name, predictor) in predictors {
            var column: [Double] = []
            for s in samples {
                let p = predictor.seconds(s)
                column.append(p)
                let key = naming?.reportName(s) ?? s.kernelClass.rawValue
                errors[key, default: [:]][name, default: []].append(abs(p - s.measuredSeconds) / s.measuredSeconds * 100)
            }
            predicted.append(column)
        }
        for (i, s) in samples.enumerated() {
            csv += "\(MeasurementCSV.escape(naming?.reportName(s) ?? s.kernelClass.rawValue)),\(s.line),\(s.measuredSeconds)"
            for column in predicted { csv += ",\(column[i])" }
            csv += "\n"
        }
        let width = max(20, (errors.keys.map(\.count).max() ?? 0) + 2)
        var header = "kernel class".padding(toLength: width, withPad: " ", startingAt: 0) + "rows"
        for (name, _) in predictors { header += "  \(name) median  \(name) p90" }
        out.append(header)
        for kernel in errors.keys.sorted() {
            var line = kernel.padding(toLength: width, withPad: " ", startingAt: 0)
            line += String(format: "%4d", errors[kernel]?.values.first?.count ?? 0)
            for (name, _) in predictors {
                let e = (errors[kernel]?[name] ?? []).sorted()
                func q(_ f: Double) -> Double { e.isEmpty ? .nan : e[min(e.count - 1, Int((Double(e.count - 1) * f).rounded()))] }
                line += String(format: "  %*.1f%%  %*.1f%%", name.count + 6, q(0.5), name.count + 3, q(0.9))
            }
            out.append(line)
        }
        return (out, csv)
    }
}
