import Reports
import TangramSim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error for simulations that take more than a second.
///
/// It draws only when standard error is a terminal (`isatty(2)`), `TERM` is not `dumb` and
/// `--quiet` is off; it stays silent for the first second (short runs print nothing), then
/// redraws at most ten times a second. Colour is used unless `NO_COLOR` is set. Lines are
/// written with `write(2)` and erased by ``finish()``, so piped output and the final table stay
/// clean.
///
/// ```swift
/// let progress = ProgressReporter(quiet: quiet, totalSessions: 300, policyCount: policies.count)
/// for (i, p) in policies.enumerated() {
///     progress.startPolicy(p.name, index: i)
///     _ = try sim.run(&source, onStep: { progress.observe(step: $0) }) { progress.observe($0) }
/// }
/// progress.finish()
/// ```
final class ProgressReporter {
    /// Seconds of silence before the first draw.
    static let initialDelaySeconds = 1.0
    /// Smallest gap between redraws, seconds.
    static let redrawIntervalSeconds = 0.1

    private let enabled: Bool
    private let renderer: ProgressBar
    private let totalSessions: Int?
    private let policyCount: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false
    private var phase = 0
    private var calls = 0

    private var policy = ""
    private var policyIndex = 0
    private var requests = 0
    private var sessionsStarted = 0
    private var simulatedSeconds = 0.0

    /// Creates a reporter.
    ///
    /// - Parameters:
    ///   - quiet: `--quiet`: never draw.
    ///   - totalSessions: Sessions per policy when known (presets), for a percentage; `nil`
    ///     (traces) shows a spinner and counters instead.
    ///   - policyCount: Policies simulated one after the other.
    init(quiet: Bool, totalSessions: Int?, policyCount: Int) {
        let terminal = isatty(2) != 0
        let term = getenv("TERM").map { String(cString: $0) }
        enabled = !quiet && terminal && term != "dumb"
        renderer = ProgressBar(
            columns: Self.terminalColumns(),
            colour: ProgressBar.colourAllowed { name in getenv(name).map { String(cString: $0) } })
        self.totalSessions = totalSessions.flatMap { $0 > 0 ? $0 : nil }
        self.policyCount = max(1, policyCount)
        start = clock.now
    }

    /// Starts counting for the next policy.
    func startPolicy(_ name: String, index: Int) {
        policy = name
        policyIndex = index
        requests = 0
        sessionsStarted = 0
        simulatedSeconds = 0
    }

    /// Counts a finished request.
    func observe(_ record: RequestRecord) {
        guard enabled else { return }
        requests += 1
        sessionsStarted = max(sessionsStarted, record.sessionID + 1)
        simulatedSeconds = max(simulatedSeconds, record.finishSeconds)
        tick()
    }

    /// Notes the simulated time of a step sample.
    func observe(step: StepSample) {
        guard enabled else { return }
        simulatedSeconds = max(simulatedSeconds, step.timeSeconds)
        tick()
    }

    /// Erases the progress line, if one was drawn.
    func finish() {
        if drawn { StandardError.write(ProgressBar.clearLine) }
        drawn = false
    }

    /// Overall fraction done: finished policies plus the share of this policy's sessions that
    /// have had a request finish (session ids count up in arrival order).
    private var fraction: Double? {
        guard let totalSessions else { return nil }
        let within = min(1, Double(sessionsStarted) / Double(totalSessions))
        return (Double(policyIndex) + within) / Double(policyCount)
    }

    private func tick() {
        calls += 1
        // Reading the clock is cheap, but not free: look at most every 64 events.
        guard calls & 63 == 0 else { return }
        let now = clock.now
        guard now - start >= .seconds(Self.initialDelaySeconds) else { return }
        if let lastDraw, now - lastDraw < .seconds(Self.redrawIntervalSeconds) { return }
        lastDraw = now
        phase += 1
        let policyText = policyCount > 1 ? "policy \(policyIndex + 1)/\(policyCount) · " : ""
        let detail =
            policyText + "\(requests) requests · "
            + "\(Int(simulatedSeconds.rounded(.down))) s simulated"
        StandardError.write(renderer.line(label: policy, fraction: fraction, detail: detail, phase: phase))
        drawn = true
    }

    /// The terminal's width from `TIOCGWINSZ`, else `COLUMNS`, else 80.
    private static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 { return columns }
        return 80
    }
}
