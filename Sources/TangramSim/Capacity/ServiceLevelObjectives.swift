/// A set of latency objectives that a load must meet together, parsed from text such as
/// `ttft_p99<=2s,tpot_p99<=0.1s`.
///
/// Grammar: comma-separated terms `METRIC_STAT OP NUMBER UNIT`, spaces allowed between the
/// parts. `METRIC` is `ttft`, `tpot` or `e2e`; `STAT` is `mean`, `p50`, `p90` or `p99`; `OP` is
/// `<=` or `<`; `UNIT` is `s` or `ms` (required, so that `0.1` cannot be misread). Each
/// metric-statistic pair may appear once. Limits must be positive and finite.
///
/// ```swift
/// let slo = try ServiceLevelObjectives.parse("ttft_p99<=2s, tpot_p99<100ms")
/// slo.isMet(ttft: window.ttft, tpot: window.tpot, e2e: window.e2e)
/// ```
public struct ServiceLevelObjectives: Sendable, Hashable {
    /// The objectives, in the order written.
    public var objectives: [ServiceLevelObjective]

    /// Creates a set from objectives.
    public init(_ objectives: [ServiceLevelObjective]) {
        self.objectives = objectives
    }

    /// Parses objectives.
    ///
    /// - Throws: ``SLOParseError`` naming the term and the problem.
    public static func parse(_ text: String) throws(SLOParseError) -> ServiceLevelObjectives {
        let terms = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmedOfSpaces
        }
        if terms.allSatisfy(\.isEmpty) {
            throw SLOParseError(text: text, term: 0, termText: "", reason: "no objective given (example: ttft_p99<=2s,tpot_p99<=0.1s)")
        }
        var objectives: [ServiceLevelObjective] = []
        var seen: [String: Int] = [:]
        for (i, term) in terms.enumerated() {
            func fail(_ reason: String) -> SLOParseError {
                SLOParseError(text: text, term: i + 1, termText: term, reason: reason)
            }
            if term.isEmpty { throw fail("empty term (two commas in a row, or a trailing comma)") }
            let objective = try parseTerm(term, fail: fail)
            if let first = seen[objective.name] {
                throw fail("\(objective.name) is already bounded by term \(first)")
            }
            seen[objective.name] = i + 1
            objectives.append(objective)
        }
        return ServiceLevelObjectives(objectives)
    }

    private static func parseTerm(_ term: String, fail: (String) -> SLOParseError) throws(SLOParseError)
        -> ServiceLevelObjective
    {
        let chars = Array(term)
        var i = 0
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
        let name = String(chars[0..<i]).lowercased()
        let known = ServiceLevelObjective.Metric.allCases.flatMap { m in
            ServiceLevelObjective.Statistic.allCases.map { "\(m.rawValue)_\($0.rawValue)" }
        }
        let parts = name.split(separator: "_", maxSplits: 1).map(String.init)
        guard parts.count == 2, let metric = ServiceLevelObjective.Metric(rawValue: parts[0]),
              let statistic = ServiceLevelObjective.Statistic(rawValue: parts[1])
        else {
            let shown = name.isEmpty ? "nothing" : "'\(name)'"
            throw fail("expected a metric such as ttft_p99 before the comparison, found \(shown) (known: \(known.joined(separator: ", ")))")
        }
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        let inclusive: Bool
        if i + 1 < chars.count, chars[i] == "<", chars[i + 1] == "=" {
            inclusive = true
            i += 2
        } else if i < chars.count, chars[i] == "<" {
            inclusive = false
            i += 1
        } else {
            let found = i < chars.count ? "'\(chars[i])'" : "the end of the term"
            throw fail("expected '<=' or '<' after \(name), found \(found) (objectives are upper bounds)")
        }
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        let numberStart = i
        while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E"
            || ((chars[i] == "+" || chars[i] == "-") && i > numberStart && (chars[i - 1] == "e" || chars[i - 1] == "E"))
        {
            i += 1
        }
        let numberText = String(chars[numberStart..<i])
        guard !numberText.isEmpty, let value = Double(numberText) else {
            let found = numberStart < chars.count ? "'\(String(chars[numberStart...]))'" : "nothing"
            throw fail("expected a positive number after the comparison, found \(found)")
        }
        guard value.isFinite, value > 0 else { throw fail("the limit must be a positive number, got \(numberText)") }
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        let unit = String(chars[i...]).lowercased()
        let scale: Double
        switch unit {
        case "s": scale = 1
        case "ms": scale = 1e-3
        case "": throw fail("missing unit after \(numberText) (write \(numberText)s or \(numberText)ms)")
        default: throw fail("unknown unit '\(String(chars[i...]))' (use s or ms)")
        }
        return ServiceLevelObjective(metric: metric, statistic: statistic, limitSeconds: value * scale,
                                     inclusive: inclusive)
    }

    /// Whether every objective is met by these latency summaries.
    public func isMet(ttft: LatencySummary, tpot: LatencySummary, e2e: LatencySummary) -> Bool {
        objectives.allSatisfy { $0.isMet(bySeconds: $0.observedSeconds(ttft: ttft, tpot: tpot, e2e: e2e)) }
    }

    /// The observed value of each objective, in order.
    public func observedSeconds(ttft: LatencySummary, tpot: LatencySummary, e2e: LatencySummary) -> [Double] {
        objectives.map { $0.observedSeconds(ttft: ttft, tpot: tpot, e2e: e2e) }
    }
}

extension ServiceLevelObjectives: CustomStringConvertible {
    /// The objectives joined by commas, limits in seconds.
    public var description: String { objectives.map(\.description).joined(separator: ",") }
}

private extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmedOfSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
