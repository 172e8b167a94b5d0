import Foundation
public import Semantic
public import Warehouse

/// `readout contract apply`: the semantic contract, enforced by PostgreSQL itself — the second,
/// independent check (SQLite's authorizer plays this part on a SQLite warehouse).
///
/// For every contract role `R` there is one `NOLOGIN` role `readout_R` that:
/// - may `SELECT` only the role's assets, and of each only its readable columns (column grants,
///   so a PII column or one the contract does not allow cannot be read even with `SELECT *`);
/// - sees, on an asset with a row policy, only the rows the policy's condition allows (row-level
///   security; the other roles reading that asset get a policy that allows every row);
/// - has no write privilege, no `CREATE` anywhere, no login, no superuser, no `BYPASSRLS`;
/// - cannot switch to another role from inside a query: `set_config` is revoked from `PUBLIC` in the
///   database (PostgreSQL checks `SET ROLE` against the login, which is a member of every such role).
/// Readout's login role is made a member of each, so it can `SET ROLE` into them — every governed
/// query runs as one of them (see ``PostgresSession/readOnlyQuery(_:role:timeoutMilliseconds:maxRows:)``).
///
/// Idempotent: each run revokes what the roles had and grants the contract's current view, in one
/// transaction. Grants belong to tables, so a build that recreates tables re-applies it.
public enum PostgresContract {
    public struct Summary: Sendable, Equatable {
        public var roles: [String]
        public var grants: Int
        public var policies: Int
    }

    /// The database role a contract role runs as.
    public static func databaseRole(_ role: String) -> String { "readout_" + role }

    @discardableResult
    public static func apply(_ contract: SemanticContract, on session: PostgresSession, login: String? = nil) throws -> Summary {
        // Roles are shared by every database of the server: two applies at once (two databases) can
        // collide on the same role's catalog row; the loser retries.
        var attempt = 0
        while true {
            do {
                return try applyOnce(contract, on: session, login: login)
            } catch let error as WarehouseError where attempt < 5 && (error.sqlState == "40001" || error.sqlState == "40P01" || error.message.contains("tuple concurrently updated")) {
                attempt += 1
                usleep(useconds_t(50_000 * attempt))
            }
        }
    }

    static func applyOnce(_ contract: SemanticContract, on session: PostgresSession, login: String?) throws -> Summary {
        let roles = contract.roles.values.sorted { $0.name < $1.name }
        for role in roles where !role.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) {
            throw WarehouseError(code: .invalidArgument, message: "The contract role '\(role.name)' cannot name a PostgreSQL role: use lower-case letters, digits and underscores.")
        }
        return try session.transaction {
            let currentUser = try session.scalar("SELECT current_user").string ?? "postgres"
            let member = SQL.identifier(login ?? currentUser)
            var grants = 0, policies = 0
            // The columns each table has (a contract column the table lacks is not granted; `contract lint` reports it).
            var tableColumns: [String: Set<String>] = [:]
            for row in try session.rows("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'") {
                if let table = row[0].string, let column = row[1].string { tableColumns[table, default: []].insert(column) }
            }
            for role in roles {
                let name = databaseRole(role.name)
                let quoted = SQL.identifier(name)
                let existing = try session.rows(
                    "SELECT rolcanlogin OR rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = ?", [name]
                ).first
                if existing == nil {
                    try session.execute("CREATE ROLE \(quoted) NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
                } else if existing?[0] != .integer(0) {
                    try session.execute("ALTER ROLE \(quoted) NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
                }
                try session.execute("REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM \(quoted)")
                try session.execute("REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public FROM \(quoted)")
                try session.execute("REVOKE CREATE ON SCHEMA public FROM \(quoted)")
                try session.execute("GRANT USAGE ON SCHEMA public TO \(quoted)")
                for asset in role.assets.sorted() {
                    guard let described = contract.asset(asset), let present = tableColumns[asset] else { continue }
                    let columns = described.readableColumns.map(\.name).filter(present.contains)
                    guard !columns.isEmpty else { continue }
                    try session.execute("GRANT SELECT (\(columns.map(SQL.identifier).joined(separator: ", "))) ON \(SQL.identifier(asset)) TO \(quoted)")
                    grants += 1
                }
                if try session.scalar("SELECT count(*) FROM pg_catalog.pg_auth_members WHERE roleid = to_regrole(?) AND member = to_regrole(?)", [quoted, member]).int64 == 0 {
                    try session.execute("GRANT \(quoted) TO \(member)")
                }
            }
            // SET ROLE is checked against the session's login, which is a member of every readout_ role: without
            // this, a query running as one role could switch to another with set_config('role', …).
            do {
                try session.execute("SAVEPOINT readout_set_config")
                try session.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC")
                try session.execute("RELEASE SAVEPOINT readout_set_config")
            } catch let error as WarehouseError where error.sqlState == "42501" {
                throw WarehouseError(
                    code: .postgres,
                    message: "readout contract apply must revoke set_config from PUBLIC in this database (a governed query could otherwise switch roles), and \(currentUser) may not. Run once as a superuser: REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC; then apply again.",
                    sqlState: error.sqlState
                )
            }
            // Row-level security on every asset some role reads through a row policy.
            let policed = Set(roles.flatMap { $0.rowPolicies.keys }).filter { tableColumns[$0] != nil }
            for table in policed.sorted() {
                let quotedTable = SQL.identifier(table)
                for existing in try session.rows("SELECT policyname FROM pg_catalog.pg_policies WHERE schemaname = 'public' AND tablename = ? AND policyname LIKE 'readout\\_%'", [table]) {
                    if let policy = existing[0].string { try session.execute("DROP POLICY \(SQL.identifier(policy)) ON \(quotedTable)") }
                }
                try session.execute("ALTER TABLE \(quotedTable) ENABLE ROW LEVEL SECURITY")
                for role in roles where role.assets.contains(table) {
                    let name = databaseRole(role.name)
                    let condition = role.rowPolicies[table] ?? "true"
                    try session.execute("CREATE POLICY \(SQL.identifier(name)) ON \(quotedTable) AS PERMISSIVE FOR SELECT TO \(SQL.identifier(name)) USING (\(condition))")
                    policies += 1
                }
            }
            return Summary(roles: roles.map { databaseRole($0.name) }, grants: grants, policies: policies)
        }
    }
}

extension PostgresSession {
    /// Runs one governed query as a contract role: in `BEGIN READ ONLY`, with `SET LOCAL ROLE`, a
    /// statement timeout (the server cancels the query), a pinned search path (temporary tables
    /// last, so none can shadow a warehouse table) and a row cap (a cursor fetches at most
    /// `maxRows + 1` rows). Always rolled back: nothing it did outlives it.
    ///
    /// Returns the result's column names (also when there are no rows), the rows (at most
    /// `maxRows`) and whether more were left. Strings are read as written (`standard_conforming_strings`
    /// is pinned on, so a backslash in a literal is never an escape).
    public func readOnlyQuery(_ sql: String, role: String, timeoutMilliseconds: Int, maxRows: Int) throws -> (columns: [String], rows: [Row], truncated: Bool) {
        try reconnectIfClosed()
        depth += 1  // in a transaction: a lost connection fails the query, never reconnects mid-way
        defer {
            _ = try? execute("ROLLBACK")
            depth -= 1
        }
        // Sent together (one wait, not seven). Fails closed: after a failed statement the server
        // refuses the rest of the transaction, and outside one (BEGIN failed) the cursor is refused.
        let rows = try pipelined([
            "BEGIN READ ONLY",
            "SET LOCAL ROLE \(SQL.identifier(PostgresContract.databaseRole(role)))",
            "SET LOCAL statement_timeout = \(max(1, timeoutMilliseconds))",
            "SET LOCAL search_path = pg_catalog, public, pg_temp",
            "SET LOCAL standard_conforming_strings = on",
            "DECLARE readout_query NO SCROLL CURSOR FOR \(sql)",
            "FETCH FORWARD \(maxRows + 1) FROM readout_query",
        ]).last ?? []
        var columns = rows.first?.columns ?? []
        if rows.isEmpty {
            // No row carries the names: one row of NULLs shaped like the result does.
            columns = try self.rows("SELECT readout_empty.* FROM (SELECT 1) AS readout_one LEFT JOIN (\(sql)) AS readout_empty ON true LIMIT 1").first?.columns ?? []
        }
        return (columns, Array(rows.prefix(maxRows)), rows.count > maxRows)
    }
}
