extension SyntheticChatConfig {
    /// The default multi-turn chat workload, fitted to public traces.
    ///
    /// Sources (statistics in `../shared/traces/README.md` and recomputed from the placed files):
    /// - Turns per session: ShareGPT V3 (`sharegpt_v3_conversations.csv`, 9,436 conversations)
    ///   has p50 3, p90 14, p99 56, mean 6.5 turns. A lognormal with median 3 and
    ///   `sigma = ln(14/3) / 1.2816 = 1.20` gives p90 14, mean 6.2 and p99 49; clamped to
    ///   1...300 (300 is the ShareGPT maximum).
    /// - First message: ShareGPT turn-1 `user_tokens + system_tokens` p50 25, p90 282
    ///   (`sharegpt_v3_turns.csv`): lognormal median 25, `sigma = ln(282/25) / 1.2816 = 1.89`.
    /// - Follow-up messages: ShareGPT turns >= 2 p50 17, p90 112: median 17, `sigma = 1.47`.
    /// - Replies: ShareGPT `assistant_tokens` p50 255, p90 550 (mean 280, p99 769): median 255,
    ///   `sigma = ln(550/255) / 1.2816 = 0.60`, clamped to 1...4,096.
    /// - Think time: Mooncake conversation trace, parent-to-child arrival gap of inferred
    ///   sessions p50 125 s, mean 216 s, p90 480 s: lognormal median 125 s with
    ///   `sigma = sqrt(2 ln(216/125)) = 1.05` (its p90 is 478 s). The gap includes the
    ///   production reply latency, so it slightly overstates pure think time.
    /// - Session rate: Mooncake conversation trace, 8,057 inferred sessions in 3,537 s =
    ///   2.28 sessions/s (Poisson).
    /// - Upper clamps (16,384 tokens per message, 4,096 per reply) are sanity bounds far above
    ///   the ShareGPT p99 (2,157 first-turn, 1,109 follow-up, 769 reply tokens); they only trim
    ///   the lognormal's far tail.
    /// - Context cap: 32,768 tokens, so that no session outgrows common model context windows
    ///   (the ShareGPT prompt p99 is 71 k tokens; the cap trims that tail).
    ///
    /// - Parameters:
    ///   - sessionCount: Sessions to generate.
    ///   - seed: Master seed.
    public static func chat(sessionCount: Int = 1_000, seed: UInt64 = 1) -> SyntheticChatConfig {
        SyntheticChatConfig(
            sessionCount: sessionCount,
            arrival: .poisson(ratePerSecond: 2.28),
            turnsPerSession: .lognormal(median: 3, sigma: 1.20, minimum: 1, maximum: 300),
            thinkTimeSeconds: .lognormal(median: 125, sigma: 1.05),
            firstInputTokens: .lognormal(median: 25, sigma: 1.89, minimum: 1, maximum: 16_384),
            followUpInputTokens: .lognormal(median: 17, sigma: 1.47, minimum: 1, maximum: 16_384),
            outputTokens: .lognormal(median: 255, sigma: 0.60, minimum: 1, maximum: 4_096),
            maxContextTokens: 32_768,
            seed: seed
        )
    }
}
