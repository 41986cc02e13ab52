/// The part of a run whose requests are measured, and the time after which no more turns start.
///
/// A run that starts empty needs a while to fill its KV cache and its queues; a run that ends
/// when the last session ends has a tail with little load. Capacity planning measures the
/// middle: requests that *arrive* in `[measureFromSeconds, stopArrivalsAtSeconds)` count
/// towards ``WindowSummary``; turns (first turns included) that would arrive at or after
/// `stopArrivalsAtSeconds` are not started, their sessions end there, and the run ends when the
/// requests already started have finished. Every request of the window therefore finishes, and
/// an overloaded replica shows as long waits rather than as missing requests.
public struct ObservationWindow: Sendable, Hashable {
    /// Start of the measured arrivals, seconds from the start of the run.
    public var measureFromSeconds: Double
    /// End of the measured arrivals; no turn starts at or after it.
    public var stopArrivalsAtSeconds: Double

    /// Creates a window.
    ///
    /// - Precondition: `0 <= measureFromSeconds < stopArrivalsAtSeconds`, both finite.
    public init(measureFromSeconds: Double, stopArrivalsAtSeconds: Double) {
        precondition(measureFromSeconds.isFinite && stopArrivalsAtSeconds.isFinite, "window bounds must be finite")
        precondition(measureFromSeconds >= 0 && measureFromSeconds < stopArrivalsAtSeconds, "empty window")
        self.measureFromSeconds = measureFromSeconds
        self.stopArrivalsAtSeconds = stopArrivalsAtSeconds
    }

    /// Length of the measured span of arrivals in seconds.
    public var measuredSeconds: Double { stopArrivalsAtSeconds - measureFromSeconds }
}
