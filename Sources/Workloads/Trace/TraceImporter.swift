/// Opens a trace file of any supported format as a streaming ``TraceReader``.
///
/// ```swift
/// var reader = try TraceImporter.open(path: "conversation_trace.jsonl", format: .auto,
///                                     options: TraceImportOptions(skipBadRows: true))
/// while let session = try reader.nextSession() { ... }
/// print(reader.report.rowsSkipped)
/// ```
public enum TraceImporter {
    /// Opens `path` in `format` (``TraceFormat/auto`` detects it).
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened, its header is wrong or
    ///   its format cannot be detected; ``WorkloadSpecError`` for invalid options.
    public static func open(
        path: String, format: TraceFormat = .auto, options: TraceImportOptions = TraceImportOptions()
    )
        throws -> any TraceReader
    {
        try validate(options)
        let resolved = format == .auto ? try TraceFormat.detect(path: path) : format
        switch resolved {
        case .auto, .native: return try NativeTraceReader(path: path, options: options)
        case .mooncake: return try MooncakeTraceReader(path: path, options: options)
        case .azure: return try AzureTraceReader(path: path, options: options)
        case .sharegpt: return try ShareGPTTurnsReader(path: path, options: options)
        case .servegen: return try ServeGenWorkload(path: path, options: options)
        case .burstgpt: return try BurstGPTTraceReader(path: path, options: options)
        }
    }

    /// Checks option values.
    ///
    /// - Throws: ``WorkloadSpecError`` naming the invalid option.
    public static func validate(_ options: TraceImportOptions) throws(WorkloadSpecError) {
        if let n = options.sessionLimit, n < 0 {
            throw WorkloadSpecError(field: "sessions", reason: "must be a non-negative integer, got \(n)")
        }
        try options.arrival?.validate(field: "arrival")
        try options.thinkTimeSeconds?.validate(field: "think_time_s")
        guard options.sessionIdleTimeoutSeconds.isFinite, options.sessionIdleTimeoutSeconds > 0 else {
            throw WorkloadSpecError(
                field: "session_idle_timeout_s",
                reason: "must be a positive number, got \(options.sessionIdleTimeoutSeconds)")
        }
        if let m = options.mooncakeMinimumSharedBlocks, m < 1 {
            throw WorkloadSpecError(
                field: "mooncake_minimum_shared_blocks", reason: "must be a positive integer, got \(m)")
        }
        guard options.mooncakeBlockTokens >= 1, options.mooncakeBlockTokens <= 1 << 30 else {
            throw WorkloadSpecError(
                field: "mooncake_block_tokens", reason: "must be a positive integer, got \(options.mooncakeBlockTokens)"
            )
        }
        guard options.mooncakeTimestampJitterSeconds.isFinite, options.mooncakeTimestampJitterSeconds >= 0 else {
            throw WorkloadSpecError(
                field: "mooncake_jitter_s",
                reason: "must be a non-negative number, got \(options.mooncakeTimestampJitterSeconds)")
        }
        try options.servegenSessionShape?.validate()
    }
}
