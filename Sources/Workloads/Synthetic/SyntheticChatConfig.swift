/// Parameters of a synthetic multi-turn chat workload (see ``SyntheticChatGenerator``).
///
/// Every random quantity is a ``Distribution``. Token draws are rounded to integers. A session
/// is built turn by turn: the first turn's new input is
/// `sharedPrefix + context + firstInput`, later turns add `followUpInput`; every turn has an
/// `output` reply and, after the first, a think time. The session stops early when the next
/// turn would push its context (history plus the turn's input and output) past
/// ``maxContextTokens``.
public struct SyntheticChatConfig: Sendable, Hashable {
    /// How the ``turnsPerSession`` draw is read.
    public enum TurnCountRule: Sendable, Hashable {
        /// The draw is the number of user turns, at least 1.
        case userTurns
        /// The draw counts messages (user plus assistant), as vLLM's multi-turn generator does:
        /// floored at 2, rounded up to even, then halved.
        case messages
    }

    /// Sessions to generate; the generator ends after this many (or earlier if a rate curve
    /// ends).
    public var sessionCount: Int
    /// When sessions start.
    public var arrival: ArrivalProcess
    /// Turns per session (see ``turnCountRule``).
    public var turnsPerSession: Distribution
    /// How ``turnsPerSession`` is read.
    public var turnCountRule: TurnCountRule
    /// Seconds between the end of a reply and the next user turn.
    public var thinkTimeSeconds: Distribution
    /// New input tokens of the first turn (the user's first message).
    public var firstInputTokens: Distribution
    /// New input tokens of each later turn.
    public var followUpInputTokens: Distribution
    /// Output tokens of every turn.
    public var outputTokens: Distribution
    /// Tokens of a per-session context placed before the first message (a document, an
    /// SCBench shared context), or `nil` for none.
    public var contextTokens: Distribution?
    /// Tokens of a prefix shared by every session of the workload (a system prompt), drawn
    /// once per workload, or `nil` for none. Sessions carry it as ``SessionSpec/sharedPrefix``.
    public var sharedPrefixTokens: Distribution?
    /// When `true`, the first message's drawn size includes the shared prefix (vLLM's rule:
    /// the first message is `max(draw - sharedPrefix, minimumMessageTokens)` after the prefix).
    public var firstMessageIncludesSharedPrefix: Bool
    /// Smallest user message in tokens (vLLM adds about 20 tokens of fixed header and
    /// instruction to every user message).
    public var minimumMessageTokens: Int
    /// Largest context a session may reach, in tokens: history plus the next turn's input and
    /// output. Sessions stop adding turns before they would exceed it; a first turn that alone
    /// exceeds it is shortened.
    public var maxContextTokens: Int
    /// Master seed. Arrivals, session bodies and once-per-workload draws use separate streams
    /// derived from it (``RandomStream``).
    public var seed: UInt64

    /// Creates a configuration.
    public init(
        sessionCount: Int,
        arrival: ArrivalProcess,
        turnsPerSession: Distribution,
        turnCountRule: TurnCountRule = .userTurns,
        thinkTimeSeconds: Distribution,
        firstInputTokens: Distribution,
        followUpInputTokens: Distribution,
        outputTokens: Distribution,
        contextTokens: Distribution? = nil,
        sharedPrefixTokens: Distribution? = nil,
        firstMessageIncludesSharedPrefix: Bool = false,
        minimumMessageTokens: Int = 1,
        maxContextTokens: Int = 32_768,
        seed: UInt64 = 1
    ) {
        self.sessionCount = sessionCount
        self.arrival = arrival
        self.turnsPerSession = turnsPerSession
        self.turnCountRule = turnCountRule
        self.thinkTimeSeconds = thinkTimeSeconds
        self.firstInputTokens = firstInputTokens
        self.followUpInputTokens = followUpInputTokens
        self.outputTokens = outputTokens
        self.contextTokens = contextTokens
        self.sharedPrefixTokens = sharedPrefixTokens
        self.firstMessageIncludesSharedPrefix = firstMessageIncludesSharedPrefix
        self.minimumMessageTokens = minimumMessageTokens
        self.maxContextTokens = maxContextTokens
        self.seed = seed
    }

    /// The Poisson session rate, when ``arrival`` is Poisson; setting it makes arrivals Poisson.
    public var sessionRatePerSecond: Double? {
        get {
            if case .poisson(let r) = arrival { return r }
            return nil
        }
        set {
            if let r = newValue { arrival = .poisson(ratePerSecond: r) }
        }
    }
}
