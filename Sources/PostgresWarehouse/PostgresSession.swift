public import SQLParser
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Semantic
public import Warehouse

/// One PostgreSQL connection behind the warehouse seam: the same synchronous calls as SQLite's
/// ``Connection`` (rows, scalar, execute, transactions, scripts, bulk inserts), so engine-independent
/// code — migrations, the model build, the analysis input, checks — runs unchanged on it.
///
/// Threading: like ``Connection``, a session is used by one thread at a time and is not `Sendable`.
/// Each call waits for postgres-nio's future on the calling thread (never on an event loop), so it
/// must not be called from a NIO event loop.
///
/// SQL is PostgreSQL's dialect; SQLite-style `?` / `?NNN` parameters are rewritten to `$n`, and
/// values are bound by type (integers as `int8`, reals as `float8`, text, bytes). Results come back
/// as the same ``DatabaseValue``s SQLite gives: integer types as `.integer`, `float4/8` and `numeric`
/// as `.real` (an integral `numeric` as `.integer`), booleans as `0`/`1`, text types as `.text`.
public final class PostgresSession {
    public let url: PostgresURL
    /// The server connection; replaced by a new one when the server closed it between
    /// transactions (a restart, an idle timeout, `pg_terminate_backend`).
    private(set) var connection: PostgresConnection
    let logger: Logger
    let configuration: PostgresConnection.Configuration
    /// Open transactions: 0 outside, 1 in a transaction, more inside savepoints.
    var depth = 0

    /// Connects, with a clear error (the URL without its password) when the server cannot be reached.
    public init(url: PostgresURL, connectTimeoutSeconds: Int = 10, applicationName: String = "readout") throws {
        self.url = url
        var logger = Logger(label: "readout.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: try url.tls()
        )
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        self.configuration = configuration
        connection = try Self.connect(configuration, url: url, logger: logger)
    }

    static func connect(_ configuration: PostgresConnection.Configuration, url: PostgresURL, logger: Logger) throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw Self.warehouseError(error, sql: nil, location: url.description, connecting: true)
        }
    }

    /// Outside a transaction, a connection the server has closed is replaced before the next
    /// statement; inside one the statement fails (the transaction is lost with the connection).
    func reconnectIfClosed() throws {
        guard depth == 0, connection.isClosed else { return }
        connection = try Self.connect(configuration, url: url, logger: logger)
    }

    deinit {
        try? connection.close().wait()
    }

    /// Closes the connection now (it is also closed when the session is released).
    public func close() {
        try? connection.close().wait()
    }

    // MARK: Queries

    func run(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Row] {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.databaseValue {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .real(let value): binds.append(value)
            case .text(let value): binds.append(value)
            case .blob(let value): binds.append(ByteBuffer(bytes: value))
            }
        }
        let query = PostgresQuery(unsafeSQL: Placeholders.postgres(sql), binds: binds)
        let result: PostgresQueryResult
        do {
            try reconnectIfClosed()
            result = try outcome(of: connection.query(query, logger: logger))
        } catch where depth == 0 && Self.isRetryable(sql) && Self.connectionLost(error) {
            // The server closed the connection under a BEGIN or a lone SELECT outside a
            // transaction: neither changed anything, so running it again on a new connection is safe.
            do {
                connection = try Self.connect(configuration, url: url, logger: logger)
                result = try outcome(of: connection.query(query, logger: logger))
            } catch {
                throw Self.warehouseError(error, sql: sql, location: url.description)
            }
        } catch {
            throw Self.warehouseError(error, sql: sql, location: url.description)
        }
        return try Self.rows(of: result)
    }

    static func rows(of result: PostgresQueryResult) throws -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(result.rows.count)
        var columns: [String]?
        for row in result.rows {
            var values: [DatabaseValue] = []
            values.reserveCapacity(row.count)
            for cell in row { values.append(try Self.value(of: cell)) }
            let names = columns ?? row.map(\.columnName)
            columns = names
            rows.append(Row(columns: names, values: values))
        }
        return rows
    }

    /// Sends statements (without parameters) one after another without waiting in between —
    /// postgres-nio queues them on the connection, and each has its own sync, so the server
    /// answers each in order — then waits for the answers: the calling thread wakes once instead of
    /// once per statement. The first failure is thrown (after it, statements of an open transaction
    /// fail as "current transaction is aborted").
    func pipelined(_ statements: [String]) throws -> [[Row]] {
        try reconnectIfClosed()
        let futures = statements.map { connection.query(PostgresQuery(unsafeSQL: $0), logger: logger) }
        var results: [[Row]] = []
        var failure: (error: any Error, sql: String)?
        for (future, sql) in zip(futures, statements) {
            do {
                results.append(try Self.rows(of: try outcome(of: future)))
            } catch {
                if failure == nil { failure = (error, sql) }
                if error is ConnectionLost { break }
                results.append([])
            }
        }
        if let failure { throw Self.warehouseError(failure.error, sql: failure.sql, location: url.description) }
        return results
    }

    /// The connection closed under a statement that was never answered.
    struct ConnectionLost: Error {}

    static func connectionLost(_ error: any Error) -> Bool {
        if error is ConnectionLost { return true }
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code)
            || error.serverInfo?[.sqlState].map { $0.hasPrefix("57P") || $0.hasPrefix("08") } == true
    }

    /// Waits for a statement's result. A statement written to a connection that had just closed
    /// is never answered (postgres-nio drops the write), so while waiting the connection is
    /// looked at every second: closed with the statement still unanswered is ``ConnectionLost``,
    /// never a wait forever.
    private func outcome<T: Sendable>(of future: EventLoopFuture<T>) throws -> T {
        let box = OutcomeBox<T>()
        future.whenComplete { result in
            box.result = result
            box.done.signal()
        }
        while box.done.wait(timeout: .now() + 1) == .timedOut {
            if connection.isClosed, box.done.wait(timeout: .now() + 1) == .timedOut { throw ConnectionLost() }
            if box.result != nil { break }
        }
        guard let result = box.result else { throw ConnectionLost() }
        return try result.get()
    }

    /// `BEGIN …`, or a `SELECT` (which outside a transaction cannot have written anything).
    static func isRetryable(_ sql: String) -> Bool {
        let head = sql.drop(while: \.isWhitespace).prefix(7).uppercased()
        return head.hasPrefix("BEGIN") || head.hasPrefix("SELECT ") || head.hasPrefix("SELECT\n")
    }

    /// Runs every statement of a script (a migration) in order; stops at the first that fails.
    public func executeScript(_ script: String) throws {
        for statement in ScriptStatements.split(script) {
            _ = try run(statement, [])
        }
    }

    // MARK: Values

    static func value(of cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return .integer(try cell.decode(Int64.self))
        case .float4, .float8:
            return .real(try cell.decode(Double.self))
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            let text = "\(decimal)"
            if !text.contains("."), let integer = Int64(text) { return .integer(integer) }
            return .real(Double(text) ?? NSDecimalNumber(decimal: decimal).doubleValue)
        case .bool:
            return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return .blob(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
        case .timestamp, .timestamptz:
            return .text(Timestamp.postgres(try cell.decode(Date.self)))
        case .date:
            return .text(String(Timestamp.postgres(try cell.decode(Date.self)).prefix(10)))
        case .text, .varchar, .name, .bpchar, .unknown, .uuid, .json, .jsonb:
            return .text(try cell.decode(String.self))
        default:
            throw WarehouseError(
                code: .invalidArgument,
                message: "Column \(cell.columnName) has PostgreSQL type \(cell.dataType), which Readout does not read. Cast it in the query (e.g. \(cell.columnName)::text)."
            )
        }
    }

    // MARK: Errors

    static func warehouseError(_ error: any Error, sql: String?, location: String, connecting: Bool = false) -> WarehouseError {
        if let error = error as? WarehouseError { return error }
        if error is ConnectionLost {
            return WarehouseError(code: .io, message: "The connection to PostgreSQL at \(location) closed before the statement was answered (a restart, a failover or an administrator); try again.", sql: sql)
        }
        guard let psql = error as? PSQLError else {
            return WarehouseError(code: .postgres, message: "PostgreSQL at \(location): \(String(describing: error))", sql: sql)
        }
        if let info = psql.serverInfo, let message = info[.message] {
            let state = info[.sqlState] ?? ""
            var text = "PostgreSQL error \(state): \(message)"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += " Hint: \(hint)" }
            if let sql {
                let statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
                let shown = statement.count > 160 ? String(statement.prefix(160)) + "…" : statement
                text += " — in: \(shown.replacingOccurrences(of: "\n", with: " "))"
            }
            if connecting { text = "Cannot connect to PostgreSQL at \(location): \(text). Check the URL's user and database." }
            // 25006: read_only_sql_transaction; 42501: insufficient_privilege.
            let code: WarehouseError.Code = connecting ? .io : state == "25006" ? .readOnly : .postgres
            return WarehouseError(code: code, message: text, sqlState: state, sql: sql)
        }
        if psql.code == .sslUnsupported {
            return WarehouseError(
                code: .io,
                message: "PostgreSQL at \(location) does not offer TLS, and sslmode \(location.contains("verify") ? "asks to verify it" : "requires it"). Turn ssl on in the server, or use sslmode=prefer (or disable) on a trusted network."
            )
        }
        if connecting || psql.code == .connectionError || psql.code == .serverClosedConnection {
            let cause = psql.underlying.map { String(describing: $0) } ?? psql.code.description
            return WarehouseError(
                code: .io,
                message: "Cannot reach PostgreSQL at \(location): \(cause). Check that the server is running and accepts connections there, and the user, password (PGPASSWORD) and database."
            )
        }
        return WarehouseError(code: .postgres, message: "PostgreSQL at \(location): \(psql.code.description)", sql: sql)
    }
}

/// A statement's result, handed from the event loop to the waiting thread (the semaphore orders the two).
private final class OutcomeBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
}

@available(*, unavailable, message: "A PostgresSession is used by one thread at a time, like a SQLite Connection.")
extension PostgresSession: Sendable {}

extension PostgresSession: WritableWarehouseSession {
    public var location: String { url.description }
    public var dialect: SQLDialect { .postgresql }

    public func rows(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [Row] {
        try run(sql, arguments)
    }

    public func scalar(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> DatabaseValue {
        try run(sql, arguments).first?.values.first ?? .null
    }

    public func execute(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws {
        _ = try run(sql, arguments)
    }

    /// Tables and views of the schemas on the search path (`public` unless configured).
    public func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT count(*) FROM pg_catalog.pg_class WHERE oid = to_regclass(?)", [SQL.identifier(name)]).int64 ?? 0 > 0
    }

    public func columnNames(of table: String) throws -> [String] {
        try rows(
            "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [SQL.identifier(table)]
        ).compactMap { $0[0].string }
    }

    /// Runs `body` in a transaction (a savepoint when one is already open): committed when it
    /// returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let outermost = depth == 0
        try execute(outermost ? "BEGIN" : "SAVEPOINT readout_nested_\(depth)")
        depth += 1
        do {
            let result = try body()
            depth -= 1
            try execute(outermost ? "COMMIT" : "RELEASE SAVEPOINT readout_nested_\(depth)")
            return result
        } catch {
            depth -= 1
            _ = try? execute(outermost ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT readout_nested_\(depth)")
            throw error
        }
    }

    /// Multi-row INSERTs of up to 1,000 rows each (PostgreSQL takes at most 65,535 parameters).
    public func insertRows(into table: String, columnCount: Int, _ rows: [[DatabaseValue]]) throws {
        guard columnCount > 0 else { return }
        let perStatement = max(1, min(1000, 65_535 / columnCount))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            var placeholder = 0
            let tuples = chunk.map { _ in
                "(" + (0..<columnCount).map { _ in placeholder += 1; return "$\(placeholder)" }.joined(separator: ", ") + ")"
            }
            try execute("INSERT INTO \(table) VALUES \(tuples.joined(separator: ", "))", chunk.flatMap { $0 })
            start += chunk.count
        }
    }
}

extension Timestamp {
    /// A timestamp PostgreSQL returned, in Readout's canonical UTC text form.
    static func postgres(_ date: Date) -> String {
        format(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
