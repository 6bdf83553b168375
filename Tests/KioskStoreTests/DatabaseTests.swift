import Foundation
import Testing

@testable import KioskStore

@Suite struct DatabaseTests {
    @Test func fileDatabaseRunsInWALWithFullSyncAndForeignKeys() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/wal.sqlite3")
            #expect(try db.journalMode == "wal")
            #expect(try db.synchronousMode == .full)
            #expect(try db.foreignKeysEnabled)
            #expect(try db.integrityCheck() == [])
            // The WAL file appears once something is written.
            try db.execute("CREATE TABLE t (x)")
            #expect(FileManager.default.fileExists(atPath: dir + "/wal.sqlite3-wal"))
        }
    }

    @Test func thePageCacheIsBoundedByTheConfiguredSize() throws {
        try withTemporaryDirectory { dir in
            // About 3 MB of rows, more than SQLite's default cache (2,000 KiB) would hold.
            let setup = try Database(path: dir + "/cache.sqlite3")
            try setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            try setup.transaction {
                for i in 0..<3000 { try setup.execute("INSERT INTO t (v) VALUES (?)", [String(repeating: "x", count: 1000) + "\(i)"]) }
            }
            try setup.close()
            func cacheAfterReadingEverything(_ kib: Int?) throws -> (bound: Int, used: Int) {
                var configuration = Database.Configuration()
                if let kib { configuration.cacheSizeKiB = kib }
                let db = try Database(path: dir + "/cache.sqlite3", configuration: configuration)
                let total = try db.scalar("SELECT sum(length(v)) FROM t", as: Int.self) ?? 0
                #expect(total > 3_000_000)
                return (try db.cacheSizeKiB, db.cacheUsedBytes)
            }
            let standard = try cacheAfterReadingEverything(nil)
            #expect(standard.bound == 512)
            // 512 KiB of pages plus their headers (a few hundred bytes a page), no more.
            #expect(standard.used > 256 * 1024 && standard.used <= 640 * 1024, "\(standard.used) bytes cached")
            let small = try cacheAfterReadingEverything(64)
            #expect(small.bound == 64)
            #expect(small.used <= 96 * 1024, "\(small.used) bytes cached")
            let large = try cacheAfterReadingEverything(2000)
            #expect(large.used > 1_500_000, "\(large.used) bytes cached: the bound is what limits the smaller caches")
        }
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try Database(path: Database.inMemoryPath)
        try db.executeScript(
            """
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            """)
        #expect {
            try db.execute("INSERT INTO child (parent_id) VALUES (?)", [42])
        } throws: { error in
            (error as? DatabaseError)?.code == .constraintForeignKey
        }
    }

    @Test func constraintErrorCarriesCodeSQLArgumentsAndPath() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/c.sqlite3"
            let db = try Database(path: path)
            try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)")
            try db.execute("INSERT INTO t VALUES (?, ?)", ["a", 1])
            let sql = "INSERT INTO t VALUES (?, ?)"
            do {
                try db.execute(sql, ["a", 2])
                Issue.record("a duplicate primary key was accepted")
            } catch let error as DatabaseError {
                #expect(error.code == .constraintPrimaryKey)
                #expect(error.resultCode == .constraint)
                #expect(ResultCode.constraint ~= error.code)
                #expect(!(ResultCode.constraintUnique ~= error.code))
                #expect(error.sql == sql)
                #expect(error.arguments == ["a", 2])
                #expect(error.path == path)
                #expect(error.message.contains("t.id"))
                let text = error.description
                #expect(text.contains("SQLITE_CONSTRAINT_PRIMARYKEY"))
                #expect(text.contains(sql))
                #expect(text.contains("'a', 2"))
            }
        }
    }

    @Test func bindsByIndexAndNameAndReadsTypedColumns() throws {
        let db = try Database(path: Database.inMemoryPath)
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n, flag INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (:i, :r, :s, :b, :n, :flag)")
        try insert.bind(Int64.max, named: "i")
        try insert.bind(2.5, named: ":r")
        try insert.bind("Écran « Lumière »", named: "s")
        try insert.bind(Data([0, 1, 2, 255]), at: 4)
        try insert.bind(nil as String?, at: 5)
        try insert.bind(true, named: "flag")
        #expect(try insert.step() == false)
        let empty = try db.prepare("INSERT INTO t (b) VALUES (?)")
        try empty.execute([Data()])

        let select = try db.prepare("SELECT i, r, s, b, n, flag FROM t ORDER BY rowid")
        #expect(try select.step())
        #expect(select.int64(at: 0) == Int64.max)
        #expect(select.double(at: 1) == 2.5)
        #expect(select.string(at: 2) == "Écran « Lumière »")
        #expect(select.data(at: 3) == Data([0, 1, 2, 255]))
        #expect(select.isNull(at: 4))
        #expect(try select.get(5, as: Bool.self))
        #expect(select.columnNames == ["i", "r", "s", "b", "n", "flag"])
        #expect(try select.step())
        // An empty blob is a blob, not NULL.
        #expect(select.value(at: 3) == .blob(Data()))
        #expect(try select.step() == false)

        let row = try #require(try db.queryFirst("SELECT s AS Title, n FROM t"))
        #expect(try row.get("title", as: String.self) == "Écran « Lumière »")
        #expect(try row.get("n", as: String?.self) == nil)
        #expect(throws: DatabaseError.self) { try row.get("n", as: String.self) }
        #expect(throws: DatabaseError.self) { try row.get("missing", as: String.self) }
    }

    @Test func bindingErrorsNameTheProblem() throws {
        let db = try Database(path: Database.inMemoryPath)
        let statement = try db.prepare("SELECT ?, :x")
        #expect { try statement.bind(1, at: 3) } throws: { ($0 as? DatabaseError)?.code == .range }
        #expect { try statement.bind(1, named: "nope") } throws: { ($0 as? DatabaseError)?.message.contains(":nope") == true }
        #expect { try statement.bind([1]) } throws: { ($0 as? DatabaseError)?.code == .range }
    }

    @Test func prepareRefusesSeveralStatementsButScriptsRunThem() throws {
        let db = try Database(path: Database.inMemoryPath)
        #expect { try db.prepare("CREATE TABLE a (x); CREATE TABLE b (x)") } throws: {
            ($0 as? DatabaseError)?.code == .misuse
        }
        try db.executeScript("CREATE TABLE a (x); -- a comment\nCREATE TABLE b (x);\n")
        #expect(try db.tableExists("a") && db.tableExists("b"))
        #expect(try db.prepare("SELECT 1; -- trailing comment").sql.hasPrefix("SELECT 1"))
    }

    @Test func syntaxErrorsAreDatabaseErrorsWithTheSQL() throws {
        let db = try Database(path: Database.inMemoryPath)
        #expect { try db.execute("SELEC 1") } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.code == .error && error.sql == "SELEC 1" && error.message.contains("syntax error")
        }
    }

    @Test func aFailedTransactionLeavesNothingBehind() throws {
        let db = try Database(path: Database.inMemoryPath)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try db.execute("INSERT INTO t VALUES (1)")
        #expect(throws: DatabaseError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                try db.execute("INSERT INTO t VALUES (1)")  // duplicate: throws
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT group_concat(id) FROM t", as: String.self) == "1")
    }

    @Test func nestedTransactionsAreSavepoints() throws {
        struct Stop: Error {}
        let db = try Database(path: Database.inMemoryPath)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Stop()
            }
            #expect(db.isInTransaction)
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT group_concat(id) FROM t", as: String.self) == "1,3")
    }

    @Test func userVersionIsTransactional() throws {
        struct Stop: Error {}
        let db = try Database(path: Database.inMemoryPath)
        try db.setUserVersion(3)
        #expect(try db.userVersion() == 3)
        try? db.transaction {
            try db.setUserVersion(4)
            throw Stop()
        }
        #expect(try db.userVersion() == 3)
    }

    @Test func openingSomethingElseFailsWithAClearError() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/not-a-database.sqlite3"
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            #expect { try Database(path: path) } throws: { error in
                guard let error = error as? DatabaseError else { return false }
                return error.code == .notadb && error.path == path && error.description.contains("damaged")
            }
            #expect { try Database(path: dir + "/missing/dir/x.sqlite3") } throws: {
                ($0 as? DatabaseError)?.code.primary == .cantopen
            }
        }
    }

    @Test func integrityCheckReportsDamage() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/damaged.sqlite3"
            do {
                let db = try Database(path: path)
                try db.execute("PRAGMA journal_mode = DELETE")
                try db.executeScript(
                    """
                    CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
                    CREATE INDEX t_v ON t(v);
                    """)
                try db.transaction {
                    for i in 0..<2000 { try db.execute("INSERT INTO t (v) VALUES (?)", ["value \(i)"]) }
                }
                // Wipe the index's root page behind SQLite's back (a torn write on an SD card).
                let page = try #require(try db.scalar("SELECT rootpage FROM sqlite_master WHERE name = 't_v'", as: Int.self))
                let pageSize = try #require(try db.scalar("PRAGMA page_size", as: Int.self))
                try db.close()
                let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
                try handle.seek(toOffset: UInt64((page - 1) * pageSize))
                handle.write(Data(repeating: 0, count: pageSize))
                try handle.close()
            }
            var configuration = Database.Configuration()
            configuration.requiresWAL = false
            let db = try Database(path: path, configuration: configuration)
            #expect(try !db.integrityCheck().isEmpty)
        }
    }

    @Test func resultCodesHaveNamesAndMatchTheirPrimary() {
        #expect(ResultCode.busyTimeout.primary == .busy)
        #expect(ResultCode.busyTimeout.name == "SQLITE_BUSY_TIMEOUT")
        #expect(ResultCode.full.name == "SQLITE_FULL")
        #expect(ResultCode(rawValue: 10 | (99 << 8)).name == "SQLITE_IOERR+99")
        #expect(ResultCode.corrupt.explanation.contains("malformed"))
        let error = DatabaseError(code: .full, sql: "INSERT INTO audit DEFAULT VALUES", path: "/var/lib/kiosk/kiosk.sqlite3")
        #expect(error.description.contains("disk is full"))
        #expect(ResultCode.full ~= (error as any Error))
    }
}
