/// A discrete distribution over observed values with non-negative weights.
///
/// Sampling draws one uniform and finds its value by binary search over cumulative weights:
/// O(log n) per draw, O(n) memory.
public struct EmpiricalDistribution: Sendable, Hashable {
    /// The values, in the order given.
    public let values: [Double]
    /// Running sums of the weights; the last element is the total weight.
    public let cumulativeWeights: [Double]

    /// Creates a distribution over `values`, each with weight 1 when `weights` is `nil`.
    ///
    /// - Returns: `nil` when there are no values, the counts differ, a value or weight is not
    ///   finite, a weight is negative, or the weights sum to zero.
    public init?(values: [Double], weights: [Double]? = nil) {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let w = weights ?? Array(repeating: 1, count: values.count)
        guard w.count == values.count, w.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        var running = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(w.count)
        for x in w {
            running += x
            cumulative.append(running)
        }
        guard running > 0, running.isFinite else { return nil }
        self.values = values
        self.cumulativeWeights = cumulative
    }

    /// The weighted mean.
    public var mean: Double {
        var previous = 0.0
        var sum = 0.0
        for (value, c) in zip(values, cumulativeWeights) {
            sum += value * (c - previous)
            previous = c
        }
        return sum / (cumulativeWeights.last ?? 1)
    }

    /// One draw.
    public func sample(using rng: GSLRandom) -> Double {
        let target = rng.uniform() * (cumulativeWeights.last ?? 0)
        var lo = 0
        var hi = cumulativeWeights.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeWeights[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return values[lo]
    }
}
