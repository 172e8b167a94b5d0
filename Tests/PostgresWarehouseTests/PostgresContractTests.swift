import Analysis
import Governance
import SQLParser
import Foundation
import PostgresWarehouse
import ReadoutTesting
import Semantic
import Synchronization
import Testing
import Warehouse

/// The database enforces the contract on its own: queries that never went through the guard run as
/// a contract role (`readOnlyQuery`) and PostgreSQL refuses what the contract does not allow.
@Suite("PostgreSQL enforces the contract")
struct PostgresContractTests {
    static let semantic = PostgresParityTests.semantic
    static let contract: SemanticContract = {
        do { return try ContractLoader.load(directory: semantic.root.appendingPathComponent("contract")) } catch { fatalError("\(error)") }
    }()

    /// One demo database per test process, with the contract applied.
    static let warehouse: Result<PostgresURL, any Error> = Result {
        let url = try PostgresURL(parsing: try PostgresServer.shared().newDatabase("contract"))
        _ = try PostgresDemo.create(at: url, configuration: DemoConfiguration(users: 1_500, seed: 3), build: .analysed(semantic))
        let session = try PostgresSession(url: url)
        try PostgresContract.apply(contract, on: session)
        return url
    }

    static func session() throws -> PostgresSession { try PostgresSession(url: try warehouse.get()) }

    static func refused(_ sql: String, role: String, sqlState: String?, in session: PostgresSession) -> Bool {
        do {
            _ = try session.readOnlyQuery(sql, role: role, timeoutMilliseconds: 5_000, maxRows: 100)
            return false
        } catch let error as WarehouseError {
            return sqlState == nil ? error.sqlState != nil : error.sqlState == sqlState
        } catch {
            return false
        }
    }

    @Test("A role reads its assets and nothing else: raw events, users' emails and bookkeeping are refused by PostgreSQL")
    func assetsAndColumns() throws {
        let session = try Self.session()
        let results = try session.readOnlyQuery("SELECT count(*) FROM fct_experiment_results", role: "analyst", timeoutMilliseconds: 5_000, maxRows: 10)
        #expect(results.rows.first?[0].int64 ?? 0 > 0)
        for sql in ["SELECT email FROM users", "SELECT count(*) FROM fct_events", "SELECT * FROM fct_experiment_assignments",
                    "SELECT * FROM api_keys", "SELECT * FROM experiment_decisions", "SELECT * FROM readout_migrations"] {
            #expect(Self.refused(sql, role: "analyst", sqlState: "42501", in: session), "analyst: \(sql)")
        }
        // The admin role reads recorded decisions; the auditor reads no warehouse asset at all.
        #expect(try session.readOnlyQuery("SELECT count(*) FROM experiment_decisions", role: "admin", timeoutMilliseconds: 5_000, maxRows: 10).rows.count == 1)
        #expect(Self.refused("SELECT count(*) FROM experiments", role: "auditor", sqlState: "42501", in: session))
    }

    @Test("Column grants: a column the contract does not allow cannot be read, even with SELECT *")
    func columnGrants() throws {
        var contract = Self.contract
        let asset = try #require(contract.assets["experiments"])
        contract.assets["experiments"]?.columns = asset.columns.map { column in
            var column = column
            if column.name == "hypothesis" { column.allowed = false }
            return column
        }
        let url = try PostgresURL(parsing: try PostgresServer.shared().newDatabase("columns"))
        let session = try PostgresSession(url: url)
        try session.executeScript("CREATE TABLE experiments (experiment_id TEXT, name TEXT, hypothesis TEXT, owner TEXT); INSERT INTO experiments VALUES ('e', 'n', 'secret', 'team-growth');")
        try PostgresContract.apply(contract, on: session)
        #expect(try session.readOnlyQuery("SELECT experiment_id, name FROM experiments", role: "analyst", timeoutMilliseconds: 5_000, maxRows: 10).rows.count == 1)
        #expect(Self.refused("SELECT hypothesis FROM experiments", role: "analyst", sqlState: "42501", in: session))
        #expect(Self.refused("SELECT * FROM experiments", role: "analyst", sqlState: "42501", in: session))
    }

    @Test("Row-level security: a team role sees only its own experiments, everywhere; other roles see all")
    func rowPolicies() throws {
        let session = try Self.session()
        let owners = try session.readOnlyQuery("SELECT DISTINCT owner FROM experiments", role: "team_growth", timeoutMilliseconds: 5_000, maxRows: 10).rows
        #expect(owners.map(\.values) == [[.text("team-growth")]])
        let growth = Set(try session.rows("SELECT experiment_id FROM experiments WHERE owner = 'team-growth'").compactMap { $0[0].string })
        for table in ["fct_experiment_results", "fct_experiment_verdicts", "agg_experiment_metric_by_variant", "fct_experiment_exposure_quality_daily", "experiment_variants"] {
            let seen = Set(try session.readOnlyQuery("SELECT DISTINCT experiment_id FROM \(table)", role: "team_growth", timeoutMilliseconds: 5_000, maxRows: 100).rows.compactMap { $0[0].string })
            #expect(seen == growth, "\(table)")
        }
        let all = try session.readOnlyQuery("SELECT count(DISTINCT owner) FROM experiments", role: "analyst", timeoutMilliseconds: 5_000, maxRows: 10).rows
        #expect(all.first?[0].int64 ?? 0 > 1)
    }

    @Test("No writes, no escape: read-only transactions, no privilege to gain, no server files, a timeout that cancels")
    func noWritesNoEscape() throws {
        let session = try Self.session()
        let mode = try session.readOnlyQuery("SELECT current_setting('transaction_read_only'), current_user", role: "admin", timeoutMilliseconds: 5_000, maxRows: 1)
        #expect(mode.rows.first?.values == [.text("on"), .text("readout_admin")])
        #expect(Self.refused("WITH written AS (INSERT INTO experiments (experiment_id) VALUES ('x') RETURNING 1) SELECT * FROM written", role: "admin", sqlState: nil, in: session))
        #expect(try session.scalar("SELECT count(*) FROM experiments WHERE experiment_id = 'x'") == .integer(0))
        #expect(Self.refused("SELECT pg_read_file('/etc/passwd')", role: "analyst", sqlState: "42501", in: session))
        #expect(Self.refused("SELECT set_config('role', 'readout_admin', true)", role: "analyst", sqlState: "42501", in: session))
        #expect(Self.refused("SELECT lo_import('/etc/passwd')", role: "analyst", sqlState: "42501", in: session))
        // The server cancels a query past the limit (57014: query_canceled).
        do {
            _ = try session.readOnlyQuery("SELECT pg_sleep(5)", role: "analyst", timeoutMilliseconds: 200, maxRows: 1)
            Issue.record("pg_sleep(5) ran past a 200 ms limit")
        } catch let error as WarehouseError {
            #expect(error.sqlState == "57014")
        }
        // The statements are sent together: when the role cannot be taken, the query is not run as
        // Readout's own login (the server refuses the rest of the transaction).
        #expect(throws: WarehouseError.self) {
            _ = try session.readOnlyQuery("SELECT current_user", role: "no_such_role", timeoutMilliseconds: 5_000, maxRows: 1)
        }
        // Nothing outlives a governed query: the session is back to its own role.
        #expect(try session.scalar("SELECT current_user").string == "readout")
    }

    @Test("The row cap: at most maxRows rows, and a flag when more were left")
    func rowCap() throws {
        let session = try Self.session()
        let capped = try session.readOnlyQuery("SELECT * FROM fct_experiment_results ORDER BY experiment_id", role: "analyst", timeoutMilliseconds: 5_000, maxRows: 5)
        #expect(capped.rows.count == 5)
        #expect(capped.truncated)
        let all = try session.readOnlyQuery("SELECT metric_id FROM metrics", role: "analyst", timeoutMilliseconds: 5_000, maxRows: 100)
        #expect(!all.truncated)
    }

    /// A governed read caught in a deadlock with a writer (here a transaction locking the two tables
    /// it reads, in the other order, as a concurrent `contract apply` can) is rolled back by the
    /// server and run once more by the executor: the caller gets the rows, not "deadlock detected".
    @Test("A read the server rolls back to break a deadlock is run again")
    func deadlockedReadRunsAgain() throws {
        let url = try PostgresURL(parsing: try PostgresServer.shared().newDatabase("deadlock"))
        let setup = try PostgresSession(url: url)
        try setup.executeScript("""
            CREATE TABLE experiments (experiment_id TEXT PRIMARY KEY, name TEXT, hypothesis TEXT, owner TEXT);
            CREATE TABLE experiment_variants (experiment_id TEXT, variation_id TEXT, name TEXT, is_control BIGINT, allocation DOUBLE PRECISION);
            INSERT INTO experiments VALUES ('e', 'n', 'h', 'team-growth');
            INSERT INTO experiment_variants VALUES ('e', 'control', 'Control', 1, 0.5);
            """)
        try PostgresContract.apply(Self.contract, on: setup)
        let writer = try PostgresSession(url: url)
        try writer.execute("BEGIN")
        try writer.execute("LOCK TABLE experiments IN ACCESS EXCLUSIVE MODE")
        let outcome = Mutex<Result<QueryResult, ExecutionError>?>(nil)
        let reader = Thread {
            let result = Result { () throws(ExecutionError) -> QueryResult in
                let executor: PostgresQueryExecutor
                do { executor = try PostgresQueryExecutor(url: url) } catch { throw ExecutionError(code: .unavailable, message: "\(error)") }
                return try executor.run("SELECT v.variation_id FROM experiment_variants AS v JOIN experiments AS e ON e.experiment_id = v.experiment_id", role: "analyst")
            }
            outcome.withLock { $0 = result }
        }
        reader.start()
        // Once the read holds experiment_variants and waits for experiments, the writer asks for
        // experiment_variants: a deadlock, which the server breaks by rolling the read back.
        var waiting = false
        for _ in 0..<600 where !waiting {
            waiting = try setup.scalar("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'experiments'::regclass").int64 ?? 0 > 0
            if !waiting { usleep(10_000) }
        }
        #expect(waiting)
        try writer.execute("LOCK TABLE experiment_variants IN ACCESS EXCLUSIVE MODE")
        try writer.execute("COMMIT")
        var result: Result<QueryResult, ExecutionError>?
        for _ in 0..<3_000 where result == nil {
            result = outcome.withLock { $0 }
            if result == nil { usleep(10_000) }
        }
        let rows = try #require(try result?.get()).rows
        #expect(rows == [[.text("control")]])
    }

    @Test("Applying twice changes nothing; roles cannot log in and hold no write privilege")
    func idempotent() throws {
        let session = try Self.session()
        let first = try PostgresContract.apply(Self.contract, on: session)
        let second = try PostgresContract.apply(Self.contract, on: session)
        #expect(first == second)
        #expect(first.roles.contains("readout_team_growth"))
        let logins = try session.scalar("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'readout\\_%' AND (rolcanlogin OR rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)")
        #expect(logins == .integer(0))
        let writes = try session.scalar("""
            SELECT count(*) FROM information_schema.table_privileges
            WHERE grantee LIKE 'readout\\_%' AND privilege_type <> 'SELECT'
            """)
        #expect(writes == .integer(0))
    }
}

/// The guard's PostgreSQL dialect against the real server: every query of the approve corpus
/// (`fixtures/guard/postgresql/approve.jsonl`) is approved, and the normalised SQL the guard
/// prints runs on PostgreSQL as the analyst role — PostgreSQL's syntax read in, valid
/// PostgreSQL printed out — through the executor the service uses (which runs a read again when
/// the server broke a deadlock with a concurrent `contract apply` by rolling it back, as the
/// suite above applies the contract to the same database).
@Suite("The PostgreSQL guard's approved SQL runs on PostgreSQL")
struct PostgresGuardCorpusTests {
    struct Approve: Decodable { var sql: String; var tables: [String] }

    @Test func approvedCorpusRuns() throws {
        let url = PostgresParityTests.semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/guard/postgresql/approve.jsonl")
        let queries = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(Approve.self, from: Data($0.utf8)) }
        #expect(queries.count >= 40)
        let queryGuard = QueryGuard(contract: PostgresContractTests.contract, configuration: GuardConfiguration(dialect: .postgresql))
        let executor = try PostgresQueryExecutor(url: try PostgresContractTests.warehouse.get(),
                                                 configuration: QueryExecutor.Configuration(timeout: .seconds(10), maxRows: 1_000))
        for query in queries {
            let decision = queryGuard.check(query.sql, role: "analyst")
            guard decision.isApproved, let sql = decision.sql else {
                Issue.record("blocked: \(query.sql): \(decision.reasons)")
                continue
            }
            do {
                _ = try executor.run(sql, role: "analyst")
            } catch {
                Issue.record("\(query.sql) → \(sql): \(error)")
            }
        }
    }
}
