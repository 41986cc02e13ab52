/// A request inside the engine: one turn of one session, with its progress and KV blocks.
///
/// The request's token stream is its prompt (the session's history plus the turn's new input)
/// followed by the tokens it has generated. Token positions are the session's positions, so a
/// later turn's prompt begins with exactly this request's stream and can hit its cached blocks.
public struct RequestState: Sendable {
    public var id: Int
    /// Slot of the owning session in the simulation's session table.
    public var sessionSlot: Int
    public var sessionID: Int
    public var turn: Int
    /// Identity of the session's token stream, from which block hashes derive.
    public var streamKey: UInt64
    /// Content identity of the leading tokens shared with other sessions, if any.
    public var sharedPrefix: SharedPrefixKey?
    public var arrivalNanoseconds: Int64
    public var promptTokens: Int
    public var maxOutputTokens: Int
    /// Tokens generated so far.
    public var outputTokens = 0
    /// Tokens of the stream whose KV is in the cache.
    public var computedTokens = 0
    /// Prompt tokens found in the prefix cache when first scheduled.
    public var cachedTokens = 0
    /// Whether the request has been scheduled at least once.
    public var wasScheduled = false
    public var firstTokenNanoseconds: Int64 = -1
    public var preemptions = 0
    /// Block table per KV group; -1 marks a block a sliding window no longer needs.
    public var blockTables: [[Int32]]
    /// Per group, how many leading blocks have been registered in the prefix cache.
    public var registeredBlocks: [Int]
    /// Per group, index of the first block still held.
    public var liveStart: [Int]

    // Head-wise (compressed) KV state; see ``HeadwiseKVCache``.
    /// Leading tokens of the stream whose prefill compresses them (0: nothing to compress).
    public var compressUpTo = 0
    /// Context length compression has been applied to (0: uncompressed).
    public var compressedTokens = 0
    /// Retention variant (profile sample for dynamic budgets) and bin of the middle fraction.
    public var retentionVariant = 0
    public var retentionBin = 0
    /// Cell-pages held (a page of one KV cell: block size tokens of one head of one layer).
    public var cellPages = 0
    /// Cell-pages reserved at admission for the compressed prompt.
    public var reservedCellPages = 0
    /// Token-cells holding KV.
    public var usedTokenCells = 0
    /// Per group, kept tokens of the compressed context; summaries of them below.
    public var keptSum = 0
    public var maxKept = 0
    public var basePages = 0
    /// Cells whose kept length has each residue modulo the block size.
    public var residues: [Int32] = []
    /// Whether every group has grown back to the longest group's depth (released-code behaviour).
    public var regrown = false
    /// Times this conversation's KV was dropped and recomputed.
    public var recomputations = 0
    /// Whether the request stays resident (keeps its KV) after this turn, awaiting the next one.
    public var residentAfterFinish = false
    /// Generation counter of the request's idle periods (stale idle-queue entries are skipped).
    public var idleEpoch = 0

    public init(id: Int, sessionSlot: Int, sessionID: Int, turn: Int, streamKey: UInt64, arrivalNanoseconds: Int64,
                promptTokens: Int, maxOutputTokens: Int, groupCount: Int, sharedPrefix: SharedPrefixKey? = nil) {
        self.sharedPrefix = sharedPrefix
        self.id = id
        self.sessionSlot = sessionSlot
        self.sessionID = sessionID
        self.turn = turn
        self.streamKey = streamKey
        self.arrivalNanoseconds = arrivalNanoseconds
        self.promptTokens = promptTokens
        self.maxOutputTokens = maxOutputTokens
        blockTables = Array(repeating: [], count: groupCount)
        registeredBlocks = Array(repeating: 0, count: groupCount)
        liveStart = Array(repeating: 0, count: groupCount)
    }

    /// Tokens of the stream so far: prompt plus generated.
    public var totalTokens: Int { promptTokens + outputTokens }
    /// Whether the request has generated all its output.
    public var isFinished: Bool { outputTokens >= maxOutputTokens }
}
