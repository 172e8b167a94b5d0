public import SQLParser
/// The backend seam: what engine-independent code needs from a warehouse database.
/// SQLite's ``Connection`` is the first engine; a second (PostgreSQL) implements the
/// same protocols, and code written against them — the analysis input, the experiment
/// registry, the allowed-assets table, the checks — runs on either.
///
/// SQL handed to a session is the engine's own dialect; engine-specific work (bulk
/// loading, the read-only executor's second check) stays with each engine.
public protocol WarehouseSession: AnyObject {
    /// Where the data lives, for messages: a file path, or a URL without credentials.
    var location: String { get }
    /// The SQL this session's engine speaks.
    var dialect: SQLDialect { get }
    /// Every row of a query, with `?` parameters bound in order.
    func rows(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Row]
    /// The first column of the first row (NULL when there is none).
    func scalar(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> DatabaseValue
    /// Runs one statement that returns no rows.
    func execute(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws
    func tableExists(_ name: String) throws -> Bool
    func columnNames(of table: String) throws -> [String]
}

/// A session that can change data: everything in `body` commits together or not at all.
public protocol WritableWarehouseSession: WarehouseSession {
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Runs every statement of a script (a migration) in order.
    func executeScript(_ script: String) throws
    /// Appends rows (values in the table's column order) to a table, in bulk.
    func insertRows(into table: String, columnCount: Int, _ rows: [[DatabaseValue]]) throws
}

extension Connection: WritableWarehouseSession {
    public var location: String { path }
    public var dialect: SQLDialect { .sqlite }

    public func insertRows(into table: String, columnCount: Int, _ rows: [[DatabaseValue]]) throws {
        guard !rows.isEmpty else { return }
        let insert = try prepare("INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: columnCount).joined(separator: ", ")))")
        for row in rows {
            try insert.bind(row)
            try insert.run()
        }
    }
}

extension WarehouseSession {
    public func rows(_ sql: String) throws -> [Row] { try rows(sql, []) }
    public func scalar(_ sql: String) throws -> DatabaseValue { try scalar(sql, []) }
    public func execute(_ sql: String) throws { try execute(sql, []) }
}
