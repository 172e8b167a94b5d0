import SQLParser
/// Everything that can go wrong in the warehouse: SQLite failures, bad model
/// files, bad check declarations, bad demo parameters.
///
/// Shaped like NIOFS's `FileSystemError`: a stable ``Code``, a message that
/// says what went wrong, where, and how to fix it, and the context (SQLite's
/// result code, the SQL that failed, the file). Bound values never appear in
/// `description`.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure.
    ///
    /// A struct over a private enum, so adding a code never breaks a caller's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case sqlite, postgres, readOnly, modelFile, modelGraph, checkFile, migration, invalidArgument, io
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// SQLite returned an error; ``WarehouseError/sqliteCode`` holds its extended result code.
        public static let sqlite = Code(.sqlite)
        /// PostgreSQL returned an error; ``WarehouseError/sqlState`` holds its SQLSTATE.
        public static let postgres = Code(.postgres)
        /// A write was attempted on a connection opened read-only.
        public static let readOnly = Code(.readOnly)
        /// A model file under `semantic/models/` is malformed.
        public static let modelFile = Code(.modelFile)
        /// Model dependencies are missing, undeclared or cyclic.
        public static let modelGraph = Code(.modelGraph)
        /// A data-check declaration (YAML) is malformed.
        public static let checkFile = Code(.checkFile)
        /// A migration failed or the migration history disagrees with the files.
        public static let migration = Code(.migration)
        /// A caller passed a value the warehouse cannot use.
        public static let invalidArgument = Code(.invalidArgument)
        /// A file could not be read, written or moved.
        public static let io = Code(.io)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// What went wrong, where, and how to fix it.
    public var message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?
    /// PostgreSQL's SQLSTATE (e.g. `42501`, insufficient privilege), when PostgreSQL reported the failure.
    public var sqlState: String?
    /// The SQL that failed, when there was one (never its bound values).
    public var sql: String?

    public init(code: Code, message: String, sqliteCode: Int32? = nil, sqlState: String? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
        self.sqlState = sqlState
        self.sql = sql
    }

    public var description: String { message }

    /// The message plus SQLite's code and the failing SQL, for debugging.
    public var detailedDescription: String {
        var lines = [message]
        if let sqliteCode { lines.append("sqlite code: \(sqliteCode)") }
        if let sqlState { lines.append("sqlstate: \(sqlState)") }
        if let sql { lines.append("sql: \(sql)") }
        return lines.joined(separator: "\n")
    }
}
