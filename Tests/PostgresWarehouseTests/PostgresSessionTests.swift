import Foundation
import PostgresWarehouse
import ReadoutTesting
import Testing
import Warehouse

/// The warehouse seam on a real PostgreSQL server (the test process's own, see ``PostgresServer``).
@Suite("PostgreSQL session")
struct PostgresSessionTests {
    static func session() throws -> PostgresSession {
        try PostgresSession(url: try PostgresURL(parsing: try PostgresServer.shared().newDatabase("session")))
    }

    @Test("Values come back as SQLite's do: integers, reals, text, NULL, booleans as 0/1, integral numerics as integers")
    func values() throws {
        let session = try Self.session()
        let row = try #require(try session.rows("SELECT 42::int4 AS a, 7::int8 AS b, 0.25::float8 AS c, 'x'::text AS d, NULL::text AS e, true AS f, 12::numeric AS g, 1.5::numeric AS h").first)
        #expect(row.columns == ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(row.values == [.integer(42), .integer(7), .real(0.25), .text("x"), .null, .integer(1), .integer(12), .real(1.5)])
    }

    @Test("SQLite-style ? parameters bind in order, typed; a ? inside a string literal stays text")
    func parameters() throws {
        let session = try Self.session()
        try session.execute("CREATE TABLE t (id BIGINT, name TEXT, share DOUBLE PRECISION)")
        try session.execute("INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)", [1, "a?b", 0.5, 2, "it's", DatabaseValue.null])
        let rows = try session.rows("SELECT id, name, share, '?' AS mark FROM t WHERE id >= ? ORDER BY id", [1])
        #expect(rows.map(\.values) == [[.integer(1), .text("a?b"), .real(0.5), .text("?")], [.integer(2), .text("it's"), .null, .text("?")]])
        #expect(try session.scalar("SELECT count(*) FROM t WHERE name = ?1 OR id = ?2", ["it's", 1]) == .integer(2))
    }

    @Test("A transaction that throws leaves nothing; a failing savepoint undoes only its own work")
    func transactions() throws {
        let session = try Self.session()
        try session.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try session.transaction {
                try session.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try session.scalar("SELECT count(*) FROM t") == .integer(0))
        try session.transaction {
            try session.execute("INSERT INTO t VALUES (1)")
            _ = try? session.transaction { try session.execute("INSERT INTO t VALUES (1)") }  // duplicate key: this savepoint only
            try session.execute("INSERT INTO t VALUES (2)")
        }
        #expect(try session.rows("SELECT id FROM t ORDER BY id").map(\.values) == [[.integer(1)], [.integer(2)]])
    }

    @Test("Schema questions: tables, views and their columns in order")
    func schema() throws {
        let session = try Self.session()
        try session.executeScript("CREATE TABLE a (x BIGINT, y TEXT); CREATE VIEW v AS SELECT y FROM a;")
        #expect(try session.tableExists("a"))
        #expect(try session.tableExists("v"))
        #expect(try !session.tableExists("missing"))
        #expect(try session.columnNames(of: "a") == ["x", "y"])
    }

    @Test("Bulk inserts past one statement's parameter limit")
    func bulkInsert() throws {
        let session = try Self.session()
        try session.execute("CREATE TABLE t (a BIGINT, b TEXT, c DOUBLE PRECISION)")
        let rows = (0..<2_500).map { [DatabaseValue.integer(Int64($0)), .text("r\($0)"), .real(Double($0) / 4)] }
        try session.insertRows(into: "t", columnCount: 3, rows)
        #expect(try session.scalar("SELECT count(*) FROM t") == .integer(2_500))
        #expect(try session.scalar("SELECT sum(c) FROM t") == .real((0..<2_500).reduce(0.0) { $0 + Double($1) / 4 }))
    }

    @Test("A server error names PostgreSQL's message, its SQLSTATE and the statement")
    func serverError() throws {
        let session = try Self.session()
        #expect {
            _ = try session.rows("SELECT nope FROM missing_table")
        } throws: { error in
            guard let error = error as? WarehouseError else { return false }
            return error.code == .postgres && error.sqlState == "42P01" && error.message.contains("missing_table") && error.message.contains("in: SELECT nope")
        }
    }

    @Test("An unreachable server is a clear error with the URL and without its password")
    func unreachable() throws {
        let port = try PostgresServer.shared().port
        // The test server's port plus one: nothing listens there (a server on it would refuse the password anyway).
        let url = try PostgresURL(parsing: "postgresql://readout:hunter2@127.0.0.1:\(port == 65535 ? port - 1 : port + 1)/nowhere", environment: [:])
        #expect {
            _ = try PostgresSession(url: url, connectTimeoutSeconds: 5)
        } throws: { error in
            let message = "\(error)"
            return message.contains("Cannot reach PostgreSQL at postgresql://readout@127.0.0.1:") && !message.contains("hunter2")
        }
    }
}
