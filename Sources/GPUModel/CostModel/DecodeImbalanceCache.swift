import Foundation

/// The coarse signature of a decode batch that ``DecodeImbalanceMode/cached`` keys on.
///
/// Every request has a length scale `l = C + a` (compressed context plus appended tokens) and a
/// compressed share `C / l`. The key holds the batch size (exact up to 64, then on a 5% log grid),
/// the mean `l` on a 5% log grid, the coefficient of variation of `l` in steps of 0.1 (up to 1.5),
/// and the mean compressed share in steps of 0.05.
struct DecodeBatchSignature: Hashable, Sendable {
    var batchBin: Int32
    var lengthBin: Int32
    var spreadBin: Int16
    var shareBin: Int16

    static let lengthStep = 1.10
    static let batchStep = 1.10
    static let exactBatch = 16
    static let spreadStep = 0.2
    static let shareStep = 0.1

    /// The signature of a batch, O(batch).
    init(_ shapes: [DecodeShape]) {
        var sum = 0.0, squares = 0.0, share = 0.0
        for s in shapes {
            let c = Double(s.compressedContextTokens), l = c + Double(s.appendedTokens)
            sum += l
            squares += l * l
            share += l > 0 ? c / l : 0
        }
        let n = Double(max(shapes.count, 1))
        let mean = sum / n
        let variance = max(0, squares / n - mean * mean)
        let cv = mean > 0 ? variance.squareRoot() / mean : 0
        let b = shapes.count
        let e = Self.exactBatch
        batchBin = Int32(b <= e ? b : e + Int((log(Double(b) / Double(e)) / log(Self.batchStep)).rounded()))
        lengthBin = Int32((log(max(mean, 1)) / log(Self.lengthStep)).rounded())
        spreadBin = Int16(min(8, (cv / Self.spreadStep).rounded()))
        shareBin = Int16((share / n / Self.shareStep).rounded())
    }

    /// The canonical batch of this signature: requests whose lengths are evenly spread over a
    /// uniform distribution with the signature's mean and spread, in a fixed interleaved order
    /// (golden-ratio sequence), each compressed at the signature's share.
    func canonicalBatch() -> [DecodeShape] {
        let e = Self.exactBatch
        let b = batchBin <= e ? Int(batchBin) : Int((Double(e) * pow(Self.batchStep, Double(Int(batchBin) - e))).rounded())
        let mean = pow(Self.lengthStep, Double(lengthBin))
        let cv = Double(spreadBin) * Self.spreadStep
        let share = min(1, Double(shareBin) * Self.shareStep)
        let golden = 0.618_033_988_749_894_9
        return (0..<b).map { k in
            let u = (Double(k) * golden).truncatingRemainder(dividingBy: 1)
            let l = max(1, (mean * (1 + cv * 3.0.squareRoot() * (2 * u - 1))).rounded())
            let c = (share * l).rounded()
            return DecodeShape(compressedContextTokens: Int32(c), appendedTokens: Int32(max(1, l - c)))
        }
    }
}

/// The cache behind ``DecodeImbalanceMode/cached``: decode imbalance factors by batch signature.
/// Values depend only on the signature and the model's configuration, never on call order.
final class DecodeImbalanceCache: @unchecked Sendable {
    // @unchecked: every access to `factors` holds `lock`.
    private let lock = NSLock()
    private var factors: [DecodeBatchSignature: Double] = [:]
    /// Entries kept before the cache is emptied (values are recomputed identically).
    let capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
    }

    /// The cached factor for `key`, computing it with `compute` on a miss.
    func factor(for key: DecodeBatchSignature, compute: () -> Double) -> Double {
        lock.lock()
        if let f = factors[key] {
            lock.unlock()
            return f
        }
        lock.unlock()
        let f = compute()
        lock.lock()
        if factors.count >= capacity { factors.removeAll(keepingCapacity: true) }
        factors[key] = f
        lock.unlock()
        return f
    }

    /// Entries held (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return factors.count
    }
}
