extension WorkloadSpec {
    /// Keys of a component: shape fields, a base preset, and (in a mixture item) a weight.
    static let shapeKeys: Set<String> = [
        "preset", "turns", "turn_count_rule", "think_time_s", "first_input_tokens", "follow_up_input_tokens",
        "output_tokens", "context_tokens", "shared_prefix_tokens", "first_message_includes_shared_prefix",
        "minimum_message_tokens", "max_context_tokens",
    ]
    /// Top-level keys.
    static let topKeys: Set<String> = shapeKeys.union(["sessions", "seed", "arrival", "mixture"])

    static func parseTangram(_ root: SpecNode, reader: SpecReader) throws(WorkloadSpecError) -> WorkloadSpec {
        _ = try reader.object(root, "", allowed: topKeys)
        var sessionCount: Int?
        var seed: UInt64?
        if let n = root["sessions"] { sessionCount = try reader.integer(n, "sessions", in: 0...Int.max) }
        if let s = root["seed"] { seed = UInt64(try reader.integer(s, "seed", in: 0...Int.max)) }
        var arrival: ArrivalProcess?
        if let a = root["arrival"] { arrival = try parseArrival(a, reader: reader) }

        // Top-level shape keys are defaults for every component.
        var bases = try baseComponents(root, field: "", reader: reader)
        if let mixtureNode = root["mixture"] {
            guard case .array(let items) = mixtureNode.value, !items.isEmpty else {
                throw reader.error(mixtureNode, "mixture", "must be a non-empty list of components")
            }
            var components: [Component] = []
            for (i, item) in items.enumerated() {
                let field = "mixture[\(i)]"
                _ = try reader.object(item, field, allowed: shapeKeys.union(["weight"]))
                var weight = 1.0
                if let w = item["weight"] { weight = try reader.positive(w, "\(field).weight") }
                // An item's own preset replaces the top-level base; its fields override.
                var itemBases =
                    item["preset"] != nil
                    ? try presetComponents(item["preset"]!, field: "\(field).preset", reader: reader) : bases
                try applyShape(root, to: &itemBases, field: "", reader: reader, skipPreset: true)
                try applyShape(item, to: &itemBases, field: field, reader: reader, skipPreset: true)
                let sum = itemBases.reduce(0) { $0 + $1.weight }
                components += itemBases.map { Component(weight: weight * $0.weight / sum, config: $0.config) }
            }
            bases = components
        } else {
            try applyShape(root, to: &bases, field: "", reader: reader, skipPreset: true)
        }
        if let arrival {
            for i in bases.indices { bases[i].config.arrival = arrival }
        }
        for (i, c) in bases.enumerated() {
            do throws(WorkloadSpecError) {
                try c.config.validate()
            } catch {
                let prefix = root["mixture"] != nil ? "component \(i): " : ""
                throw WorkloadSpecError(file: reader.file, field: error.field, reason: prefix + error.reason)
            }
        }
        return WorkloadSpec(components: bases, sessionCount: sessionCount, seed: seed, dialect: .tangram)
    }

    /// The components of `node`'s `preset` (default `chat`).
    private static func baseComponents(_ node: SpecNode, field: String, reader: SpecReader) throws(WorkloadSpecError)
        -> [Component]
    {
        if let p = node["preset"] {
            return try presetComponents(p, field: field.isEmpty ? "preset" : "\(field).preset", reader: reader)
        }
        return [Component(weight: 1, config: .chat())]
    }

    private static func presetComponents(_ node: SpecNode, field: String, reader: SpecReader) throws(WorkloadSpecError)
        -> [Component]
    {
        let name = try reader.string(node, field)
        guard let preset = WorkloadPreset(rawValue: name) else {
            throw reader.error(
                node, field,
                "unknown preset \"\(name)\" (expected one of: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let configs = preset.configs(sessions: 1_000, seed: 1)
        return configs.map { Component(weight: Double(max(1, $0.sessionCount)), config: $0) }
    }

    private static func applyShape(
        _ node: SpecNode, to components: inout [Component], field: String, reader: SpecReader, skipPreset: Bool
    )
        throws(WorkloadSpecError)
    {
        func path(_ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }
        func dist(_ key: String) throws(WorkloadSpecError) -> Distribution? {
            guard let n = node[key] else { return nil }
            return try reader.distribution(n, path(key))
        }
        let turns = try dist("turns")
        let think = try dist("think_time_s")
        let first = try dist("first_input_tokens")
        let followUp = try dist("follow_up_input_tokens")
        let output = try dist("output_tokens")
        let context = try dist("context_tokens")
        let shared = try dist("shared_prefix_tokens")
        var rule: SyntheticChatConfig.TurnCountRule?
        if let r = node["turn_count_rule"] {
            switch try reader.string(r, path("turn_count_rule")) {
            case "user_turns": rule = .userTurns
            case "messages": rule = .messages
            default: throw reader.error(r, path("turn_count_rule"), "must be user_turns or messages, got \(r.brief)")
            }
        }
        let includes = try node["first_message_includes_shared_prefix"].map { n throws(WorkloadSpecError) in
            try reader.bool(n, path("first_message_includes_shared_prefix"))
        }
        let minimum = try node["minimum_message_tokens"].map { n throws(WorkloadSpecError) in
            try reader.integer(n, path("minimum_message_tokens"), in: 0...(1 << 30))
        }
        let cap = try node["max_context_tokens"].map { n throws(WorkloadSpecError) in
            try reader.integer(n, path("max_context_tokens"), in: 2...(1 << 40))
        }
        for i in components.indices {
            var c = components[i].config
            if let turns { c.turnsPerSession = turns }
            if let think { c.thinkTimeSeconds = think }
            if let first { c.firstInputTokens = first }
            if let followUp { c.followUpInputTokens = followUp }
            if let output { c.outputTokens = output }
            if let context { c.contextTokens = context }
            if let shared { c.sharedPrefixTokens = shared }
            if let rule { c.turnCountRule = rule }
            if let includes { c.firstMessageIncludesSharedPrefix = includes }
            if let minimum { c.minimumMessageTokens = minimum }
            if let cap { c.maxContextTokens = cap }
            components[i].config = c
        }
    }

    static func parseArrival(_ node: SpecNode, reader: SpecReader) throws(WorkloadSpecError) -> ArrivalProcess {
        _ = try reader.object(
            node, "arrival", allowed: ["process", "rate_per_s", "cv", "at_s", "file", "rate_scale", "model"])
        guard let p = node["process"] else { throw reader.error(node, "arrival.process", "is missing") }
        let process = try reader.string(p, "arrival.process")
        func rate() throws(WorkloadSpecError) -> Double {
            guard let r = node["rate_per_s"] else { throw reader.error(node, "arrival.rate_per_s", "is missing") }
            return try reader.positive(r, "arrival.rate_per_s")
        }
        let allowed: [String: Set<String>] = [
            "poisson": ["process", "rate_per_s"], "uniform": ["process", "rate_per_s"],
            "gamma": ["process", "rate_per_s", "cv"], "batch": ["process", "at_s"],
            "servegen": ["process", "file", "rate_scale", "model"],
        ]
        guard let keys = allowed[process] else {
            throw reader.error(
                p, "arrival.process", "must be poisson, gamma, uniform, batch or servegen, got \(p.brief)")
        }
        _ = try reader.object(node, "arrival", allowed: keys)
        switch process {
        case "poisson": return .poisson(ratePerSecond: try rate())
        case "uniform": return .uniform(ratePerSecond: try rate())
        case "gamma":
            guard let cv = node["cv"] else { throw reader.error(node, "arrival.cv", "is missing") }
            return .gamma(ratePerSecond: try rate(), coefficientOfVariation: try reader.positive(cv, "arrival.cv"))
        case "batch":
            return .batch(
                atSeconds: try node["at_s"].map { n throws(WorkloadSpecError) in
                    try reader.nonNegative(n, "arrival.at_s")
                } ?? 0)
        default:
            guard let f = node["file"] else { throw reader.error(node, "arrival.file", "is missing") }
            var options = TraceImportOptions()
            if let s = node["rate_scale"] { options.servegenRateScale = try reader.positive(s, "arrival.rate_scale") }
            if let m = node["model"] { options.servegenModel = try reader.string(m, "arrival.model") }
            let path = reader.resolve(try reader.string(f, "arrival.file"))
            do throws(TraceParseError) {
                return .rateCurve(try ServeGenRateCurveLoader.load(path: path, options: options).curve)
            } catch {
                throw reader.error(f, "arrival.file", error.description)
            }
        }
    }
}
