/// An arrival rate that is constant within consecutive time windows, each with its own
/// inter-arrival distribution (ServeGen's client model: one window per 600 s).
public struct RateCurve: Sendable, Hashable {
    /// The shape of the gaps between arrivals inside one window.
    public enum GapShape: Sendable, Hashable {
        /// Exponential gaps (Poisson arrivals).
        case exponential
        /// Gamma gaps with this shape; rescaled to the window's rate.
        case gamma(shape: Double)
        /// Weibull gaps with this shape; rescaled to the window's rate.
        case weibull(shape: Double)
    }

    /// One window of the curve.
    public struct Window: Sendable, Hashable {
        /// Start of the window, seconds from the start of the curve.
        public var startSeconds: Double
        /// Length of the window in seconds.
        public var durationSeconds: Double
        /// Mean arrivals per second in the window; 0 means idle.
        public var ratePerSecond: Double
        /// Shape of the gaps; their mean is always `1 / ratePerSecond`.
        public var gapShape: GapShape

        /// Creates a window.
        public init(
            startSeconds: Double, durationSeconds: Double, ratePerSecond: Double, gapShape: GapShape = .exponential
        ) {
            self.startSeconds = startSeconds
            self.durationSeconds = durationSeconds
            self.ratePerSecond = ratePerSecond
            self.gapShape = gapShape
        }
    }

    /// The windows, in increasing, non-overlapping time order.
    public var windows: [Window]

    /// Creates a curve. Windows must be sorted by start time and must not overlap.
    public init(windows: [Window]) {
        self.windows = windows
    }

    /// The same curve with every rate multiplied by `factor`.
    public func scaled(by factor: Double) -> RateCurve {
        RateCurve(
            windows: windows.map { w in
                var w = w
                w.ratePerSecond *= factor
                return w
            })
    }

    /// Arrivals per second averaged over the curve's total duration.
    public var meanRatePerSecond: Double {
        var arrivals = 0.0
        var seconds = 0.0
        for w in windows {
            arrivals += w.ratePerSecond * w.durationSeconds
            seconds += w.durationSeconds
        }
        return seconds > 0 ? arrivals / seconds : 0
    }
}
