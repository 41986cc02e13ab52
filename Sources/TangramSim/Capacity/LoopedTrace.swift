import Workloads

/// A trace's sessions repeated end to end without limit, session starts scaled by `scale`
/// (think times unchanged), ids renumbered `0, 1, 2, ...`.
///
/// Copy `c` starts `c x n / r0 x scale` seconds after copy 0, `n` sessions at the trace's rate
/// `r0`, so the repeated trace keeps the trace's mean rate.
struct LoopedTrace: SessionSource {
    let sessions: [SessionSpec]
    let scale: Double
    private let period: Double
    private var index = 0
    private var copy = 0
    private var nextID = 0

    /// - Precondition: `sessions` sorted, the first at 0, the last after 0.
    init(sessions: [SessionSpec], scale: Double) {
        self.sessions = sessions
        self.scale = scale
        let last = sessions[sessions.count - 1].arrivalSeconds
        // One mean gap after the last session, so that n sessions take n gaps.
        period = last * Double(sessions.count) / Double(sessions.count - 1)
    }

    mutating func nextSession() -> SessionSpec? {
        var s = sessions[index]
        s.arrivalSeconds = (s.arrivalSeconds + Double(copy) * period) * scale
        s.id = nextID
        nextID += 1
        index += 1
        if index == sessions.count {
            index = 0
            copy += 1
        }
        return s
    }
}
