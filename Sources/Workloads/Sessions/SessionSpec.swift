/// A conversation: when it starts and the turns it will make.
public struct SessionSpec: Sendable, Hashable {
    /// Identifier, unique within one workload.
    public var id: Int
    /// Seconds from the start of the workload at which the first turn arrives.
    public var arrivalSeconds: Double
    /// The turns, in order; at least one.
    public var turns: [TurnSpec]

    public init(id: Int, arrivalSeconds: Double, turns: [TurnSpec]) {
        self.id = id
        self.arrivalSeconds = arrivalSeconds
        self.turns = turns
    }
}
