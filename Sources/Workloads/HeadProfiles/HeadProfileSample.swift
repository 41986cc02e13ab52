/// One calibration sample of a head profile: the prompt it compressed and what every head kept.
///
/// Values are indexed by flat head index (see ``HeadProfile/flatIndex(layerPosition:kvHead:)``).
///
/// ``ratios`` follow the measured files' convention: a head's retention of the compressible
/// context, `(keptTokens - sinkTokens - windowTokens) / promptTokens`, so a head that keeps
/// only sink and window has ratio 0 and the largest possible ratio is
/// `(promptTokens - windowTokens) / promptTokens`. In Tangram's profiling tool `promptTokens`
/// is the prompt length less the sink (see `docs/head-profiles.md`).
public struct HeadProfileSample: Sendable, Hashable {
    /// The sample's identifier in its source (the CSV `sample` column).
    public var sampleID: Int
    /// The sample's `prompt_tokens`: the denominator of every ratio in this sample.
    public var promptTokens: Int
    /// Tokens always kept at the start of the prompt (attention sink).
    public var sinkTokens: Int
    /// Tokens always kept at the end of the prompt (recent window).
    public var windowTokens: Int
    /// Per-head retention ratio in [0, 1], indexed by flat head index.
    public var ratios: [Double]
    /// Per-head kept tokens, sink and window included, indexed by flat head index.
    public var keptTokens: [Int]

    /// Creates a sample. `ratios` and `keptTokens` must have one entry per head.
    public init(
        sampleID: Int, promptTokens: Int, sinkTokens: Int, windowTokens: Int, ratios: [Double],
        keptTokens: [Int]
    ) {
        precondition(ratios.count == keptTokens.count, "one kept count per ratio")
        self.sampleID = sampleID
        self.promptTokens = promptTokens
        self.sinkTokens = sinkTokens
        self.windowTokens = windowTokens
        self.ratios = ratios
        self.keptTokens = keptTokens
    }

    /// The mean ratio over all heads of this sample.
    public var meanRatio: Double {
        ratios.isEmpty ? 0 : ratios.reduce(0, +) / Double(ratios.count)
    }

    /// The largest ratio a head can reach in this sample (it keeps every token):
    /// `(promptTokens - windowTokens) / promptTokens`.
    public var saturationRatio: Double {
        promptTokens > 0 ? Double(max(promptTokens - windowTokens, 0)) / Double(promptTokens) : 0
    }
}
