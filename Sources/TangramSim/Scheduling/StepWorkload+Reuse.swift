import GPUModel

extension StepWorkload {
    /// Resets every count to zero and empties the per-request arrays, keeping their capacity.
    mutating func clearKeepingCapacity() {
        var shapes = decodeShapes
        decodeShapes = []
        shapes.removeAll(keepingCapacity: true)
        self = StepWorkload()
        decodeShapes = shapes
    }
}
