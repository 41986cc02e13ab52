/// Sessions whose starts follow a ServeGen rate curve (``ServeGenRateCurveLoader``) and whose
/// bodies come from a synthetic session shape (default: the chat preset).
///
/// ServeGen describes arrival rates and token-length distributions, not sessions, so each
/// arrival starts one synthetic session. The workload ends with the curve, or after
/// ``TraceImportOptions/sessionLimit`` sessions.
public struct ServeGenWorkload: TraceReader {
    /// The loaded curve.
    public let curve: RateCurve
    /// What was read and skipped while loading the curve, plus sessions produced.
    public private(set) var report: TraceReadReport
    private var generator: SyntheticChatGenerator

    /// Loads the curve of `path`.
    ///
    /// - Throws: ``TraceParseError`` for a malformed curve file; ``WorkloadSpecError`` when the
    ///   session shape or rate scale is invalid.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws {
        guard options.servegenRateScale.isFinite, options.servegenRateScale > 0 else {
            throw WorkloadSpecError(
                field: "servegen_rate_scale", reason: "must be a positive number, got \(options.servegenRateScale)")
        }
        let (curve, report) = try ServeGenRateCurveLoader.load(path: path, options: options)
        self.curve = curve
        self.report = report
        var shape = options.servegenSessionShape ?? SyntheticChatConfig.chat()
        shape.arrival = .rateCurve(curve)
        shape.sessionCount = options.sessionLimit ?? Int.max
        shape.seed = options.seed
        try shape.validate()
        generator = SyntheticChatGenerator(config: shape)
    }

    /// The next session, or `nil` when the curve or the session limit is exhausted.
    public mutating func nextSession() -> SessionSpec? {
        guard let s = generator.nextSession() else { return nil }
        report.sessionsProduced += 1
        return s
    }
}
