import Foundation

/// Produces the arrival times of an ``ArrivalProcess``, one at a time, in non-decreasing order.
///
/// Holds O(1) state besides the process itself. Rate curves end after their last window
/// (``next()`` returns `nil`).
public struct ArrivalClock {
    private let process: ArrivalProcess
    private let rng: GSLRandom
    private var nowSeconds: Double = 0
    private var count = 0
    private var windowIndex = 0
    private var windowStarted = false

    /// Creates a clock for `process` drawing from `rng`.
    public init(process: ArrivalProcess, rng: GSLRandom) {
        self.process = process
        self.rng = rng
    }

    /// The next arrival time in seconds, or `nil` when the process has ended.
    public mutating func next() -> Double? {
        defer { count += 1 }
        switch process {
        case .poisson(let rate):
            guard rate > 0 else { return nil }
            nowSeconds += rng.exponential(mean: 1 / rate)
            return nowSeconds
        case .gamma(let rate, let cv):
            guard rate > 0 else { return nil }
            let shape = 1 / (cv * cv)
            nowSeconds += rng.gamma(shape: shape, scale: 1 / (rate * shape))
            return nowSeconds
        case .uniform(let rate):
            guard rate > 0 else { return nil }
            return Double(count) / rate
        case .batch(let t):
            return t
        case .rateCurve(let curve):
            return nextOnCurve(curve)
        }
    }

    private mutating func nextOnCurve(_ curve: RateCurve) -> Double? {
        while windowIndex < curve.windows.count {
            let w = curve.windows[windowIndex]
            if !windowStarted {
                nowSeconds = max(nowSeconds, w.startSeconds)
                windowStarted = true
            }
            if w.ratePerSecond > 0 {
                let meanGap = 1 / w.ratePerSecond
                let gap: Double
                switch w.gapShape {
                case .exponential:
                    gap = rng.exponential(mean: meanGap)
                case .gamma(let shape):
                    gap = rng.gamma(shape: shape, scale: meanGap / shape)
                case .weibull(let shape):
                    gap = rng.weibull(shape: shape, scale: meanGap / tgamma(1 + 1 / shape))
                }
                let candidate = nowSeconds + gap
                if candidate < w.startSeconds + w.durationSeconds {
                    nowSeconds = candidate
                    return candidate
                }
            }
            // The draw fell past this window: restart the process at the next window's start.
            nowSeconds = w.startSeconds + w.durationSeconds
            windowIndex += 1
            windowStarted = false
        }
        return nil
    }
}
