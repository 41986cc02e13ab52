/// A synthetic profile that cannot be made.
public enum SyntheticHeadProfileError: Error, Hashable, CustomStringConvertible {
    /// The model has no fitted parameters.
    case unknownModel(String, known: [String])
    /// The model is known, but not with this scorer.
    case scorerUnavailable(model: String, scorer: HeadScorer, available: [HeadScorer])
    /// The sample count is below 1.
    case invalidSampleCount(Int)

    public var description: String {
        switch self {
        case .unknownModel(let m, let known):
            return "no synthetic head profile for model '\(m)'; known models: \(known.joined(separator: ", "))"
        case .scorerUnavailable(let m, let s, let available):
            return
                "model '\(m)' has no \(s) profile; available scorers: \(available.map(\.rawValue).joined(separator: ", "))"
        case .invalidSampleCount(let n):
            return "a synthetic profile needs at least 1 sample, got \(n)"
        }
    }
}
