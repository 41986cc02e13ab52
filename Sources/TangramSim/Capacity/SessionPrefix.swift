import Workloads

/// Sessions `skip ..< skip + count` of another source, their arrivals shifted so that the first
/// one kept arrives at the same time as the source's first (a skip starts a fresh clock at 0
/// offset from the source's start).
struct SessionPrefix<Base: SessionSource>: SessionSource {
    private var base: Base
    private let skip: Int
    private let count: Int
    private var taken = 0
    private var skipped = false
    private var shift = 0.0

    init(_ base: Base, skip: Int, count: Int) {
        self.base = base
        self.skip = skip
        self.count = count
    }

    mutating func nextSession() throws -> SessionSpec? {
        if !skipped {
            skipped = true
            if skip > 0 {
                var first: Double?
                for _ in 0..<skip {
                    guard let s = try base.nextSession() else { return nil }
                    if first == nil { first = s.arrivalSeconds }
                }
                guard var s = try base.nextSession() else { return nil }
                shift = s.arrivalSeconds - (first ?? 0)
                s.arrivalSeconds -= shift
                taken = 1
                return count > 0 ? s : nil
            }
        }
        guard taken < count, var s = try base.nextSession() else { return nil }
        taken += 1
        s.arrivalSeconds -= shift
        return s
    }
}
