import Testing

@testable import Reports

@Suite struct SQLiteDatabaseTests {
    @Test func writeReopenAndQuery() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("t.sqlite")
        let rows: [[SQLiteValue]] = [
            [.integer(1), .real(0.25), .text("it's \"quoted\", ünïcødé"), .null, .blob([0, 1, 255])],
            [.integer(Int64.max), .real(-1e-300), .text(""), .integer(7), .blob([])],
        ]
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n, b BLOB)")
            try db.transaction {
                let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
                #expect(insert.parameterCount == 5)
                for row in rows { try insert.run(row) }
            }
            #expect(db.lastInsertRowID == 2)
            try db.close()
            #expect(db.isClosed)
        }
        let reopened = try SQLiteDatabase(path: path, mode: .readOnly)
        let result = try reopened.query("SELECT i, r, s, n, b FROM t ORDER BY rowid")
        #expect(result.map(\.values) == rows)
        #expect(result.first?.columnNames == ["i", "r", "s", "n", "b"])
        #expect(result.first?["s"]?.textValue == "it's \"quoted\", ünïcødé")
        let filtered = try reopened.query("SELECT count(*) AS c FROM t WHERE s = ?", [.text("")])
        #expect(filtered.first?["c"] == .integer(1))
    }

    @Test func rollbackOnErrorInsideTransaction() throws {
        struct Stop: Error {}
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Stop.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                throw Stop()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.query("SELECT count(*) FROM t").first?[0] == .integer(0))
    }

    @Test func syntaxErrorCarriesCodeMessageAndSQL() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        #expect {
            try db.execute("CREATE TABLEE nope (x)")
        } throws: { error in
            guard let e = error as? SQLiteError else { return false }
            // SQLITE_ERROR = 1 (sqlite.org/rescode.html).
            return e.code == 1 && e.sql == "CREATE TABLEE nope (x)" && e.message.contains("syntax")
                && e.description.contains("CREATE TABLEE")
        }
    }

    @Test func constraintViolationHasExtendedCode() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (?)", [.text("a")])
        #expect {
            try db.run("INSERT INTO t VALUES (?)", [.text("a")])
        } throws: { error in
            // SQLITE_CONSTRAINT = 19; SQLITE_CONSTRAINT_PRIMARYKEY = 19 | (6 << 8) = 1555.
            guard let e = error as? SQLiteError else { return false }
            return e.code == 19 && e.extendedCode == 1555
        }
    }

    @Test func misuseIsReported() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (a, b)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
        // Wrong number of values: SQLITE_RANGE = 25.
        #expect(throws: SQLiteError.self) { try insert.run([.integer(1)]) }
        do throws(SQLiteError) {
            try insert.run([.integer(1)])
        } catch {
            #expect(error.code == 25)
        }
        // Two statements in prepare: SQLITE_MISUSE = 21.
        do throws(SQLiteError) {
            _ = try db.prepare("SELECT 1; SELECT 2")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == 21)
        }
        // Closing with a live statement: SQLITE_BUSY = 5; after finalize it closes.
        do throws(SQLiteError) {
            try db.close()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == 5)
        }
        insert.finalize()
        try db.close()
        do throws(SQLiteError) {
            try db.execute("SELECT 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == 21)
        }
    }

    @Test func missingFileReadOnlyCannotOpen() {
        let dir = TemporaryDirectory()
        do throws(SQLiteError) {
            _ = try SQLiteDatabase(path: dir.file("absent.sqlite"), mode: .readOnly)
            Issue.record("expected an error")
        } catch {
            // SQLITE_CANTOPEN = 14.
            #expect(error.code == 14)
            #expect(error.path.hasSuffix("absent.sqlite"))
        }
        #expect(dir.entries() == [])
    }

    /// sqlite.org/datatype3.html: NaN is stored as NULL.
    @Test func nanIsStoredAsNull() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (r REAL)")
        try db.run("INSERT INTO t VALUES (?)", [.real(.nan)])
        #expect(try db.query("SELECT r FROM t").first?[0] == .null)
    }
}
