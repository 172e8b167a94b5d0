public import Governance
import Foundation
import Semantic
import Warehouse

/// Runs guard-approved SQL on PostgreSQL, where the database checks the contract a second
/// time on its own: every query runs in a read-only transaction as the caller's contract role
/// (`readout_<role>`: column grants, row-level security, no write privilege), under a
/// statement timeout the server enforces and a row cap (``PostgresSession/readOnlyQuery``).
///
/// PostgreSQL refusing something the guard approved (SQLSTATE 42501) is reported as
/// `authorizer_denied`, exactly as SQLite's authorizer is: it means the guard has a bug.
public final class PostgresQueryExecutor: ApprovedQueryRunner {
    public let url: PostgresURL
    public let configuration: QueryExecutor.Configuration
    let session: PostgresSession

    public init(url: PostgresURL, configuration: QueryExecutor.Configuration = QueryExecutor.Configuration()) throws {
        self.url = url
        self.configuration = configuration
        do {
            session = try PostgresSession(url: url)
        } catch {
            throw ExecutionError(code: .unavailable, message: "Cannot reach the PostgreSQL warehouse at \(url): \(Self.message(error))")
        }
    }

    public func another() throws -> any ApprovedQueryRunner {
        try PostgresQueryExecutor(url: url, configuration: configuration)
    }

    public func run(_ sql: String, role: String) throws(ExecutionError) -> QueryResult {
        let clock = ContinuousClock()
        let start = clock.now
        let milliseconds = Int(configuration.timeout.inMilliseconds)
        do {
            let result: (columns: [String], rows: [Row], truncated: Bool)
            do {
                result = try session.readOnlyQuery(sql, role: role, timeoutMilliseconds: max(1, milliseconds), maxRows: configuration.maxRows)
            } catch let error as WarehouseError where error.sqlState == "40P01" || error.sqlState == "40001" {
                // The server chose this read-only transaction to break a deadlock (or a serialisation
                // conflict) with a writer, such as `contract apply` re-granting tables; it was rolled
                // back having changed nothing, so it runs once more.
                result = try session.readOnlyQuery(sql, role: role, timeoutMilliseconds: max(1, milliseconds), maxRows: configuration.maxRows)
            }
            return QueryResult(columns: result.columns, declaredTypes: Array(repeating: "", count: result.columns.count),
                               rows: result.rows.map(\.values), truncated: result.truncated, duration: clock.now - start)
        } catch let error as WarehouseError {
            switch error.sqlState {
            case "57014":
                throw ExecutionError(code: .timeout, message: "The query ran longer than the \(configuration.timeout) limit and PostgreSQL cancelled it; narrow it (filter by experiment, aggregate) and try again.")
            case "42501":
                throw ExecutionError(code: .authorizerDenied, message: "PostgreSQL refused the query for the \(role) role (\(error.message)) although the guard approved it; it was not run. This is a guard bug: please report it with the query.")
            case nil:
                throw ExecutionError(code: .unavailable, message: "The PostgreSQL warehouse is unavailable: \(error.message)")
            default:
                throw ExecutionError(code: .database, message: error.message)
            }
        } catch {
            throw ExecutionError(code: .database, message: Self.message(error))
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? WarehouseError)?.message ?? "\(error)"
    }
}
