public import Warehouse

/// Rows an approved query returned, with their shape.
public struct QueryResult: Sendable {
    public var columns: [String]
    /// Declared types of the result columns (empty when SQLite knows none, e.g. for expressions).
    public var declaredTypes: [String]
    public var rows: [[DatabaseValue]]
    /// True when the row cap stopped the query before its last row.
    public var truncated: Bool
    public var duration: Duration

    public init(columns: [String], declaredTypes: [String], rows: [[DatabaseValue]], truncated: Bool, duration: Duration) {
        self.columns = columns
        self.declaredTypes = declaredTypes
        self.rows = rows
        self.truncated = truncated
        self.duration = duration
    }
}

/// Why an approved query did not produce rows.
public struct ExecutionError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// SQLite's authorizer (or PostgreSQL's privileges) refused something the guard approved.
        case authorizerDenied = "authorizer_denied"
        /// The time limit ran out.
        case timeout
        /// SQLite rejected or failed the statement.
        case sqlite = "sqlite_error"
        /// The database server (PostgreSQL) rejected or failed the statement.
        case database = "database_error"
        /// No warehouse file to run against.
        case unavailable
    }
    public var code: Code
    public var message: String
    public var description: String { message }

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
