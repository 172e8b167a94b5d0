internal import CSQLite
import Foundation

/// A compiled SQL statement with typed binding and typed column reads.
///
/// Lives only as long as the work on its ``Connection``; like the connection
/// it is not `Sendable`. Parameters are 1-based in SQLite; here `bind(_:)`
/// takes them in order and `bind(_:at:)` takes SQLite's 1-based index.
public final class PreparedStatement {
    let statement: OpaquePointer
    unowned let connection: Connection
    /// The SQL this statement was compiled from.
    public let sql: String

    init(statement: OpaquePointer, connection: Connection, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// True when SQLite guarantees the statement writes nothing (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(statement) != 0 }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(statement)) }

    // MARK: Binding

    /// Resets the statement and binds `arguments` to parameters 1…n.
    ///
    /// - Throws: `.invalidArgument` when the count does not match the SQL's parameters.
    public func bind(_ arguments: [any DatabaseValueConvertible]) throws {
        guard arguments.count == parameterCount else {
            throw WarehouseError(
                code: .invalidArgument,
                message: "The statement has \(parameterCount) parameter(s) but \(arguments.count) value(s) were bound.",
                sql: sql
            )
        }
        reset()
        for (offset, argument) in arguments.enumerated() {
            try bind(argument.databaseValue, at: Int32(offset + 1))
        }
    }

    /// Binds one value at SQLite's 1-based parameter `index`.
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(statement, index)
        case .integer(let value): rc = sqlite3_bind_int64(statement, index, value)
        case .real(let value): rc = sqlite3_bind_double(statement, index, value)
        case .text(let value): rc = bindText(value, at: index)
        case .blob(let data):
            rc = data.withUnsafeBytes { bytes in
                sqlite3_bind_blob64(statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), readout_sqlite_transient())
            }
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    /// Binds an integer without boxing it (the bulk-insert fast path).
    public func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(statement, index, value)
    }

    /// Binds a double without boxing it (the bulk-insert fast path).
    public func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(statement, index, value)
    }

    /// Binds text, byte-exact (embedded NUL bytes included).
    public func bind(_ value: String, at index: Int32) {
        _ = bindText(value, at: index)
    }

    /// Binds SQL NULL.
    public func bindNull(at index: Int32) {
        sqlite3_bind_null(statement, index)
    }

    private func bindText(_ value: String, at index: Int32) -> Int32 {
        var text = value
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(statement, index, "", 0, readout_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text64(statement, index, $0, UInt64(bytes.count), readout_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
    }

    // MARK: Stepping

    /// Advances to the next row: true when a row is available, false when done.
    ///
    /// - Throws: ``WarehouseError`` with SQLite's code, message and this SQL.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc, sql: sql)
            sqlite3_reset(statement)
            throw error
        }
    }

    /// Runs an INSERT/UPDATE/DELETE already bound through the typed `bind(_:at:)` calls, then resets it.
    public func run() throws {
        defer { sqlite3_reset(statement) }
        while try step() {}
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() {
        sqlite3_reset(statement)
    }

    // MARK: Columns

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    public func columnName(at index: Int) -> String {
        sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// The declared type of a result column (`TEXT`, `INTEGER`, …), nil for expressions.
    public func declaredType(at index: Int) -> String? {
        sqlite3_column_decltype(statement, Int32(index)).map { String(cString: $0) }
    }

    public var columnNames: [String] { (0..<columnCount).map(columnName(at:)) }

    /// The current row's value in column `index`, in its SQLite storage class.
    public func value(at index: Int) -> DatabaseValue {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(string(at: index) ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: count))
        default: return .null
        }
    }

    public func int64(at index: Int) -> Int64? {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, Int32(index))
    }

    public func double(at index: Int) -> Double? {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL ? nil : sqlite3_column_double(statement, Int32(index))
    }

    public func string(at index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(statement, column) != SQLITE_NULL, let text = sqlite3_column_text(statement, column) else {
            return nil
        }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The current row as a value.
    public func row() -> Row {
        Row(columns: columnNames, values: (0..<columnCount).map(value(at:)))
    }

    /// Steps to the end, collecting every row.
    public func allRows() throws -> [Row] {
        let names = columnNames
        var rows: [Row] = []
        while try step() {
            rows.append(Row(columns: names, values: (0..<names.count).map(value(at:))))
        }
        return rows
    }
}

@available(*, unavailable, message: "A PreparedStatement belongs to its Connection's thread.")
extension PreparedStatement: Sendable {}
