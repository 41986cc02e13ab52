/// Which measured prefill-attention rows price the simulation, and which are reported only.
///
/// The simulator prices the *serving engine's* prefill kernel. The measurement CSV can hold
/// prefill rows of several kernels, told apart by their `label`: the CUDA runner's own kernel
/// (`chunked-prefill`, Kernels/tk_prefill.cu) and production kernels timed through PyTorch on the
/// same machine and shapes (labels starting with `sdpa-`, Kernels/sdpa_compare.py). The prefill
/// coefficients are fitted on one production series, chosen by ``fittedLabel(_:)``; every other
/// series gets its own fitted line that is reported but not used by the simulation
/// (docs/validation.md, "Prefill attention").
public enum PrefillSeries {
    /// Labels of production kernels start with this.
    public static let productionPrefix = "sdpa-"
    /// The report name of the runner's own kernel.
    public static let runnerClassName = "prefill_attention (runner kernel)"
    /// The report name of the fitted series.
    public static let fittedClassName = CalibrationKernelClass.prefillAttention.rawValue

    /// Whether `label` names a production kernel's series.
    public static func isProduction(_ label: String) -> Bool { label.hasPrefix(productionPrefix) }

    /// The series name of a prefill row with `label`: `prefill_attention (sdpa-cudnn)` for a
    /// production kernel, ``runnerClassName`` for anything else.
    public static func seriesName(label: String) -> String {
        isProduction(label) ? "\(fittedClassName) (\(label))" : runnerClassName
    }

    /// The report name of a prefill row: ``fittedClassName`` when its label is `fitted`, else its
    /// ``seriesName(label:)``.
    public static func reportName(label: String, fitted: String?) -> String {
        label == fitted ? fittedClassName : seriesName(label: label)
    }

    /// The production series the prefill coefficients are fitted on: among labels with
    /// ``productionPrefix``, those covering the most distinct (chunk, history) shapes, of these
    /// the one with the highest median FLOP rate (flops / measured seconds over its rows), ties by
    /// name. `nil` when no production rows exist.
    public static func fittedLabel(_ samples: [CalibrationSample]) -> String? {
        var rows: [String: [CalibrationSample]] = [:]
        for s in samples where s.kernelClass == .prefillAttention && s.measuredSeconds > 0 && isProduction(s.label) {
            rows[s.label, default: []].append(s)
        }
        struct Shape: Hashable {
            var chunk: Int, history: Int
        }
        let ranked = rows.map { label, rows -> (label: String, shapes: Int, rate: Double) in
            let shapes = Set(rows.map { Shape(chunk: $0.chunkTokens, history: $0.historyTokens) }).count
            return (label, shapes, LeastSquares.nearestRank(rows.map { $0.flops / $0.measuredSeconds }, 0.5))
        }
        return ranked.max { a, b in
            (a.shapes, a.rate, b.label) < (b.shapes, b.rate, a.label)
        }?.label
    }
}
