/// Which fitted synthetic model: a catalogue model name, a scorer and a threshold layout.
public struct SyntheticHeadProfileKey: Sendable, Hashable {
    /// The canonical model name (one of ``SyntheticHeadProfiles/models``).
    public var model: String
    /// The scorer.
    public var scorer: HeadScorer
    /// The threshold layout.
    public var layout: HeadProfileLayout

    /// Creates a key; `model` should be canonical (see ``SyntheticHeadProfiles/canonicalModelName(_:)``).
    public init(model: String, scorer: HeadScorer, layout: HeadProfileLayout) {
        self.model = model
        self.scorer = scorer
        self.layout = layout
    }
}

extension SyntheticHeadProfileKey: CustomStringConvertible {
    public var description: String { "\(model)/\(scorer)/\(layout)" }
}

extension SyntheticHeadProfileKey {
    /// The key of a measured file named like `.../<scorer>/<model>_<layout>.csv`
    /// (for example `snapkv/llama-3.1-8b-instruct_crosslayer.csv`).
    ///
    /// - Returns: `nil` when the path does not follow that pattern or names an unknown model or scorer.
    public init?(measuredPath path: String) {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, let scorer = HeadScorer(name: String(parts[parts.count - 2])) else { return nil }
        var stem = String(parts[parts.count - 1])
        guard stem.hasSuffix(".csv") else { return nil }
        stem.removeLast(4)
        for layout in HeadProfileLayout.allCases where stem.hasSuffix("_\(layout.rawValue)") {
            let model = String(stem.dropLast(layout.rawValue.count + 1))
            guard let canonical = SyntheticHeadProfiles.canonicalModelName(model) else { return nil }
            self.init(model: canonical, scorer: scorer, layout: layout)
            return
        }
        return nil
    }
}
