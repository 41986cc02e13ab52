/// An `--slo` text that cannot be read: which term, where, and why.
///
/// Its description reads like
/// `--slo "ttft_p99<=2s,tpot_p99<=0.1": term 2 'tpot_p99<=0.1': missing unit after 0.1 (write 0.1s or 0.1ms)`.
public struct SLOParseError: Error, Sendable, Hashable {
    /// The whole text as given.
    public var text: String
    /// 1-based index of the offending comma-separated term (0 when the text as a whole is wrong).
    public var term: Int
    /// The offending term, trimmed.
    public var termText: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(text: String, term: Int, termText: String, reason: String) {
        self.text = text
        self.term = term
        self.termText = termText
        self.reason = reason
    }
}

extension SLOParseError: CustomStringConvertible {
    public var description: String {
        term == 0 ? "--slo \"\(text)\": \(reason)" : "--slo \"\(text)\": term \(term) '\(termText)': \(reason)"
    }
}
