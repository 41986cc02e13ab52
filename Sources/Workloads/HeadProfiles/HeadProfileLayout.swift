/// How a profile's retention threshold was taken: over all layers at once, or within each layer.
///
/// The measured profiles in `head_profiles/<scorer>/<model>_{crosslayer,perlayer}.csv` come in
/// both variants (Tangram's `build_profile.py --scope global|per_layer`). A cross-layer threshold
/// lets strong layers keep more; a per-layer threshold makes every layer keep its own top
/// fraction. The two give different head rankings and pair with cross-layer or per-layer
/// clustering of heads into page groups.
public enum HeadProfileLayout: String, Sendable, Hashable, CaseIterable {
    /// One threshold over every (layer, KV head) cell of the model.
    case crosslayer
    /// A separate threshold within each layer.
    case perlayer
}

extension HeadProfileLayout: CustomStringConvertible {
    public var description: String { rawValue }
}
