/// The shapes of a decoder-only transformer: everything the simulator needs to count bytes and
/// FLOPs. Values come from each model's published `config.json` (see ``ModelCatalog``).
public struct ModelSpec: Sendable, Hashable {
    /// Catalog name, lower case (`llama-3.1-8b`).
    public var name: String
    /// Residual stream width.
    public var hiddenSize: Int
    /// Attention kind of every layer, in order; its count is the layer count.
    public var layers: [AttentionKind] {
        didSet { (fullAttentionLayerCount, slidingWindowTokens) = Self.summarise(layers) }
    }
    /// Layers with full attention (kept in step with ``layers``: read on every simulated step).
    public private(set) var fullAttentionLayerCount: Int
    /// The sliding window in tokens, if the model has sliding-window layers (all share one window).
    public private(set) var slidingWindowTokens: Int?
    /// Query heads per layer.
    public var queryHeads: Int
    /// Key/value heads per layer (grouped-query attention when fewer than ``queryHeads``).
    public var kvHeads: Int
    /// Dimension of one attention head.
    public var headDim: Int
    /// Intermediate size of the dense MLP (unused when ``moe`` is set).
    public var intermediateSize: Int
    /// Mixture-of-experts MLP, or `nil` for a dense MLP.
    public var moe: MoESpec?
    /// Vocabulary size (embedding rows).
    public var vocabSize: Int
    /// Whether the output head shares the input embedding's weights.
    public var tiedEmbeddings: Bool
    /// Whether the attention projections carry biases.
    public var attentionBias: Bool
    /// Parameters loaded besides the language model (a vision tower), counted in weight memory only.
    public var extraParameters: Int
    /// Bytes per dense weight (2 for bf16).
    public var bytesPerParameter: Double
    /// Bytes per KV cache element (2 for bf16).
    public var bytesPerKVElement: Int
    /// Where the numbers come from.
    public var source: String

    public init(
        name: String, hiddenSize: Int, layers: [AttentionKind], queryHeads: Int, kvHeads: Int, headDim: Int,
        intermediateSize: Int, moe: MoESpec? = nil, vocabSize: Int, tiedEmbeddings: Bool,
        attentionBias: Bool = false, extraParameters: Int = 0, bytesPerParameter: Double = 2,
        bytesPerKVElement: Int = 2, source: String
    ) {
        self.name = name
        self.hiddenSize = hiddenSize
        self.layers = layers
        (fullAttentionLayerCount, slidingWindowTokens) = Self.summarise(layers)
        self.queryHeads = queryHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.intermediateSize = intermediateSize
        self.moe = moe
        self.vocabSize = vocabSize
        self.tiedEmbeddings = tiedEmbeddings
        self.attentionBias = attentionBias
        self.extraParameters = extraParameters
        self.bytesPerParameter = bytesPerParameter
        self.bytesPerKVElement = bytesPerKVElement
        self.source = source
    }

    /// Number of transformer layers.
    public var layerCount: Int { layers.count }
    private static func summarise(_ layers: [AttentionKind]) -> (Int, Int?) {
        (layers.filter { $0 == .full }.count, layers.lazy.compactMap(\.windowTokens).first)
    }
    /// Layers with sliding-window attention.
    public var slidingLayerCount: Int { layerCount - fullAttentionLayerCount }

    /// KV bytes one token occupies in one layer across all KV heads (K and V), before tensor parallelism.
    public var kvBytesPerTokenPerLayer: Int { 2 * kvHeads * headDim * bytesPerKVElement }
}
