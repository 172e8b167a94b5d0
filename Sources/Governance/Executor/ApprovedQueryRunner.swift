/// What runs guard-approved SQL on a warehouse, as the second, independent line of defence:
/// SQLite's ``QueryExecutor`` (read-only file, authorizer) or PostgreSQL's executor (read-only
/// transaction as the contract's database role, row-level security, column grants).
///
/// One runner is used from one thread at a time; ``another()`` opens one more for a pool.
public protocol ApprovedQueryRunner: AnyObject {
    var configuration: QueryExecutor.Configuration { get }
    /// Runs one approved statement for `role`.
    func run(_ sql: String, role: String) throws(ExecutionError) -> QueryResult
    /// A new runner on the same warehouse with the same limits (its own connection).
    func another() throws -> any ApprovedQueryRunner
}

extension QueryExecutor: ApprovedQueryRunner {
    public func another() throws -> any ApprovedQueryRunner {
        try QueryExecutor(path: path, contract: contract, configuration: configuration)
    }
}
