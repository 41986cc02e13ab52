/// A closed-loop population: `users` users, each starting a new session a think time after their
/// previous session ends, until the underlying source runs out of sessions.
///
/// Session bodies (turns, token counts, shared prefixes) come from another source in its order;
/// its arrival times are ignored. Users start staggered evenly over ``rampUpSeconds``. Because a
/// user's next arrival depends on when the simulated server finishes the previous session, the
/// source learns about completions through ``sessionEnded(id:atSeconds:)``, and
/// ``nextSession()`` returns `nil` while every user is busy.
///
/// ```swift
/// var users = ClosedLoopUsers(bodies: WorkloadPreset.chat.source(sessions: 1_000, seed: 1), users: 64,
///                             thinkTimeSeconds: .lognormal(median: 125, sigma: 1.05), seed: 1)
/// ```
public struct ClosedLoopUsers: SessionSource {
    private var bodies: any SessionSource
    /// Users in the population.
    public let users: Int
    /// Think time between a session's end and the same user's next session.
    public let thinkTimeSeconds: Distribution
    /// Users' first sessions arrive evenly spread over this many seconds.
    public let rampUpSeconds: Double
    private let rng: GSLRandom
    /// Users ready to start a session, sorted by time (ties by user).
    private var ready: [(time: Double, user: Int)]
    private var userOfSession: [Int: Int] = [:]
    private var nextID = 0
    private var exhausted = false

    /// Creates a population.
    ///
    /// - Precondition: `users >= 1`, `rampUpSeconds >= 0`.
    public init(bodies: any SessionSource, users: Int, thinkTimeSeconds: Distribution, rampUpSeconds: Double = 0,
                seed: UInt64) {
        precondition(users >= 1 && rampUpSeconds >= 0, "a closed loop needs at least one user and a non-negative ramp")
        self.bodies = bodies
        self.users = users
        self.thinkTimeSeconds = thinkTimeSeconds
        self.rampUpSeconds = rampUpSeconds
        rng = GSLRandom(seed: seed, stream: RandomStream.jitter)
        ready = (0..<users).map { (rampUpSeconds * Double($0) / Double(users), $0) }
    }

    public var isClosedLoop: Bool { true }

    /// Users currently between sessions, waiting to start one.
    public var waitingUsers: Int { ready.count }

    public mutating func nextSession() throws -> SessionSpec? {
        guard !exhausted, let (time, user) = ready.first else { return nil }
        guard var session = try bodies.nextSession() else {
            exhausted = true
            return nil
        }
        ready.removeFirst()
        session.id = nextID
        session.arrivalSeconds = time
        userOfSession[nextID] = user
        nextID += 1
        return session
    }

    public mutating func sessionEnded(id: Int, atSeconds t: Double) {
        guard let user = userOfSession.removeValue(forKey: id) else { return }
        let next = (time: t + max(0, thinkTimeSeconds.sample(using: rng)), user: user)
        let i = ready.firstIndex { ($0.time, $0.user) > (next.time, next.user) } ?? ready.count
        ready.insert(next, at: i)
    }
}
