import Foundation
import Testing

@testable import Reports

@Suite struct AtomicFileTests {
    @Test func commitRenamesAndLeavesNoTemporary() throws {
        let dir = TemporaryDirectory()
        let file = try AtomicFile(destinationPath: dir.file("out.txt"))
        try file.write("hello, ")
        try file.write(Array("world\n".utf8))
        // Before the commit only a hidden temporary file exists, in the same folder.
        #expect(dir.entries().count == 1)
        #expect(dir.entries().first?.hasPrefix(".out.txt.tmp-") == true)
        #expect(FileIO.parentDirectory(of: file.temporaryPath) == dir.path)
        try file.commit()
        #expect(file.state == .committed)
        #expect(dir.entries() == ["out.txt"])
        #expect(dir.text("out.txt") == "hello, world\n")
    }

    @Test func abandonLeavesNothing() throws {
        let dir = TemporaryDirectory()
        let file = try AtomicFile(destinationPath: dir.file("out.txt"))
        try file.write("partial")
        file.abandon()
        #expect(file.state == .abandoned)
        #expect(dir.entries() == [])
    }

    @Test func droppingWithoutCommitLeavesNothing() throws {
        let dir = TemporaryDirectory()
        do {
            let file = try AtomicFile(destinationPath: dir.file("out.txt"))
            try file.write("partial")
        }
        #expect(dir.entries() == [])
    }

    @Test func abandonKeepsThePreviousFile() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("old\n", to: dir.file("out.txt"))
        let file = try AtomicFile(destinationPath: dir.file("out.txt"))
        try file.write("new but unfinished")
        file.abandon()
        #expect(dir.entries() == ["out.txt"])
        #expect(dir.text("out.txt") == "old\n")
    }

    @Test func commitReplacesAnExistingFile() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("old old old\n", to: dir.file("out.txt"))
        try AtomicFile.write("new\n", to: dir.file("out.txt"))
        #expect(dir.entries() == ["out.txt"])
        #expect(dir.text("out.txt") == "new\n")
    }

    @Test func twoWritersOfOneDestinationGetDistinctTemporaries() throws {
        let dir = TemporaryDirectory()
        let a = try AtomicFile(destinationPath: dir.file("x"))
        let b = try AtomicFile(destinationPath: dir.file("x"))
        #expect(a.temporaryPath != b.temporaryPath)
        a.abandon()
        b.abandon()
        #expect(dir.entries() == [])
    }

    @Test func createsMissingFolders() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("x", to: dir.file("a/b/c.txt"))
        #expect(dir.entries("a/b") == ["c.txt"])
    }

    @Test func failureNamesThePath() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("I am a file", to: dir.file("plain"))
        // A folder below a regular file cannot exist.
        #expect {
            try AtomicFile.write("x", to: dir.file("plain/sub/out.txt"))
        } throws: { error in
            guard let e = error as? FileError else { return false }
            return e.errorNumber != 0 && e.description.contains("plain")
        }
        #expect(dir.entries() == ["plain"])
    }

    @Test func fileCreatedWithUsualPermissions() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("x", to: dir.file("p"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("p"))
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        // 0666 less the umask: readable by the owner and writable by the owner, never executable.
        #expect(mode & 0o600 == 0o600)
        #expect(mode & 0o111 == 0)
    }
}
