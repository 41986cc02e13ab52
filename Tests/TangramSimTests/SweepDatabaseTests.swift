// Needs `Reports` among TangramSimTests' dependencies in Package.swift; compiled out otherwise.
#if canImport(Reports) && canImport(CSQLite)
    import Foundation
    import Reports
    import Testing
    import Workloads

    @testable import TangramSim

    /// The shard databases of a sweep, merged, hold the same summary rows as the database of the
    /// unsharded sweep. Runs are written the way `tangram-sim sweep` writes them (one run per
    /// point through `RunOutput`), and merged the way `tangram-sim merge` merges (one
    /// `RunDatabase.append` per shard).
    @Suite struct SweepDatabaseTests {
        static func write(_ results: [SweepResult], grid: SweepGrid, to path: String) throws {
            for r in results {
                let p = r.point
                let metadata = RunMetadata(
                    name: p.runName(sweep: grid.runLabel), model: p.model.name, gpu: p.gpu.name,
                    workload: p.workloadDescription, seed: Int(truncatingIfNeeded: p.seed), toolVersion: "test",
                    configurationJSON: grid.configurationJSON(for: p))
                let output = try RunOutput(directory: nil, run: metadata, database: path)
                try output.finish(summaries: [r.summary])
            }
        }

        /// Every summary row with its run's name and configuration, ordered by run name.
        static func rows(_ path: String) throws -> [[SQLiteValue]] {
            let db = try RunDatabase.openForReading(path)
            defer { try? db.close() }
            return try db.query("""
                SELECT r.name, r.model, r.gpu, r.workload, r.seed, r.configuration_json, s.*
                FROM summary s JOIN runs r USING (run_id) ORDER BY r.name
                """).map { row in
                // Drop the summary's own run_id column (ids differ between files by design).
                zip(row.columnNames, row.values).filter { $0.0 != "run_id" }.map(\.1)
            }
        }

        @Test func mergedShardsHoldTheUnshardedSweepsRows() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweepdb-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var grid = try SweepGrid(spec: try SweepGridSpec.parse(text: """
                name: db
                session_rates: [5, 10]
                sessions: [15]
                history_s: 30
                policies: [vllm, tangram]
                seeds: [1, 2]
                """))
            grid.workloads = [try .configurations([CapacityFixtures.config()], label: "fixture")]
            #expect(grid.pointCount == 8)

            let whole = folder + "/whole.sqlite"
            try Self.write(try await grid.run(points: Array(0..<8), jobs: 2), grid: grid, to: whole)
            let merged = folder + "/merged.sqlite"
            for i in 0..<3 {
                let shard = try ShardSpec(index: i, count: 3)
                let path = folder + "/shard\(i).sqlite"
                try Self.write(try await grid.run(points: shard.points(outOf: 8), jobs: 1), grid: grid, to: path)
                try RunDatabase.append(from: path, to: merged)
            }
            let expected = try Self.rows(whole)
            #expect(expected.count == 8)
            #expect(try Self.rows(merged) == expected)
        }
    }
#endif
