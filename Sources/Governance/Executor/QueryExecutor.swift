public import Semantic
import Foundation
import Warehouse
import SQLParser

/// Runs guard-approved SQL on a sandboxed, read-only connection: the second,
/// independent line of defence.
///
/// - The file is opened `SQLITE_OPEN_READONLY` and `PRAGMA query_only` is set.
/// - SQLite's authorizer allows only SELECT, reads of the role's allowed
///   columns, the allowlisted functions and recursive CTEs; anything else
///   fails the prepare, which is reported as `authorizer_denied` (it means
///   the guard approved something it should not have).
/// - A progress handler enforces the time limit; a row cap and lowered
///   `sqlite3_limit`s bound the work and the memory.
/// - Double-quoted strings are off, so `"x"` is always a name.
public final class QueryExecutor {
    public struct Configuration: Sendable {
        public var timeout: Duration
        public var maxRows: Int

        public init(timeout: Duration = .seconds(2), maxRows: Int = 1_000) {
            self.timeout = timeout
            self.maxRows = maxRows
        }
    }

    let connection: Connection
    let contract: SemanticContract
    public let configuration: Configuration
    /// The warehouse file.
    public let path: String
    /// Every table and view in the file (ASCII-lowercased), read before the authorizer is installed.
    private let physicalTables: Set<String>
    private var role = ""
    private var deadline = ContinuousClock.now
    private var denied: [AuthorizerRequest] = []

    public init(path: String, contract: SemanticContract, configuration: Configuration = Configuration()) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExecutionError(code: .unavailable, message: "No warehouse at \(path). Create one with `readout demo` or point --db / READOUT_DB at an existing file.")
        }
        connection = try Connection(path: path, mode: .readOnly)
        self.path = path
        self.contract = contract
        self.configuration = configuration
        try connection.execute("PRAGMA query_only = 1")
        physicalTables = Set(try connection.rows("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").compactMap { $0[0].string.map(Name.fold) })
        connection.disableDoubleQuotedStrings()
        connection.setLimit(.attached, 0)
        connection.setLimit(.length, 1_000_000)
        connection.setLimit(.sqlLength, 100_000)
        connection.setLimit(.column, 500)
        connection.setLimit(.expressionDepth, 200)
        connection.setLimit(.compoundSelect, 64)
        connection.setLimit(.functionArguments, 64)
        connection.setLimit(.likePatternLength, 1_000)
        connection.setLimit(.variableNumber, 100)
        connection.setLimit(.triggerDepth, 0)
        // json_each and json_tree are eponymous virtual tables: their first use on a
        // connection registers them in the schema, which the authorizer would see as a
        // write to sqlite_master. Use them once before the authorizer is installed.
        _ = try connection.rows("SELECT 1 FROM json_each('[]'), json_tree('[]')")
        let authorizer = ContractAuthorizer(contract: contract, physicalTables: physicalTables)
        connection.setAuthorizer { [unowned self] request in
            let decision = authorizer.decide(request, role: self.role)
            if decision == .deny { self.denied.append(request) }
            return decision
        }
        connection.setProgressHandler(every: 1_000) { [unowned self] in
            ContinuousClock.now > self.deadline
        }
    }

    /// Runs one approved statement for `role`.
    public func run(_ sql: String, role: String) throws(ExecutionError) -> QueryResult {
        self.role = role
        denied = []
        let clock = ContinuousClock()
        let start = clock.now
        deadline = start + configuration.timeout
        let statement: PreparedStatement
        do {
            statement = try connection.prepare(sql)
        } catch {
            if !denied.isEmpty {
                let what = denied.map(\.description).joined(separator: ", ")
                throw ExecutionError(code: .authorizerDenied, message: "SQLite's authorizer refused \(what) for the \(role) role although the guard approved the query; it was not run. This is a guard bug: please report it with the query.")
            }
            throw ExecutionError(code: .sqlite, message: Self.message(error))
        }
        var rows: [[DatabaseValue]] = []
        var truncated = false
        let width = statement.columnCount
        do {
            while try statement.step() {
                if rows.count == configuration.maxRows {
                    truncated = true
                    break
                }
                rows.append((0..<width).map { statement.value(at: $0) })
            }
        } catch {
            if ContinuousClock.now > deadline {
                throw ExecutionError(code: .timeout, message: "The query ran longer than the \(configuration.timeout) limit and was stopped; narrow it (filter by experiment, aggregate) and try again.")
            }
            throw ExecutionError(code: .sqlite, message: Self.message(error))
        }
        return QueryResult(
            columns: (0..<width).map { statement.columnName(at: $0) },
            declaredTypes: (0..<width).map { statement.declaredType(at: $0) ?? "" },
            rows: rows,
            truncated: truncated,
            duration: clock.now - start
        )
    }

    private static func message(_ error: any Error) -> String {
        (error as? WarehouseError)?.message ?? "\(error)"
    }
}
