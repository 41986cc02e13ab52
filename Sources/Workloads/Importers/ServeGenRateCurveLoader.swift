/// Reads ServeGen arrival-rate curves into a ``RateCurve``.
///
/// Two layouts are accepted:
/// - a client trace `chunk-<c>-trace.csv` (no header):
///   `window_start_s,rate,cv,pattern,shape,scale`, where `pattern` is `Gamma`, `Weibull` or
///   empty (idle). Gaps inside a window follow that pattern's shape, rescaled to the window's
///   rate, as ServeGen's generator does; a window with a rate but no pattern is Poisson.
/// - the aggregate file `servegen_aggregate_rate.csv` (header
///   `model,window_start_s,total_rate_rps,active_clients`): the rows of one model
///   (``TraceImportOptions/servegenModel``, default the first), Poisson within each window.
///
/// A window lasts until the next one starts; the last lasts as long as the one before it
/// (600 s in ServeGen's data). Rows must be sorted by start time.
public enum ServeGenRateCurveLoader {
    /// Aggregate-file columns.
    public static let aggregateColumns = ["model", "window_start_s", "total_rate_rps"]

    /// Loads the curve of `path`.
    ///
    /// - Returns: The curve and a report of rows read and skipped.
    /// - Throws: ``TraceParseError`` for a malformed row (unless skipping) or an empty curve.
    public static func load(path: String, options: TraceImportOptions = TraceImportOptions())
        throws(TraceParseError) -> (curve: RateCurve, report: TraceReadReport)
    {
        var report = TraceReadReport()
        let lines = try LineReader(path: path)
        var starts: [Double] = []
        var rates: [Double] = []
        var shapes: [RateCurve.GapShape] = []
        var aggregate = false
        var modelColumn = 0
        var startColumn = 1
        var rateColumn = 2
        var chosenModel = options.servegenModel
        var first = true
        while true {
            guard let (bytes, context) = try lines.nextRow(skipBadRows: options.skipBadRows, report: &report) else {
                break
            }
            do throws(TraceParseError) {
                let fields: [String]
                switch CSVLine.split(bytes) {
                case .failure(let f): throw context.error(nil, f.reason)
                case .success(let f): fields = f.map(\.trimmingSpaces)
                }
                if first {
                    first = false
                    if fields.contains("window_start_s") {
                        aggregate = true
                        for c in aggregateColumns where !fields.contains(c) {
                            throw context.error(c, "missing column")
                        }
                        modelColumn = fields.firstIndex(of: "model") ?? 0
                        startColumn = fields.firstIndex(of: "window_start_s") ?? 1
                        rateColumn = fields.firstIndex(of: "total_rate_rps") ?? 2
                        report.rowsRead -= 1
                        continue
                    }
                }
                if aggregate {
                    guard fields.count > max(modelColumn, startColumn, rateColumn) else {
                        throw context.error(
                            nil,
                            "expected at least \(max(modelColumn, startColumn, rateColumn) + 1) fields, got \(fields.count)"
                        )
                    }
                    let model = fields[modelColumn]
                    if chosenModel == nil { chosenModel = model }
                    guard model == chosenModel else {
                        report.drop("row of another model")
                        continue
                    }
                    let start = try context.number(
                        csv: fields[startColumn], field: "window_start_s", in: 0...TraceLimits.maximumSeconds)
                    let rate = try context.number(csv: fields[rateColumn], field: "total_rate_rps", in: 0...1e9)
                    try append(start, rate, .exponential, context: context)
                } else {
                    guard fields.count == 6 else {
                        throw context.error(
                            nil, "expected 6 fields (window_start_s,rate,cv,pattern,shape,scale), got \(fields.count)")
                    }
                    let start = try context.number(
                        csv: fields[0], field: "window_start_s", in: 0...TraceLimits.maximumSeconds)
                    let rate = try context.number(csv: fields[1], field: "rate", in: 0...1e9)
                    let gap: RateCurve.GapShape
                    switch fields[3] {
                    case "":
                        gap = .exponential
                    case "Gamma", "Weibull":
                        let shape = try context.number(csv: fields[4], field: "shape", in: 0...1e9)
                        guard shape > 0 else {
                            throw context.error("shape", "must be a positive number, got \(fields[4])")
                        }
                        gap = fields[3] == "Gamma" ? .gamma(shape: shape) : .weibull(shape: shape)
                    default:
                        throw context.error(
                            "pattern", "must be Gamma, Weibull or empty, got \"\(fields[3].prefix(40))\"")
                    }
                    try append(start, rate, gap, context: context)
                }
            } catch {
                guard options.skipBadRows else { throw error }
                report.skip(error)
            }
        }

        func append(_ start: Double, _ rate: Double, _ gap: RateCurve.GapShape, context: RowContext)
            throws(TraceParseError)
        {
            if let last = starts.last, start <= last {
                throw context.error(
                    "window_start_s", "windows must be sorted by start time; \(start) comes after \(last)")
            }
            starts.append(start)
            rates.append(rate)
            shapes.append(gap)
        }

        guard !starts.isEmpty else {
            throw TraceParseError(file: path, line: 0, field: nil, reason: "no rate windows found")
        }
        var windows: [RateCurve.Window] = []
        windows.reserveCapacity(starts.count)
        for i in starts.indices {
            let duration: Double
            if i + 1 < starts.count {
                duration = starts[i + 1] - starts[i]
            } else if i > 0 {
                duration = starts[i] - starts[i - 1]
            } else {
                duration = 600
            }
            windows.append(
                RateCurve.Window(
                    startSeconds: starts[i], durationSeconds: duration,
                    ratePerSecond: rates[i] * options.servegenRateScale, gapShape: shapes[i]))
        }
        return (RateCurve(windows: windows), report)
    }
}
