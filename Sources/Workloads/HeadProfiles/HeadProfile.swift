/// Measured (or synthetic) per-(layer, KV head) retention ratios over calibration samples.
///
/// A profile covers the model's compressed layers (``layerIndices``; for hybrid models only the
/// full-attention layers) times ``kvHeadsPerLayer`` KV heads. Heads are numbered by a *flat head
/// index*, layer-major: `layerPosition * kvHeadsPerLayer + kvHead`, where `layerPosition` is the
/// position of the layer in ``layerIndices``. Samples are kept in ascending ``HeadProfileSample/sampleID``
/// order, which is the order "the first N samples" refers to.
///
/// Read one with ``HeadProfileReader``, make one with ``SyntheticHeadProfiles``, and turn one into
/// budgets with ``HeadBudgets`` or into diagnostics with ``HeadProfileStatistics``.
public struct HeadProfile: Sendable, Hashable {
    /// A label for messages: the file it was read from, or a synthetic descriptor.
    public var name: String
    /// The model's layer indices the profile covers, ascending.
    public let layerIndices: [Int]
    /// KV heads per layer.
    public let kvHeadsPerLayer: Int
    /// The calibration samples, in ascending sample identifier order.
    public let samples: [HeadProfileSample]

    /// Creates a profile.
    ///
    /// - Precondition: `layerIndices` is non-empty and strictly ascending, `kvHeadsPerLayer > 0`,
    ///   `samples` is non-empty with strictly ascending identifiers, and every sample has
    ///   `layerIndices.count * kvHeadsPerLayer` ratios.
    public init(name: String, layerIndices: [Int], kvHeadsPerLayer: Int, samples: [HeadProfileSample]) {
        precondition(!layerIndices.isEmpty && kvHeadsPerLayer > 0, "a profile needs at least one head")
        precondition(zip(layerIndices, layerIndices.dropFirst()).allSatisfy { $0 < $1 }, "layers must ascend")
        precondition(!samples.isEmpty, "a profile needs at least one sample")
        precondition(zip(samples, samples.dropFirst()).allSatisfy { $0.sampleID < $1.sampleID }, "samples must ascend")
        let heads = layerIndices.count * kvHeadsPerLayer
        precondition(samples.allSatisfy { $0.ratios.count == heads }, "every sample needs one ratio per head")
        self.name = name
        self.layerIndices = layerIndices
        self.kvHeadsPerLayer = kvHeadsPerLayer
        self.samples = samples
    }

    /// Number of (layer, KV head) cells.
    public var headCount: Int { layerIndices.count * kvHeadsPerLayer }

    /// Number of calibration samples.
    public var sampleCount: Int { samples.count }

    /// The flat head index of a (layer position, KV head) cell.
    ///
    /// - Parameter layerPosition: the position in ``layerIndices`` (not the model's layer index).
    public func flatIndex(layerPosition: Int, kvHead: Int) -> Int {
        precondition(layerIndices.indices.contains(layerPosition) && (0..<kvHeadsPerLayer).contains(kvHead))
        return layerPosition * kvHeadsPerLayer + kvHead
    }

    /// The (model layer, KV head) identity of a flat head index.
    public func head(at flatIndex: Int) -> HeadID {
        HeadID(layer: layerIndices[flatIndex / kvHeadsPerLayer], kvHead: flatIndex % kvHeadsPerLayer)
    }

    /// The profile restricted to its first `count` samples.
    ///
    /// - Precondition: `1 <= count <= sampleCount`.
    public func prefix(samples count: Int) -> HeadProfile {
        precondition((1...sampleCount).contains(count), "prefix must keep 1...\(sampleCount) samples")
        return HeadProfile(
            name: name, layerIndices: layerIndices, kvHeadsPerLayer: kvHeadsPerLayer,
            samples: Array(samples.prefix(count)))
    }

    /// Each head's mean ratio over all samples, by flat head index.
    public var meanRatios: [Double] {
        var sums = [Double](repeating: 0, count: headCount)
        for sample in samples {
            for h in 0..<headCount { sums[h] += sample.ratios[h] }
        }
        return sums.map { $0 / Double(sampleCount) }
    }

    /// The mean ratio over every (sample, head) value.
    public var meanRatio: Double {
        meanRatios.reduce(0, +) / Double(headCount)
    }
}
