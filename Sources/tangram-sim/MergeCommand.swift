import ArgumentParser
import Reports
import TangramSim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tangram-sim merge OUT.db IN...`: combines results databases (the shards of a sweep) into one.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine results databases (for example the shards of a sweep) into one.",
        discussion: """
            Copies every run of each input, in the order given, into OUT with new run ids. OUT appears \
            only when every input has been copied. Sweep runs are checked: a point present twice is an \
            error, missing points are reported.
            """)

    @Argument(help: "The database to create.")
    var output: String

    @Argument(help: "Databases to combine.")
    var inputs: [String]

    @Flag(help: "Replace OUT if it exists.")
    var force = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input database") }
    }

    func run() throws {
        if access(output, F_OK) == 0, !force {
            throw ValidationError("\(output) exists; use --force to replace it")
        }
        let file: AtomicFile
        do { file = try AtomicFile(destinationPath: output, createDirectories: true) } catch { try fail("\(error)") }
        InterruptHandler.install()
        InterruptHandler.protect(temporaryPaths: [file.temporaryPath, file.temporaryPath + "-journal"])
        var runs = 0
        var coverage: [String] = []
        do {
            for input in inputs {
                try InterruptHandler.checkInterrupted()
                runs += try RunDatabase.append(from: input, to: file.temporaryPath).count
            }
            coverage = try Self.checkSweeps(file.temporaryPath)
            try file.commit()
        } catch is InterruptedError {
            file.abandon()
            unlink(file.temporaryPath + "-journal")
            StandardError.write("interrupted: nothing written to \(output)\n")
            throw ExitCode(130)
        } catch {
            file.abandon()
            unlink(file.temporaryPath + "-journal")
            try fail("\(error)")
        }
        InterruptHandler.uninstall()
        if !quiet {
            print("merged \(runs) run\(runs == 1 ? "" : "s") from \(inputs.count) database\(inputs.count == 1 ? "" : "s") into \(output)")
            for line in coverage { print(line) }
        }
    }

    /// Checks the sweep points in a merged database: duplicates throw, the rest is summarised per
    /// sweep (`chat-h200: 24 of 24 points`, or the missing ones).
    static func checkSweeps(_ path: String) throws -> [String] {
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        defer { try? db.close() }
        let rows = try db.query("""
            SELECT json_extract(configuration_json, '$.sweep'), json_extract(configuration_json, '$.point'),
                   json_extract(configuration_json, '$.points')
            FROM runs WHERE json_valid(configuration_json) AND json_extract(configuration_json, '$.point') IS NOT NULL
            ORDER BY run_id
            """)
        var seen: [String: Set<Int64>] = [:]
        var totals: [String: Int64] = [:]
        var order: [String] = []
        for row in rows {
            guard let sweep = row[0].textValue, let point = row[1].integerValue else { continue }
            if seen[sweep] == nil { order.append(sweep); seen[sweep] = [] }
            guard seen[sweep]!.insert(point).inserted else {
                throw ValidationError("sweep \(sweep): point #\(point) appears twice (a shard merged twice?); nothing written")
            }
            if let total = row[2].integerValue { totals[sweep] = total }
        }
        return order.map { sweep in
            let have = seen[sweep]!
            guard let total = totals[sweep] else { return "\(sweep): \(have.count) points" }
            let missing = (0..<total).filter { !have.contains($0) }
            if missing.isEmpty { return "\(sweep): all \(total) points" }
            let shown = missing.prefix(20).map { "#\($0)" }.joined(separator: ", ")
            return "\(sweep): \(have.count) of \(total) points; missing \(shown)\(missing.count > 20 ? ", ..." : "")"
        }
    }

    private func fail(_ message: String) throws -> Never {
        StandardError.write("error: \(message)\n")
        throw ExitCode(2)
    }
}
