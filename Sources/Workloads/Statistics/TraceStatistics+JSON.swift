extension TraceStatistics.Summary {
    /// `{"count":..,"mean":..,"p50":..,"p90":..,"p99":..,"max":..}`.
    public var json: JSONValue {
        .object([
            ("count", .integer(count)), ("mean", .number(mean)), ("p50", .number(p50)),
            ("p90", .number(p90)), ("p99", .number(p99)), ("max", .number(max)),
        ])
    }
}

extension TraceStatistics {
    /// The statistics as a JSON object with the keys `requests`, `sessions`,
    /// `multi_turn_sessions`, `turns_per_session`, `arrival_rate_per_s`,
    /// `request_rate_per_s`, `session_span_s`, `prompt_tokens`, `new_input_tokens`,
    /// `output_tokens`, `history_tokens`, `think_time_s`, `final_context_tokens`,
    /// `history_share`, `shared_prefix_hit_share`, `sessions_with_shared_prefix`.
    public var json: JSONValue {
        .object([
            ("requests", .integer(requests)),
            ("sessions", .integer(sessions)),
            ("multi_turn_sessions", .integer(multiTurnSessions)),
            ("turns_per_session", turnsPerSession.json),
            ("arrival_rate_per_s", .number(arrivalRatePerSecond)),
            ("request_rate_per_s", .number(requestRatePerSecond)),
            ("session_span_s", .number(sessionSpanSeconds)),
            ("prompt_tokens", promptTokens.json),
            ("new_input_tokens", newInputTokens.json),
            ("output_tokens", outputTokens.json),
            ("history_tokens", historyTokens.json),
            ("think_time_s", thinkTimeSeconds.json),
            ("final_context_tokens", finalContextTokens.json),
            ("history_share", .number(historyShare)),
            ("shared_prefix_hit_share", .number(sharedPrefixHitShare)),
            ("sessions_with_shared_prefix", .integer(sessionsWithSharedPrefix)),
        ])
    }

    /// A plain-text table for terminals.
    public var text: String {
        func f(_ x: Double) -> String {
            if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
            let scaled = (x * 100).rounded() / 100
            return String(scaled)
        }
        func row(_ name: String, _ s: Summary) -> String {
            let cells = [f(s.mean), f(s.p50), f(s.p90), f(s.p99), f(s.max)]
            return name.padding(26) + cells.map { $0.leftPadding(11) }.joined()
        }
        var lines: [String] = []
        lines.append("requests".padding(26) + String(requests))
        lines.append("sessions".padding(26) + "\(sessions) (\(multiTurnSessions) multi-turn)")
        lines.append(
            "arrival rate (sessions/s)".padding(26) + f(arrivalRatePerSecond) + " over " + f(sessionSpanSeconds) + " s")
        lines.append("request rate (req/s)".padding(26) + f(requestRatePerSecond) + " (zero-latency bound)")
        lines.append("history share of prompts".padding(26) + f(historyShare * 100) + "%")
        lines.append(
            "shared-prefix hits".padding(26) + f(sharedPrefixHitShare * 100)
                + "% of prompt tokens (\(sessionsWithSharedPrefix) sessions with a prefix)")
        lines.append("")
        lines.append("".padding(26) + ["mean", "p50", "p90", "p99", "max"].map { $0.leftPadding(11) }.joined())
        lines.append(row("turns per session", turnsPerSession))
        lines.append(row("prompt tokens", promptTokens))
        lines.append(row("new input tokens", newInputTokens))
        lines.append(row("output tokens", outputTokens))
        lines.append(row("history tokens", historyTokens))
        lines.append(row("think time (s)", thinkTimeSeconds))
        lines.append(row("final context tokens", finalContextTokens))
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
