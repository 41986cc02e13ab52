/// The largest relative error a checked kernel may show: `||out - ref|| / ||ref||` for arithmetic
/// kernels, the fraction of mismatched elements for copies.
public enum CheckBound {
    /// bf16 outputs carry 8 significant bits (relative rounding 2^-9 = 0.2% per element), and
    /// prefill rounds the attention weights to bf16 before P V as FlashAttention does; the usual
    /// band for bf16 results is 1e-3 to 1e-2 (docs/validation.md), so 1e-2 is the bound.
    public static let bf16RelativeError = 1e-2

    /// The bound for `kernelClass`: copies and compaction must be exact. The host planner has no
    /// check of its own (its work list is what the decode planner checks run); it gets 0.
    public static func relativeError(for kernelClass: KernelClass) -> Double {
        switch kernelClass {
        case .copy, .compaction, .decodePlanner: return 0
        case .decodeAttention, .prefillAttention, .gemm: return bf16RelativeError
        }
    }

    /// Whether a checked result passes: finite, within the bound, and no output left poisoned.
    public static func passes(_ result: KernelResult, kernelClass: KernelClass) -> Bool {
        guard let error = result.checkRelativeError, error.isFinite, result.nonfiniteOutputs == 0 else { return false }
        return error <= relativeError(for: kernelClass)
    }
}
