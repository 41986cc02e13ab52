/// One point of a distribution: the value at a fraction of the ordered data.
public struct PercentilePoint: Sendable, Hashable, Codable {
    /// The fraction in [0, 1] (0.5 is the median).
    public var fraction: Double
    /// The value at that fraction, by linear interpolation between order statistics.
    public var value: Double

    /// Creates a point.
    public init(fraction: Double, value: Double) {
        self.fraction = fraction
        self.value = value
    }
}
