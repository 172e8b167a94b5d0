import Semantic
import Foundation
import Testing
@testable import Warehouse

@Suite("Connection and Statement")
struct ConnectionTests {
    @Test("binds and reads back every storage class exactly")
    func roundTrip() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (v)")
        let values: [DatabaseValue] = [
            .null, .integer(Int64.max), .integer(-7), .real(0.1), .real(-1e-300),
            .text(""), .text("naïve café 🧪"), .text("nul\u{0}inside"), .blob(Data([0, 1, 255])), .blob(Data()),
        ]
        for value in values {
            try connection.execute("INSERT INTO t (v) VALUES (?)", [value])
        }
        let read = try connection.rows("SELECT v FROM t ORDER BY rowid").map { $0[0] }
        #expect(read == values)
    }

    @Test("typed reads return nil for NULL and convert integers to doubles")
    func typedReads() throws {
        let connection = try Connection(path: ":memory:")
        let statement = try connection.prepare("SELECT 42, NULL, 'x', 2.5")
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 42)
        #expect(statement.double(at: 0) == 42)
        #expect(statement.int64(at: 1) == nil)
        #expect(statement.string(at: 1) == nil)
        #expect(statement.string(at: 2) == "x")
        #expect(statement.double(at: 3) == 2.5)
        #expect(statement.columnNames == ["42", "NULL", "'x'", "2.5"])
        #expect(try statement.step() == false)
    }

    @Test("Swift types bind as the matching SQLite values")
    func swiftTypes() throws {
        let connection = try Connection(path: ":memory:")
        let row = try connection.rows("SELECT ?, ?, ?, ?, ?", [7, true, 1.5, "s", Optional<String>.none])[0]
        #expect(row.values == [.integer(7), .integer(1), .real(1.5), .text("s"), .null])
    }

    @Test("a syntax error carries SQLite's code, message and the SQL")
    func syntaxError() throws {
        let connection = try Connection(path: ":memory:")
        let error = #expect(throws: WarehouseError.self) { try connection.execute("SELEC 1") }
        #expect(error?.code == .sqlite)
        #expect(error?.sqliteCode == 1)
        #expect(error?.sql == "SELEC 1")
        #expect(error?.message == "SQLite error 1 (SQL logic error): near \"SELEC\": syntax error — in: SELEC 1")
    }

    @Test("a constraint violation reports the extended result code")
    func constraintError() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL)")
        try connection.execute("INSERT INTO t VALUES (1, 'a')")
        let duplicate = #expect(throws: WarehouseError.self) { try connection.execute("INSERT INTO t VALUES (1, 'b')") }
        #expect(duplicate?.sqliteCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        let missing = #expect(throws: WarehouseError.self) { try connection.execute("INSERT INTO t VALUES (2, NULL)") }
        #expect(missing?.sqliteCode == 1299)  // SQLITE_CONSTRAINT_NOTNULL
        #expect(missing?.message.contains("NOT NULL constraint failed: t.name") == true)
    }

    @Test("a read-only connection refuses writes with a clear error")
    func readOnlyRefusal() throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("ro.db").path
        do {
            let writer = try Connection(path: path)
            try writer.execute("CREATE TABLE t (x)")
            try writer.execute("INSERT INTO t VALUES (1)")
        }
        let reader = try Connection(path: path, mode: .readOnly)
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(1))
        let error = #expect(throws: WarehouseError.self) { try reader.execute("INSERT INTO t VALUES (2)") }
        #expect(error?.code == .readOnly)
        #expect(error?.sqliteCode == 8)
        #expect(error?.message.hasPrefix("The database \(path) is open read-only") == true)
        let drop = #expect(throws: WarehouseError.self) { try reader.execute("DROP TABLE t") }
        #expect(drop?.code == .readOnly)
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test("opening a missing file read-only fails with the path in the message")
    func missingFile() throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("absent.db").path
        let error = #expect(throws: WarehouseError.self) { _ = try Connection(path: path, mode: .readOnly) }
        #expect(error?.message.hasPrefix("Cannot open database at \(path)") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("isReadOnly reflects sqlite3_stmt_readonly")
    func statementReadOnly() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x)")
        #expect(try connection.prepare("SELECT * FROM t").isReadOnly)
        #expect(try !connection.prepare("DELETE FROM t").isReadOnly)
    }

    @Test("prepare refuses a second statement and a wrong argument count")
    func prepareMisuse() throws {
        let connection = try Connection(path: ":memory:")
        let stacked = #expect(throws: WarehouseError.self) { _ = try connection.prepare("SELECT 1; SELECT 2") }
        #expect(stacked?.code == .invalidArgument)
        #expect(try connection.prepare("SELECT 1;  ").columnCount == 1)
        let count = #expect(throws: WarehouseError.self) { try connection.execute("SELECT ?, ?", [1]) }
        #expect(count?.message == "The statement has 2 parameter(s) but 1 value(s) were bound.")
    }

    @Test("a throwing transaction rolls back everything it wrote")
    func transactionRollback() throws {
        struct Boom: Error {}
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x)")
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try connection.scalar("SELECT count(*) FROM t") == .integer(0))
        #expect(connection.isAutocommit)
    }

    @Test("a nested transaction rolls back only its own work")
    func nestedRollback() throws {
        struct Boom: Error {}
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x)")
        try connection.transaction {
            try connection.execute("INSERT INTO t VALUES (1)")
            try? connection.transaction {
                try connection.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try TestSupport.values(connection, "SELECT x FROM t") == [[.integer(1)]])
    }

    @Test("executeScript runs every statement and names the one that fails")
    func script() throws {
        let connection = try Connection(path: ":memory:")
        try connection.executeScript("CREATE TABLE a (x); -- comment\nINSERT INTO a VALUES (1);\n/* trailing */")
        #expect(try connection.scalar("SELECT x FROM a") == .integer(1))
        let error = #expect(throws: WarehouseError.self) { try connection.executeScript("INSERT INTO a VALUES (2); INSERT INTO nope VALUES (3);") }
        #expect(error?.sql?.contains("INSERT INTO nope") == true)
        #expect(error?.message.contains("no such table: nope") == true)
    }

    @Test("a file opened read-write is switched to WAL")
    func walMode() throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("wal.db").path
        let connection = try Connection(path: path)
        #expect(try connection.scalar("PRAGMA journal_mode") == .text("wal"))
    }

    @Test("the Database actor serialises reads and writes from concurrent tasks")
    func actorAccess() async throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("actor.db").path
        let database = try Database(path: path)
        try await database.write { try $0.execute("CREATE TABLE t (x INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for value in 0..<50 {
                group.addTask { try await database.write { try $0.execute("INSERT INTO t VALUES (?)", [value]) } }
            }
            try await group.waitForAll()
        }
        let sum = try await database.read { try $0.scalar("SELECT sum(x) FROM t").int64 }
        #expect(sum == 1225)
    }
}

@Suite("Timestamp")
struct TimestampTests {
    @Test("formats and parses SQLite's canonical form", arguments: [
        (Int64(0), "1970-01-01 00:00:00"),
        (Int64(951_782_400), "2000-02-29 00:00:00"),
        (Int64(1_790_812_799), "2026-09-30 23:59:59"),
        (Int64(-1), "1969-12-31 23:59:59"),
    ])
    func roundTrip(seconds: Int64, text: String) {
        #expect(Timestamp.format(seconds) == text)
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test("rejects malformed text", arguments: ["", "2026-13-01 00:00:00", "2026-10-01 24:00:00", "2026/10/01", "2026-10-01 1:00:00"])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
