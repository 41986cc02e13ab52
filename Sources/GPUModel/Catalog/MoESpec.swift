/// The mixture-of-experts part of a model's MLP.
public struct MoESpec: Sendable, Hashable {
    /// Routed experts per layer.
    public var expertCount: Int
    /// Experts each token is routed to.
    public var activeExpertsPerToken: Int
    /// Intermediate (hidden) size of one expert's MLP.
    public var expertIntermediateSize: Int
    /// Bytes per stored expert weight (2 for bf16; 4.25 bits / 8 for MXFP4 blocks with scales).
    public var bytesPerExpertParameter: Double

    public init(expertCount: Int, activeExpertsPerToken: Int, expertIntermediateSize: Int,
                bytesPerExpertParameter: Double = 2) {
        self.expertCount = expertCount
        self.activeExpertsPerToken = activeExpertsPerToken
        self.expertIntermediateSize = expertIntermediateSize
        self.bytesPerExpertParameter = bytesPerExpertParameter
    }
}
