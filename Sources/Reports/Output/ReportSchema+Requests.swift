import TangramSim

extension ReportSchema {
    /// A finished request together with the policy that served it: the source row of the
    /// `requests` table.
    public struct PolicyRequest: Sendable, Hashable {
        /// The policy that served the request.
        public var policy: String
        /// The finished request.
        public var request: RequestRecord

        /// Creates a row source.
        public init(policy: String, request: RequestRecord) {
            self.policy = policy
            self.request = request
        }
    }

    /// Fields of `requests.csv` and the `requests` table (the table adds `run_id` first).
    public static let requestFields: [ReportField<PolicyRequest>] = [
        ReportField("policy", .text, "policy name") { .text($0.policy) },
        ReportField("request_id", .integer, "request id, in order of arrival within the run") {
            .int($0.request.requestID)
        },
        ReportField("session_id", .integer, "session id") { .int($0.request.sessionID) },
        ReportField("turn", .integer, "0-based turn index within the session") { .int($0.request.turn) },
        ReportField("arrival_s", .real, "arrival time, simulated seconds from the start") {
            .real($0.request.arrivalSeconds)
        },
        ReportField("first_token_s", .real, "time the first output token was produced") {
            .real($0.request.firstTokenSeconds)
        },
        ReportField("finish_s", .real, "time the last output token was produced") { .real($0.request.finishSeconds) },
        ReportField("prompt_tokens", .integer, "prompt length: whole history plus new input") {
            .int($0.request.promptTokens)
        },
        ReportField("cached_tokens", .integer, "prompt tokens served from the prefix cache") {
            .int($0.request.cachedTokens)
        },
        ReportField("output_tokens", .integer, "output tokens") { .int($0.request.outputTokens) },
        ReportField("preemptions", .integer, "times the request was preempted and recomputed") {
            .int($0.request.preemptions)
        },
        ReportField("ttft_s", .real, "first_token_s - arrival_s") { .real($0.request.ttftSeconds) },
        ReportField("tpot_s", .real, "(finish_s - first_token_s) / (output_tokens - 1); 0 for one token") {
            .real($0.request.tpotSeconds)
        },
        ReportField("e2e_s", .real, "finish_s - arrival_s") { .real($0.request.e2eSeconds) },
    ]

    /// Columns of `requests.csv` and the `requests` table (the table adds `run_id` first).
    public static var requestColumns: [ReportColumn] { requestFields.map(\.column) }

    /// The row of one finished request, in ``requestColumns`` order.
    ///
    /// - Parameters:
    ///   - policy: The policy that served the request.
    ///   - request: The finished request.
    /// - Returns: One value per request column.
    public static func requestValues(policy: String, _ request: RequestRecord) -> [SQLiteValue] {
        let row = PolicyRequest(policy: policy, request: request)
        return requestFields.map { $0.value(row) }
    }
}
