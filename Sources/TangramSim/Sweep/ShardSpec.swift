/// One shard of a sweep: `index` of `count`, owning the grid points whose index is congruent to
/// `index` modulo `count`.
///
/// Points are dealt round-robin, so neighbouring points (which differ in the fastest-varying
/// axis, usually the seed or the policy) land on different shards and shards cost about the
/// same. The assignment depends only on the point index and the shard count: every shard of a
/// job array computes the same split without talking to the others, and the shards together
/// hold every point exactly once.
///
/// ```swift
/// let shard = try ShardSpec.parse("auto/8", environment: ["SLURM_ARRAY_TASK_ID": "3"])
/// shard.points(outOf: 20)  // [3, 11, 19]
/// ```
public struct ShardSpec: Sendable, Hashable {
    /// 0-based shard index.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// The environment variables `auto` reads, in order.
    public static let indexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]

    /// Creates a shard.
    ///
    /// - Throws: ``ShardSpecError`` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws(ShardSpecError) {
        guard count >= 1 else { throw ShardSpecError(text: "\(index)/\(count)", reason: "the shard count must be at least 1") }
        guard (0..<count).contains(index) else {
            throw ShardSpecError(text: "\(index)/\(count)", reason: "the shard index must be in 0...\(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// The whole sweep as one shard.
    public static let whole = try! ShardSpec(index: 0, count: 1)

    /// Parses `I/N` (0-based `I`) or `auto/N`.
    ///
    /// `auto` takes the index from `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN` (0 when
    /// unset; so `--array=1-8` works as well as `--array=0-7`), else from Kubernetes'
    /// `JOB_COMPLETION_INDEX` (0-based in an indexed Job).
    ///
    /// - Parameters:
    ///   - text: The option's value.
    ///   - environment: The process environment.
    /// - Throws: ``ShardSpecError`` naming the text and the problem.
    public static func parse(_ text: String, environment: [String: String]) throws(ShardSpecError) -> ShardSpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw ShardSpecError(text: text, reason: "expected I/N or auto/N, e.g. 0/4") }
        guard let count = Int(parts[1]), count >= 1 else {
            throw ShardSpecError(text: text, reason: "the shard count '\(parts[1])' is not a positive integer")
        }
        let index: Int
        if parts[0] == "auto" {
            if let raw = environment["SLURM_ARRAY_TASK_ID"] {
                guard let id = Int(raw) else {
                    throw ShardSpecError(text: text, reason: "SLURM_ARRAY_TASK_ID='\(raw)' is not an integer")
                }
                var minimum = 0
                if let m = environment["SLURM_ARRAY_TASK_MIN"] {
                    guard let v = Int(m) else {
                        throw ShardSpecError(text: text, reason: "SLURM_ARRAY_TASK_MIN='\(m)' is not an integer")
                    }
                    minimum = v
                }
                index = id - minimum
            } else if let raw = environment["JOB_COMPLETION_INDEX"] {
                guard let id = Int(raw) else {
                    throw ShardSpecError(text: text, reason: "JOB_COMPLETION_INDEX='\(raw)' is not an integer")
                }
                index = id
            } else {
                throw ShardSpecError(text: text, reason: "auto needs SLURM_ARRAY_TASK_ID (Slurm job array) or JOB_COMPLETION_INDEX (Kubernetes indexed Job); neither is set")
            }
        } else {
            guard let i = Int(parts[0]) else {
                throw ShardSpecError(text: text, reason: "the shard index '\(parts[0])' is not an integer (or auto)")
            }
            index = i
        }
        guard (0..<count).contains(index) else {
            throw ShardSpecError(text: text, reason: "shard index \(index) is outside 0...\(count - 1)")
        }
        return try ShardSpec(index: index, count: count)
    }

    /// Whether this shard runs point `point`.
    public func owns(_ point: Int) -> Bool { point % count == index }

    /// The points of a sweep of `total` points that this shard runs, ascending.
    public func points(outOf total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }
}

extension ShardSpec: CustomStringConvertible {
    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}
