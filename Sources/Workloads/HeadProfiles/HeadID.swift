/// One KV head of a model: its layer (the model's own layer index) and its index in the layer.
public struct HeadID: Sendable, Hashable {
    /// The model's layer index (for hybrid models, only full-attention layers carry profiles).
    public var layer: Int
    /// The KV head index within the layer, from 0.
    public var kvHead: Int

    /// Creates a head identifier.
    public init(layer: Int, kvHead: Int) {
        self.layer = layer
        self.kvHead = kvHead
    }
}

extension HeadID: CustomStringConvertible {
    public var description: String { "L\(layer)H\(kvHead)" }
}
