/// Which measured prefill-attention rows price the simulation, and which are reported only.
///
/// The simulator prices the *serving engine's* prefill kernel. The measurement CSV can hold
/// prefill rows of several kernels, told apart by their `label`: the CUDA runner's own kernel
/// (`chunked-prefill`, Kernels/tk_prefill.cu), production kernels timed through PyTorch on
/// contiguous K and V (labels starting with `sdpa-`, Kernels/sdpa_compare.py) and production
/// kernels reading K and V through 16-token pages, as a paged serving engine does (labels
/// starting with `paged-`, Kernels/paged_prefill_bench.py), on the same machine and shapes. The
/// prefill coefficients are fitted on one production series, chosen by ``fittedLabel(_:)``;
/// every other series gets its own fitted line that is reported but not used by the simulation
/// (docs/validation.md, "Prefill attention").
public enum PrefillSeries {
    /// Labels of production kernels on contiguous K and V start with this.
    public static let productionPrefix = "sdpa-"
    /// Labels of production kernels reading K and V through pages start with this.
    public static let pagedPrefix = "paged-"
    /// The report name of the runner's own kernel.
    public static let runnerClassName = "prefill_attention (runner kernel)"
    /// The report name of the fitted series.
    public static let fittedClassName = CalibrationKernelClass.prefillAttention.rawValue

    /// Whether `label` names a production kernel's series.
    public static func isProduction(_ label: String) -> Bool {
        label.hasPrefix(productionPrefix) || isPaged(label)
    }

    /// Whether `label` names a production kernel that reads K and V through pages.
    public static func isPaged(_ label: String) -> Bool { label.hasPrefix(pagedPrefix) }

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

    /// The production series the prefill coefficients are fitted on: among production labels
    /// (``isProduction(_:)``), those covering the most distinct (chunk, history) shapes; of these
    /// a paged series (``isPaged(_:)``) before a contiguous one, since the simulated engine reads
    /// its KV cache through pages; then the highest median FLOP rate (flops / measured seconds
    /// over its rows), ties by name. `nil` when no production rows exist.
    public static func fittedLabel(_ samples: [CalibrationSample]) -> String? {
        var rows: [String: [CalibrationSample]] = [:]
        for s in samples where s.kernelClass == .prefillAttention && s.measuredSeconds > 0 && isProduction(s.label) {
            rows[s.label, default: []].append(s)
        }
        struct Shape: Hashable {
            var chunk: Int, history: Int
        }
        let ranked = rows.map { label, rows -> (label: String, shapes: Int, paged: Int, rate: Double) in
            let shapes = Set(rows.map { Shape(chunk: $0.chunkTokens, history: $0.historyTokens) }).count
            return (label, shapes, isPaged(label) ? 1 : 0,
                    LeastSquares.nearestRank(rows.map { $0.flops / $0.measuredSeconds }, 0.5))
        }
        return ranked.max { a, b in
            (a.shapes, a.paged, a.rate, b.label) < (b.shapes, b.paged, b.rate, a.label)
        }?.label
    }
}
