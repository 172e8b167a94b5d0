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
}

extension Connection: WritableWarehouseSession {
    public var location: String { path }
}

extension WarehouseSession {
    public func rows(_ sql: String) throws -> [Row] { try rows(sql, []) }
    public func scalar(_ sql: String) throws -> DatabaseValue { try scalar(sql, []) }
    public func execute(_ sql: String) throws { try execute(sql, []) }
}
