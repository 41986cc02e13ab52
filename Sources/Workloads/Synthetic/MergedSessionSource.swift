/// Interleaves several session sources into one stream in arrival order, renumbering sessions
/// `0, 1, 2, ...` in the merged order.
///
/// Ties in arrival time go round-robin: the source that has contributed fewer sessions comes
/// first, then the lower source index. So a batch of several task mixes (all arriving at time
/// 0) interleaves its tasks instead of running them one after another. Holds one pending
/// session per source.
public struct MergedSessionSource: SessionSource {
    private var sources: [any SessionSource]
    private var heads: [SessionSpec?]
    private var taken: [Int]
    private var started = false
    private var nextID = 0

    /// Creates the merge of `sources`.
    public init(_ sources: [any SessionSource]) {
        self.sources = sources
        heads = Array(repeating: nil, count: sources.count)
        taken = Array(repeating: 0, count: sources.count)
    }

    /// The next session over all sources, or `nil` when all are exhausted.
    public mutating func nextSession() throws -> SessionSpec? {
        if !started {
            started = true
            for i in sources.indices { heads[i] = try sources[i].nextSession() }
        }
        var best: Int?
        for i in heads.indices {
            guard let h = heads[i] else { continue }
            guard let b = best, let hb = heads[b] else {
                best = i
                continue
            }
            if h.arrivalSeconds < hb.arrivalSeconds
                || (h.arrivalSeconds == hb.arrivalSeconds && taken[i] < taken[b])
            {
                best = i
            }
        }
        guard let chosen = best, var session = heads[chosen] else { return nil }
        heads[chosen] = try sources[chosen].nextSession()
        taken[chosen] += 1
        session.id = nextID
        nextID += 1
        return session
    }
}
