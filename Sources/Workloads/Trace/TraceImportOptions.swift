/// Options shared by all trace readers, plus the knobs of the importers that must invent
/// what their trace lacks (arrival times, think times, session bodies).
public struct TraceImportOptions: Sendable, Hashable {
    /// Skip malformed rows (counting them in ``TraceReadReport``) instead of failing on the
    /// first one.
    public var skipBadRows: Bool
    /// Stop after this many sessions (`nil`: the whole trace).
    public var sessionLimit: Int?
    /// Master seed for whatever an importer draws (ShareGPT arrivals and think times, ServeGen
    /// arrivals and session bodies, Mooncake timestamp jitter).
    public var seed: UInt64
    /// Session arrival process for traces without timing (ShareGPT). Default: Poisson at the
    /// chat preset's 2.28 sessions/s.
    public var arrival: ArrivalProcess?
    /// Think time between turns for traces without timing (ShareGPT). Default: the chat
    /// preset's lognormal (median 125 s).
    public var thinkTimeSeconds: Distribution?
    /// Sessions whose next turn comes later than this after their previous one are closed
    /// (Mooncake session rebuild, BurstGPT). Bounds memory on long traces; the default,
    /// 7,200 s, exceeds the largest parent-to-child gap of the Mooncake conversation trace
    /// (3,030 s), so it changes nothing there.
    public var sessionIdleTimeoutSeconds: Double
    /// Mooncake: fewest leading blocks a request must share with an earlier one to continue
    /// its session; `nil` detects it (2 when the first rows all start with the same block, a
    /// global system prompt, else 1), as in `../shared/traces/README.md`.
    public var mooncakeMinimumSharedBlocks: Int?
    /// Mooncake: tokens per `hash_ids` block (512 in the FAST'25 traces).
    public var mooncakeBlockTokens: Int
    /// Mooncake: spread arrivals uniformly over `[t, t + jitter)`; the conversation trace's
    /// timestamps are quantised to about 3 s (0: keep them as they are).
    public var mooncakeTimestampJitterSeconds: Double
    /// ServeGen: the model to take from an aggregate-rate file (`nil`: the first one).
    public var servegenModel: String?
    /// ServeGen: multiply every window's rate by this factor.
    public var servegenRateScale: Double
    /// ServeGen: the shape of each session (turns, tokens, think times); its arrival and
    /// session count are ignored. Default: the chat preset.
    public var servegenSessionShape: SyntheticChatConfig?
    /// BurstGPT: also import `API log` rows (single requests), not only `Conversation log`.
    public var burstgptIncludeAPILogs: Bool

    /// Creates options; every parameter has the documented default.
    public init(
        skipBadRows: Bool = false,
        sessionLimit: Int? = nil,
        seed: UInt64 = 1,
        arrival: ArrivalProcess? = nil,
        thinkTimeSeconds: Distribution? = nil,
        sessionIdleTimeoutSeconds: Double = 7_200,
        mooncakeMinimumSharedBlocks: Int? = nil,
        mooncakeBlockTokens: Int = 512,
        mooncakeTimestampJitterSeconds: Double = 0,
        servegenModel: String? = nil,
        servegenRateScale: Double = 1,
        servegenSessionShape: SyntheticChatConfig? = nil,
        burstgptIncludeAPILogs: Bool = true
    ) {
        self.skipBadRows = skipBadRows
        self.sessionLimit = sessionLimit
        self.seed = seed
        self.arrival = arrival
        self.thinkTimeSeconds = thinkTimeSeconds
        self.sessionIdleTimeoutSeconds = sessionIdleTimeoutSeconds
        self.mooncakeMinimumSharedBlocks = mooncakeMinimumSharedBlocks
        self.mooncakeBlockTokens = mooncakeBlockTokens
        self.mooncakeTimestampJitterSeconds = mooncakeTimestampJitterSeconds
        self.servegenModel = servegenModel
        self.servegenRateScale = servegenRateScale
        self.servegenSessionShape = servegenSessionShape
        self.burstgptIncludeAPILogs = burstgptIncludeAPILogs
    }
}
