/// Why budgets could not be calibrated.
public enum HeadBudgetsError: Error, Hashable, CustomStringConvertible {
    /// alpha was NaN or infinite.
    case invalidAlpha(Double)
    /// The requested calibration sample count is not in `1...available`.
    case calibrationSamplesOutOfRange(Int, available: Int)

    public var description: String {
        switch self {
        case .invalidAlpha(let a): return "alpha must be a finite number, got \(a)"
        case .calibrationSamplesOutOfRange(let n, let available):
            return "calibration samples must be in 1...\(available) (the profile's sample count), got \(n)"
        }
    }
}
