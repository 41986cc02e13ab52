/// Identifiers of the independent random streams a workload draws from.
///
/// Each stream gets its own ``GSLRandom`` seeded with
/// `GSLRandom.derivedSeed(master: seed, stream: id)`, so changing, say, the arrival rate leaves
/// every session's turns and token lengths unchanged.
public enum RandomStream {
    /// Session arrival times.
    public static let arrivals: UInt64 = 1
    /// Session bodies: turn counts, think times, token lengths.
    public static let sessionBodies: UInt64 = 2
    /// One-off draws made once per workload (for example a prefix shared by all sessions).
    public static let workload: UInt64 = 3
    /// Arrival times and think times that an importer adds to a trace that has none.
    public static let importerTiming: UInt64 = 4
    /// Jitter that spreads quantised trace timestamps.
    public static let jitter: UInt64 = 5
    /// First stream of a mixture's components; component `i` uses `mixtureBase + i`.
    public static let mixtureBase: UInt64 = 1_000
}
