import TangramSim

/// The `--json` report: run metadata and one object per policy, with a fixed key order.
///
/// ```json
/// {
///   "version": 1,
///   "model": "Llama-3.1-8B",
///   "gpu": "H200",
///   "workload": "traces/chat.jsonl",
///   "seed": 42,
///   "tool_version": "0.1.0",
///   "run_name": "",
///   "policies": [
///     {
///       "policy": "vllm",
///       "completed_requests": 100,
///       ...
///       "ttft_s": {"mean": 0.1, "p50": 0.08, "p90": 0.2, "p99": 0.3},
///       ...
///     }
///   ]
/// }
/// ```
///
/// Doubles use the shortest round-trip text; NaN and infinities become `null`. Byte counts that
/// are whole numbers are written as integers. `sim_wall_s` is wall-clock time and is the only
/// value that differs between identical runs.
public struct JSONReport: Sendable {
    /// The format version, the top-level `"version"` key.
    public static let formatVersion = 1

    /// The run's metadata.
    public var run: RunMetadata
    /// One summary per policy, in output order.
    public var summaries: [PolicySummary]

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - run: The run's metadata.
    ///   - summaries: One summary per policy.
    public init(run: RunMetadata, summaries: [PolicySummary]) {
        self.run = run
        self.summaries = summaries
    }

    /// The report as pretty-printed JSON text (2-space indent), ending with a newline.
    public func render() -> String {
        var lines: [String] = ["{"]
        let top: [(String, String)] = [
            ("version", String(Self.formatVersion)),
            ("model", JSONText.string(run.model)),
            ("gpu", JSONText.string(run.gpu)),
            ("workload", JSONText.string(run.workload)),
            ("seed", run.seed.map { String($0) } ?? "null"),
            ("tool_version", JSONText.string(run.toolVersion)),
            ("run_name", JSONText.string(run.name)),
        ]
        for (key, value) in top { lines.append("  \(JSONText.string(key)): \(value),") }
        if summaries.isEmpty {
            lines.append("  \"policies\": []")
        } else {
            lines.append("  \"policies\": [")
            for (index, summary) in summaries.enumerated() {
                lines.append("    {")
                let members = Self.members(summary)
                for (m, (key, value)) in members.enumerated() {
                    let comma = m + 1 < members.count ? "," : ""
                    lines.append("      \(JSONText.string(key)): \(value)\(comma)")
                }
                lines.append(index + 1 < summaries.count ? "    }," : "    }")
            }
            lines.append("  ]")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the report atomically to `destination`, or to standard output when it is `"-"`.
    ///
    /// - Parameter destination: A file path, or `"-"`.
    /// - Throws: ``FileError``.
    public func write(to destination: String) throws(FileError) {
        let text = render()
        if destination == "-" {
            try FileIO.writeAll(fd: 1, Array(text.utf8), path: "<stdout>")
        } else {
            try AtomicFile.write(text, to: destination)
        }
    }

    /// Key-value pairs of one policy object, values already encoded: the fixed keys of format
    /// version 1, then every other ``ReportSchema/summaryFields`` column in schema order (so a
    /// column added to the summary also appears here).
    static func members(_ s: PolicySummary) -> [(String, String)] {
        var members = fixedMembers(s)
        var covered = Set(members.map(\.0))
        for metric in ["ttft", "tpot", "e2e"] {
            for stat in ["mean", "p50", "p90", "p99"] { covered.insert("\(metric)_\(stat)_s") }
        }
        for field in ReportSchema.summaryFields where !covered.contains(field.column.name) {
            members.append((field.column.name, JSONText.value(field.value(s))))
        }
        return members
    }

    /// The keys of format version 1, in their contractual order.
    static func fixedMembers(_ s: PolicySummary) -> [(String, String)] {
        func latency(_ l: LatencySummary) -> String {
            "{\"mean\": \(JSONText.number(l.mean)), \"p50\": \(JSONText.number(l.p50)), "
                + "\"p90\": \(JSONText.number(l.p90)), \"p99\": \(JSONText.number(l.p99))}"
        }
        return [
            ("policy", JSONText.string(s.policy)),
            ("completed_requests", String(s.completedRequests)),
            ("completed_sessions", String(s.completedSessions)),
            ("simulated_duration_s", JSONText.number(s.simulatedDurationSeconds)),
            ("throughput_req_s", JSONText.number(s.throughputRequestsPerSecond)),
            ("throughput_output_tok_s", JSONText.number(s.throughputOutputTokensPerSecond)),
            ("ttft_s", latency(s.ttft)),
            ("tpot_s", latency(s.tpot)),
            ("e2e_s", latency(s.e2e)),
            ("preemptions", String(s.preemptions)),
            ("kv_capacity_bytes", JSONText.wholeNumber(s.kvCapacityBytes)),
            ("kv_peak_allocated_bytes", JSONText.wholeNumber(s.kvPeakAllocatedBytes)),
            ("kv_peak_used_bytes", JSONText.wholeNumber(s.kvPeakUsedBytes)),
            ("cached_prompt_tokens", String(s.cachedPromptTokens)),
            ("prompt_tokens", String(s.promptTokens)),
            ("sim_iterations", String(s.simIterations)),
            ("sim_wall_s", JSONText.number(s.simWallSeconds)),
            ("cost_model", JSONText.string(s.costModel)),
        ]
    }
}
