/// Generates a synthetic multi-turn chat workload on demand, one session at a time.
///
/// Memory is constant in the number of sessions: the generator keeps its configuration, two
/// GSL generators and a counter, and builds each session only when asked. Arrival times come
/// from the ``RandomStream/arrivals`` stream, turn counts, think times and token lengths from
/// ``RandomStream/sessionBodies``, the once-per-workload shared prefix from
/// ``RandomStream/workload``; so the same seed gives the same sessions whatever the arrival
/// rate.
///
/// ```swift
/// var source = SyntheticChatGenerator(config: .chat(sessionCount: 100, seed: 7))
/// while let session = source.nextSession() { print(session.turns.count) }
/// ```
public struct SyntheticChatGenerator: SessionSource {
    /// Most turns a single session may have, whatever the turn distribution draws; keeps one
    /// session's memory bounded.
    public static let maximumTurnsPerSession = 100_000

    /// The configuration.
    public let config: SyntheticChatConfig
    private var clock: ArrivalClock
    private let body: GSLRandom
    private let sharedPrefixTokens: Int
    private var produced = 0

    /// Creates a generator.
    ///
    /// - Precondition: the configuration is valid (``SyntheticChatConfig/validate()`` does not
    ///   throw). Presets are; user input should be validated first.
    public init(config: SyntheticChatConfig) {
        self.config = config
        clock = ArrivalClock(process: config.arrival, rng: GSLRandom(seed: config.seed, stream: RandomStream.arrivals))
        body = GSLRandom(seed: config.seed, stream: RandomStream.sessionBodies)
        if let shared = config.sharedPrefixTokens {
            let once = GSLRandom(seed: config.seed, stream: RandomStream.workload)
            sharedPrefixTokens = max(0, shared.sampleInteger(using: once))
        } else {
            sharedPrefixTokens = 0
        }
    }

    /// Number of sessions produced so far.
    public var sessionsProduced: Int { produced }

    /// The next session, or `nil` after ``SyntheticChatConfig/sessionCount`` sessions.
    public mutating func nextSession() -> SessionSpec? {
        guard produced < config.sessionCount, let arrival = clock.next() else { return nil }
        defer { produced += 1 }
        return makeSession(id: produced, arrivalSeconds: arrival)
    }

    private func makeSession(id: Int, arrivalSeconds: Double) -> SessionSpec {
        let c = config
        let drawnTurns = c.turnsPerSession.sampleInteger(using: body)
        var wantedTurns: Int
        switch c.turnCountRule {
        case .userTurns:
            wantedTurns = max(1, drawnTurns)
        case .messages:
            var messages = max(2, drawnTurns)
            messages += messages % 2
            wantedTurns = messages / 2
        }
        wantedTurns = min(wantedTurns, Self.maximumTurnsPerSession)

        let contextTokens = max(0, c.contextTokens?.sampleInteger(using: body) ?? 0)
        var message = c.firstInputTokens.sampleInteger(using: body)
        if c.firstMessageIncludesSharedPrefix { message -= sharedPrefixTokens }
        message = max(message, c.minimumMessageTokens, 1)
        var firstInput = sharedPrefixTokens + contextTokens + message
        var firstOutput = max(1, c.outputTokens.sampleInteger(using: body))
        let cap = max(2, c.maxContextTokens)
        if firstInput + firstOutput > cap {
            if firstOutput >= cap { firstOutput = cap / 2 }
            firstInput = cap - firstOutput
        }
        var turns = [TurnSpec(newInputTokens: firstInput, outputTokens: firstOutput)]
        turns.reserveCapacity(min(wantedTurns, 64))
        var contextSoFar = firstInput + firstOutput
        for _ in 1..<max(1, wantedTurns) {
            let think = max(0, c.thinkTimeSeconds.sample(using: body))
            let input = max(c.followUpInputTokens.sampleInteger(using: body), c.minimumMessageTokens, 1)
            let output = max(1, c.outputTokens.sampleInteger(using: body))
            if contextSoFar + input + output > cap { break }
            turns.append(TurnSpec(newInputTokens: input, outputTokens: output, thinkTimeSeconds: think))
            contextSoFar += input + output
        }
        let shared: SharedPrefix?
        if sharedPrefixTokens > 0, sharedPrefixTokens <= firstInput {
            shared = SharedPrefix(blockTokens: sharedPrefixTokens, blockIDs: [0])
        } else {
            shared = nil
        }
        return SessionSpec(id: id, arrivalSeconds: arrivalSeconds, turns: turns, sharedPrefix: shared)
    }
}
