import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signal number of the first SIGINT or SIGTERM since ``InterruptHandler/install()``; 0 when none.
private let receivedSignal = Atomic<Int32>(0)
/// Number of valid entries in ``protectedPaths``.
private let protectedPathCount = Atomic<Int>(0)
/// Temporary files removed when a second signal quits the process at once (C strings, never
/// freed while they may be read from the handler).
nonisolated(unsafe) private let protectedPaths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
    capacity: InterruptHandler.maximumProtectedPaths)
/// The signal dispositions before ``InterruptHandler/install()``.
nonisolated(unsafe) private var previousActions: [Int32: sigaction] = [:]

/// Graceful SIGINT (Ctrl-C) and SIGTERM for long runs.
///
/// The first signal only sets a flag and prints one line to standard error; the simulation polls
/// ``isInterrupted`` (or calls ``checkInterrupted()``, which throws ``InterruptedError``) at a
/// safe point, stops, and saves what it has with
/// `RunOutput.finish(summaries:status: .interrupted)`, which says what it saved. A second signal
/// quits at once: the handler removes the temporary files registered with
/// ``protect(temporaryPaths:)`` and exits with status 128 + signal (130 for SIGINT). Either way no
/// output file is ever half-written: outputs are renamed into place only when complete, and a
/// database being appended to is rolled back by SQLite's journal.
///
/// The handler itself only uses async-signal-safe calls (`write`, `unlink`, `_exit`) and
/// lock-free atomics.
///
/// ```swift
/// InterruptHandler.install()
/// InterruptHandler.protect(temporaryPaths: output.temporaryPaths)
/// let summary = try simulation.run(&source) { record in
///     try InterruptHandler.checkInterrupted()
///     try output.record(policy: name, record)
/// }
/// ```
public enum InterruptHandler {
    /// Most temporary files ``protect(temporaryPaths:)`` keeps.
    public static let maximumProtectedPaths = 64

    /// Installs the handler for SIGINT and SIGTERM and clears the flag. Calling it again
    /// re-arms it.
    public static func install() {
        // Touch the globals here: their lazy initialisation is not async-signal-safe.
        receivedSignal.store(0, ordering: .sequentiallyConsistent)
        _ = protectedPathCount.load(ordering: .acquiring)
        _ = protectedPaths
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Darwin)
                action.__sigaction_u.__sa_handler = handleSignal
            #else
                action.__sigaction_handler.sa_handler = handleSignal
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var previous = sigaction()
            if sigaction(signalNumber, &action, &previous) == 0, previousActions[signalNumber] == nil {
                previousActions[signalNumber] = previous
            }
        }
    }

    /// Restores the dispositions that were in place before ``install()`` and forgets the
    /// protected files; the flag keeps its value.
    public static func uninstall() {
        for (signalNumber, previous) in previousActions {
            var action = previous
            sigaction(signalNumber, &action, nil)
        }
        previousActions = [:]
        protectedPathCount.store(0, ordering: .releasing)
    }

    /// Whether SIGINT or SIGTERM arrived since ``install()``.
    public static var isInterrupted: Bool { receivedSignal.load(ordering: .relaxed) != 0 }

    /// The signal that arrived (`SIGINT` = 2, `SIGTERM` = 15), or `nil`.
    public static var signal: Int32? {
        let value = receivedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Throws ``InterruptedError`` once a signal has arrived; cheap enough to call per event.
    ///
    /// - Throws: ``InterruptedError``.
    public static func checkInterrupted() throws(InterruptedError) {
        let value = receivedSignal.load(ordering: .relaxed)
        if value != 0 { throw InterruptedError(signal: value) }
    }

    /// Sets the temporary files a second signal removes before quitting, replacing the previous
    /// list (pass `[]` once they are renamed or removed).
    ///
    /// - Parameter temporaryPaths: At most ``maximumProtectedPaths`` paths; more are ignored.
    public static func protect(temporaryPaths: [String]) {
        protectedPathCount.store(0, ordering: .sequentiallyConsistent)
        let paths = temporaryPaths.prefix(maximumProtectedPaths)
        for (index, path) in paths.enumerated() {
            // The old string may still be read by a handler that loaded the old count; leak it.
            protectedPaths[index] = strdup(path)
        }
        protectedPathCount.store(paths.count, ordering: .sequentiallyConsistent)
    }

    /// Clears the flag (for tests and for a process that runs several studies).
    public static func reset() {
        receivedSignal.store(0, ordering: .sequentiallyConsistent)
    }
}

/// The C signal handler: first signal sets the flag; a second one cleans up and exits.
private func handleSignal(_ signalNumber: Int32) {
    let (exchanged, _) = receivedSignal.compareExchange(
        expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
    if exchanged {
        writeNotice(
            "\ntangram-sim: interrupted; stopping at the next safe point and saving what is done (interrupt again to quit at once without saving)\n"
        )
        return
    }
    let count = protectedPathCount.load(ordering: .sequentiallyConsistent)
    for index in 0..<count {
        if let path = protectedPaths[index] { unlink(path) }
    }
    writeNotice("\ntangram-sim: interrupted again; quit without saving (temporary files removed)\n")
    _exit(128 + signalNumber)
}

/// Writes a literal to standard error without allocating.
private func writeNotice(_ text: StaticString) {
    _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
}
