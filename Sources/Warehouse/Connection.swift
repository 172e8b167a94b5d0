import SQLParser
internal import CSQLite
import Semantic
import Foundation

/// One SQLite connection: the only place Readout holds a `sqlite3 *`.
///
/// Threading model (GRDB's rule, see `docs/architecture.md`):
/// - Rule: a `Connection` is used by one thread at a time and never shared.
/// - Why: SQLite connections opened with `SQLITE_OPEN_NOMUTEX` do no locking of
///   their own; two threads stepping statements on one handle corrupt its state.
/// - Practical advice: own the connection in one place. In concurrent code,
///   reach it through the ``Database`` actor (`try await database.read { … }`);
///   a command-line tool may own one directly on its main task.
/// - What if you don't: the compiler stops you. `Connection` is explicitly not
///   `Sendable`, so Swift 6 refuses to move it across isolation domains.
public final class Connection {
    /// How a connection opens its file.
    public enum OpenMode: Sendable {
        /// Read and write; creates the file if missing and switches it to WAL.
        case readWrite
        /// `SQLITE_OPEN_READONLY`: SQLite itself refuses every write.
        case readOnly
    }

    let handle: OpaquePointer
    /// Keeps the authorizer and progress callbacks alive while SQLite holds pointers to them.
    var hooks: ConnectionHooks? {
        didSet { statementCache.removeAll() }
    }
    /// Compiled statements of parameterised SQL run through ``execute(_:_:)``, ``rows(_:_:)`` and
    /// ``scalar(_:_:)``, by their SQL, so a statement run again (tracking's inserts, the workflow's
    /// lookups) is not compiled again. Never used while an authorizer is installed: SQLite checks a
    /// statement's access when it is compiled, so a statement compiled for one role must not run for
    /// another.
    private var statementCache: [String: PreparedStatement] = [:]
    private static let statementCacheLimit = 64
    /// The file this connection opened (`:memory:` for an in-memory database).
    public let path: String
    public let mode: OpenMode

    /// Opens (or creates) a database file.
    ///
    /// Read-write connections switch the file to WAL so readers never block
    /// the writer; every connection waits up to `busyTimeout` for a lock.
    /// - Throws: ``WarehouseError`` with SQLite's code when the file cannot be opened.
    public init(path: String, mode: OpenMode = .readWrite, busyTimeout: Duration = .seconds(5)) throws {
        _ = sqliteProcessConfiguration
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw WarehouseError(
                code: .sqlite,
                message: "Cannot open database at \(path): \(reason). Check that the path exists and is readable\(mode == .readWrite ? " and writable" : "").",
                sqliteCode: rc
            )
        }
        self.handle = db
        self.path = path
        self.mode = mode
        sqlite3_extended_result_codes(db, 1)
        let milliseconds = Int64(busyTimeout.inMilliseconds)
        sqlite3_busy_timeout(db, Int32(clamping: milliseconds))
        if mode == .readWrite && path != ":memory:" && !path.isEmpty {
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = NORMAL")
        }
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A compiled statement for `sql` with `arguments` bound: from the cache when it may be reused
    /// (parameterised SQL, no authorizer), else compiled now. Call ``PreparedStatement/reset()``
    /// when done so it holds no lock.
    private func statement(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> PreparedStatement {
        guard !arguments.isEmpty, hooks == nil else {
            let statement = try prepare(sql)
            try statement.bind(arguments)
            return statement
        }
        if let cached = statementCache[sql] {
            try cached.bind(arguments)
            return cached
        }
        let statement = try prepare(sql)
        try statement.bind(arguments)
        if statementCache.count >= Self.statementCacheLimit { statementCache.removeAll() }
        statementCache[sql] = statement
        return statement
    }

    /// The SQLite library version this process linked against, e.g. "3.40.1".
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    // MARK: Statements

    /// Compiles one SQL statement.
    ///
    /// - Throws: ``WarehouseError`` naming SQLite's message and the SQL, or
    ///   `.invalidArgument` when `sql` holds more than one statement.
    public func prepare(_ sql: String) throws -> PreparedStatement {
        var statement: OpaquePointer?
        // Whether anything but blanks and semicolons follows the first statement, read while the
        // C string is alive (the tail points into it).
        var more = false
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
            if let tail { more = String(cString: tail).contains(where: { !$0.isWhitespace && $0 != ";" }) }
            return rc
        }
        guard rc == SQLITE_OK, let statement else {
            throw error(rc, sql: sql)
        }
        if more {
            sqlite3_finalize(statement)
            throw WarehouseError(
                code: .invalidArgument,
                message: "prepare() takes exactly one SQL statement; use executeScript(_:) for several.",
                sql: sql
            )
        }
        return PreparedStatement(statement: statement, connection: self, sql: sql)
    }

    /// Runs one statement with positional arguments, discarding any rows.
    public func execute(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws {
        let statement = try statement(sql, arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs every statement in `script` in order (a migration or model file).
    ///
    /// Stops at the first failure; the error names the statement that failed.
    public func executeScript(_ script: String) throws {
        try script.withCString { start in
            var cursor: UnsafePointer<CChar>? = start
            while let current = cursor, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, current, -1, &statement, &tail)
                let text = Self.text(from: current, to: tail)
                guard rc == SQLITE_OK else { throw error(rc, sql: text) }
                cursor = tail
                guard let statement else { continue }  // whitespace or comment only
                let wrapped = PreparedStatement(statement: statement, connection: self, sql: text)
                while try wrapped.step() {}
            }
        }
    }

    /// All rows of a query, fully materialised.
    public func rows(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> [Row] {
        let statement = try statement(sql, arguments)
        defer { statement.reset() }
        return try statement.allRows()
    }

    /// The first column of the first row, or `.null` when there is no row. A statement that writes
    /// (`INSERT … RETURNING`) is run to its end.
    public func scalar(_ sql: String, _ arguments: [any DatabaseValueConvertible] = []) throws -> DatabaseValue {
        let statement = try statement(sql, arguments)
        defer { statement.reset() }
        guard try statement.step() else { return .null }
        let value = statement.value(at: 0)
        if !statement.isReadOnly { while try statement.step() {} }
        return value
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the most recent successful INSERT.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while no transaction is open.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    // MARK: Transactions

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Inside an open transaction it nests as a savepoint, so a failing inner
    /// block undoes only its own work.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let outermost = isAutocommit
        try execute(outermost ? "BEGIN IMMEDIATE" : "SAVEPOINT readout_nested")
        do {
            let result = try body()
            try execute(outermost ? "COMMIT" : "RELEASE readout_nested")
            return result
        } catch {
            if outermost {
                if !isAutocommit { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            } else {
                sqlite3_exec(handle, "ROLLBACK TO readout_nested; RELEASE readout_nested", nil, nil, nil)
            }
            throw error
        }
    }

    // MARK: Schema

    /// Whether a table or view of this name exists in the main schema.
    public func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT count(*) FROM sqlite_schema WHERE type IN ('table','view') AND name = ?", [name]).int64 ?? 0 > 0
    }

    /// The column names of a table, in declaration order.
    public func columnNames(of table: String) throws -> [String] {
        try rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [table]).compactMap { $0[0].string }
    }

    // MARK: Errors

    func error(_ rc: Int32, sql: String?) -> WarehouseError {
        let message = String(cString: sqlite3_errmsg(handle))
        let primary = rc & 0xff
        if primary == SQLITE_READONLY {
            return WarehouseError(
                code: .readOnly,
                message: "The database \(path) is open read-only, so SQLite refused a write (\(message)). Open it read-write to change it.",
                sqliteCode: rc,
                sql: sql
            )
        }
        let codeName = String(cString: sqlite3_errstr(rc))
        var text = "SQLite error \(rc) (\(codeName)): \(message)"
        if let sql {
            let statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = statement.count > 160 ? String(statement.prefix(160)) + "…" : statement
            text += " — in: \(shown.replacingOccurrences(of: "\n", with: " "))"
        }
        return WarehouseError(code: .sqlite, message: text, sqliteCode: rc, sql: sql)
    }

    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String {
        guard let end else { return String(cString: start) }
        let count = end - start
        return start.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}

@available(*, unavailable, message: "A Connection is used by one thread at a time; share it through the Database actor.")
extension Connection: Sendable {}

/// Process-wide SQLite settings, applied once before the first open.
/// Memory statistics are off: their global mutex is taken on every allocation.
private let sqliteProcessConfiguration: Void = {
    _ = readout_sqlite_disable_memstatus()
}()
