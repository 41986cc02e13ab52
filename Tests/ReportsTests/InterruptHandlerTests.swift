import Foundation
import Testing

@testable import Reports

#if canImport(Glibc)
    import Glibc
#endif

/// The signal tests change process-wide state, so they run one at a time.
@Suite(.serialized) struct InterruptHandlerTests {
    /// Unblocks SIGINT in the calling thread (test runners may block it in worker threads), so
    /// that `raise` runs the handler before it returns.
    static func unblockInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    @Test func firstSignalOnlySetsTheFlag() throws {
        InterruptHandler.install()
        defer {
            InterruptHandler.uninstall()
            InterruptHandler.reset()
        }
        #expect(!InterruptHandler.isInterrupted)
        try InterruptHandler.checkInterrupted()
        Self.unblockInterrupt()
        raise(SIGINT)
        #expect(InterruptHandler.isInterrupted)
        #expect(InterruptHandler.signal == SIGINT)
        #expect(throws: InterruptedError(signal: SIGINT)) { try InterruptHandler.checkInterrupted() }
        #expect("\(InterruptedError(signal: SIGINT))" == "interrupted by SIGINT")
        InterruptHandler.reset()
        #expect(!InterruptHandler.isInterrupted)
    }

    /// A second signal removes the protected temporary files and exits with 128 + SIGINT.
    @Test func secondSignalRemovesTemporaryFilesAndQuits() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ReportsTests-interrupt-\(getpid())"
        ).path
        try "partial".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(processExitsWith: .exitCode(130)) {
            // The exit test runs in a child process; the parent's pid names the file.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "ReportsTests-interrupt-\(getppid())"
            ).path
            InterruptHandler.install()
            InterruptHandler.protect(temporaryPaths: [file])
            InterruptHandlerTests.unblockInterrupt()
            raise(SIGINT)
            raise(SIGINT)
            fatalError("still running after the second SIGINT")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
