/// A `--shard` value that cannot be used.
public struct ShardSpecError: Error, Sendable, Hashable {
    /// The value as given.
    public var text: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }
}

extension ShardSpecError: CustomStringConvertible {
    public var description: String { "--shard \(text): \(reason)" }
}
