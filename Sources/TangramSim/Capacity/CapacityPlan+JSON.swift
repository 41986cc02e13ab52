import Workloads

extension CapacityPlan {
    /// Version of the JSON layout below; keys are only ever added within a version.
    public static let jsonFormatVersion = 1

    /// The plan as a JSON document (`tangram-sim plan --json`).
    ///
    /// Top level: `format_version`, `model`, `gpu`, `tensor_parallel`, `workload`, `slo`,
    /// `objectives`, `confidence`, `seeds`, `measured_sessions`, `warmup_sessions`, `history_s`,
    /// `bisection_steps`, `start_session_rate_per_s`, `target_session_rate_per_s`,
    /// `target_source`, `gpu_hour_usd`, `policies`. Each policy: `policy`,
    /// `max_session_rate_per_s`, `per_seed_max_session_rate_per_s`, `seed_spread_fraction`,
    /// `verified`, `joint_search`, `observed_at_max` (worst over seeds, per objective),
    /// `output_tokens_per_session`, `replicas_needed`, `gpus_needed`,
    /// `usd_per_million_output_tokens`, `usd_per_million_output_tokens_at_capacity`, `searches`
    /// (per seed: outcome and every probe), `confirmation`. Unknown values are `null`.
    public func json(startRatePerSecond: Double) -> JSONValue {
        func number(_ d: Double?) -> JSONValue { d.map { $0.isFinite ? .number($0) : .null } ?? .null }
        func integer(_ i: Int?) -> JSONValue { i.map { .integer($0) } ?? .null }
        func observed(_ values: [Double]) -> JSONValue {
            .object(zip(objectives.objectives, values).map { ("\($0.name)_s", number($1)) })
        }
        func probe(_ p: RateProbe) -> JSONValue {
            .object([
                ("session_rate_per_s", .number(p.ratePerSecond)), ("seed", .integer(Int(truncatingIfNeeded: p.seed))),
                ("passed", .bool(p.passed)), ("observed", observed(p.observedSeconds)),
                ("measured_requests", .integer(p.window.completedRequests)),
                ("output_tok_s", number(p.window.outputTokensPerSecond)),
                ("sessions", .integer(p.sessions)), ("history_coverage", number(p.historyCoverage)),
                ("moved_turns", .integer(p.movedTurns)),
                ("requests_per_replica", .array(p.requestsPerReplica.map { .integer($0) })),
            ])
        }
        let policyValues: [JSONValue] = policies.map { p in
            var members: [(key: String, value: JSONValue)] = [
                ("policy", .string(p.policy)),
                ("max_session_rate_per_s", .number(p.maxSessionRatePerSecond)),
                ("per_seed_max_session_rate_per_s", .array(p.perSeedMaxRatesPerSecond.map { .number($0) })),
                ("seed_spread_fraction", number(p.seedSpreadFraction)),
                ("verified", .bool(p.verified)),
                ("joint_search", .bool(p.jointSearch)),
                ("observed_at_max", p.verification.isEmpty ? .null : observed(p.worstObservedSeconds)),
                ("output_tokens_per_session", number(p.outputTokensPerSession)),
                ("replicas_needed", integer(p.replicasNeeded)),
                ("gpus_needed", integer(p.gpusNeeded)),
                ("usd_per_million_output_tokens", number(p.usdPerMillionOutputTokens)),
                ("usd_per_million_output_tokens_at_capacity", number(p.usdPerMillionOutputTokensAtCapacity)),
            ]
            members.append(("searches", .array(p.searches.map { s in
                .object([
                    ("seed", .integer(Int(truncatingIfNeeded: s.seed))), ("outcome", .string(s.outcome.rawValue)),
                    ("max_session_rate_per_s", .number(s.maxRatePerSecond)),
                    ("failed_session_rate_per_s", number(s.failedRatePerSecond)),
                    ("probes", .array(s.probes.map(probe))),
                ])
            })))
            if let c = p.confirmation {
                members.append(("confirmation", .object([
                    ("replicas", .integer(c.replicas)), ("routing", .string(c.routing)),
                    ("session_rate_per_s", .number(c.ratePerSecond)), ("passed", .bool(c.passed)),
                    ("probes", .array(c.probes.map(probe))),
                ])))
            } else {
                members.append(("confirmation", .null))
            }
            return .object(members)
        }
        return .object([
            ("format_version", .integer(Self.jsonFormatVersion)),
            ("model", .string(model)), ("gpu", .string(gpu)), ("tensor_parallel", .integer(tensorParallel)),
            ("workload", .string(workload)), ("slo", .string(objectives.description)),
            ("objectives", .array(objectives.objectives.map { o in
                .object([("name", .string(o.name)), ("limit_s", .number(o.limitSeconds)), ("inclusive", .bool(o.inclusive))])
            })),
            ("confidence", .string(confidence)),
            ("seeds", .array(settings.seeds.map { .integer(Int(truncatingIfNeeded: $0)) })),
            ("measured_sessions", .integer(settings.measuredSessions)),
            ("warmup_sessions", .integer(settings.warmupSessions)),
            ("history_s", .number(settings.historySeconds)),
            ("bisection_steps", .integer(settings.bisectionSteps)),
            ("start_session_rate_per_s", .number(startRatePerSecond)),
            ("target_session_rate_per_s", number(targetRatePerSecond)),
            ("target_source", .string(targetSource)),
            ("gpu_hour_usd", number(gpuHourUSD)),
            ("policies", .array(policyValues)),
        ])
    }
}
