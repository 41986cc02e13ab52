import GPUModel

/// A KV cache policy as a composition of independent choices, so that every system in a
/// comparison — and every ablation between them — is one value (see docs/architecture.md).
public struct PolicySpec: Sendable, Hashable {
    /// How many tokens each head keeps.
    public enum Budget: String, Sendable, Hashable {
        /// No compression: every head keeps every token.
        case none
        /// Every head keeps the same fraction.
        case uniform
        /// Per-head retention discovered at run time: each request draws its own around the
        /// head's profile (known only after its prefill is scored).
        case dynamic
        /// Static per-head budgets `mu_h + alpha sigma_h`, known at admission.
        case reserved
    }

    /// How pages are cut.
    public enum Layout: Sendable, Hashable {
        /// One page table per request; a page holds a block of tokens of every layer and KV head,
        /// so pages are sized by the longest head.
        case monolithic
        /// Ragged paging: heads cut into groups of `headsPerGroup`, each with its own page table
        /// and length (the longest head of the group).
        case ragged(headsPerGroup: Int, grouping: Grouping, scope: Scope)
        /// The released code: ragged at compression, but every group grows back to the longest
        /// group's depth at the next allocation.
        case raggedRegrownToLongest(headsPerGroup: Int, grouping: Grouping, scope: Scope)
    }

    /// Which heads share a group.
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        /// Heads sorted by budget, so a group's heads have similar lengths.
        case sorted
        /// Heads in their natural order.
        case adjacent
    }

    /// Whether groups may mix layers.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// All (layer, head) cells of the model are grouped together.
        case crosslayer
        /// Groups stay within a layer.
        case perlayer
    }

    /// When a request may be admitted.
    public enum Admission: String, Sendable, Hashable {
        /// When its next chunk fits (vLLM); with compression, the post-compression footprint is
        /// known (uniform, reserved) and only that is allocated.
        case incremental
        /// Only when its whole uncompressed prompt would fit, although compression will free most
        /// of it ("false saturation" of dynamic compress-and-reclaim).
        case uncompressedPrompt
    }

    /// How a conversation's history is reused between turns.
    public enum History: String, Sendable, Hashable {
        /// Each turn is a new request over the whole history; cached blocks are reused (vLLM).
        case prefixCache
        /// One long-lived request per conversation whose KV stays on the GPU between turns.
        case resident
    }

    public var budget: Budget
    public var layout: Layout
    public var admission: Admission
    /// Whether pages freed by compression are compacted and returned (compress-and-reclaim).
    public var reclaim: Bool
    /// Whether static budgets are reserved for the whole prompt at admission.
    public var reserveAtAdmission: Bool
    public var partition: DecodePartition
    public var history: History

    public init(budget: Budget, layout: Layout, admission: Admission, reclaim: Bool, reserveAtAdmission: Bool,
                partition: DecodePartition, history: History) {
        self.budget = budget
        self.layout = layout
        self.admission = admission
        self.reclaim = reclaim
        self.reserveAtAdmission = reserveAtAdmission
        self.partition = partition
        self.history = history
    }

    /// Whether the policy compresses KV at all.
    public var compresses: Bool { budget != .none }
}
