/// Runs independent jobs on a bounded number of child tasks and returns their results in job
/// order, whatever order they finish in.
enum ParallelMap {
    /// Runs `body(0) ... body(count - 1)`, at most `jobs` at once.
    ///
    /// - Returns: The results indexed like the jobs.
    /// - Throws: The error of the lowest-indexed job that failed (after every started job has
    ///   finished), so the error too is independent of scheduling.
    static func map<T: Sendable>(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> T) async throws
        -> [T]
    {
        guard count > 0 else { return [] }
        let width = max(1, min(jobs, count))
        let results = await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var results = [Result<T, any Error>?](repeating: nil, count: count)
            var next = 0
            func add() {
                let i = next
                next += 1
                group.addTask { (i, Result { try body(i) }) }
            }
            while next < width { add() }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < count { add() }
            }
            return results
        }
        return try results.map { try $0!.get() }
    }
}
