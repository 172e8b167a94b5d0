import Foundation
import Testing
@testable import Governance
import Warehouse

@Suite struct ExecutorTests {
    @Test func authorizerRefusesWhatTheGuardWouldRefuseIndependently() throws {
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        // Straight to the executor, as if the guard had a bug.
        for sql in ["SELECT email FROM users", "SELECT name FROM sqlite_master", "SELECT count(*) FROM fct_events", "SELECT 1 FROM users LIMIT 1", "SELECT count(*) FROM sqlite_master",
                    "SELECT load_extension('x')", "SELECT * FROM pragma_table_info('users')", "SELECT sqlite_version()"] {
            #expect { try executor.run(sql, role: "analyst") } throws: { ($0 as? ExecutionError)?.code == .authorizerDenied }
        }
        #expect { try executor.run("SELECT experiment_id FROM experiments", role: "auditor") } throws: { ($0 as? ExecutionError)?.code == .authorizerDenied }
        #expect(try executor.run("SELECT count(*) FROM experiments", role: "analyst").rows.count == 1)
    }

    @Test func connectionIsReadOnly() throws {
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        #expect(throws: ExecutionError.self) { try executor.run("DELETE FROM experiments", role: "admin") }
        let connection = try Connection(path: Fixtures.warehouse, mode: .readOnly)
        #expect(try connection.scalar("SELECT count(*) FROM experiments").int64 == 8)
    }

    @Test func timeLimitStopsRunawayQueries() throws {
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract, configuration: .init(timeout: .milliseconds(200)))
        let started = ContinuousClock.now
        #expect { try executor.run("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c", role: "analyst") } throws: {
            ($0 as? ExecutionError)?.code == .timeout
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func rowCapTruncatesAndSays() throws {
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract, configuration: .init(maxRows: 10))
        let result = try executor.run("SELECT experiment_id FROM fct_experiment_results", role: "analyst")
        #expect(result.rows.count == 10)
        #expect(result.truncated)
        #expect(result.columns == ["experiment_id"])
        #expect(result.declaredTypes == ["TEXT"])
    }

    @Test func doubleQuotedStringsAreNames() throws {
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        #expect(throws: ExecutionError.self) { try executor.run("SELECT \"no_such_column\" FROM experiments", role: "analyst") }
    }
}

@Suite struct RowPolicyTests {
    private let teamGrowth: Set = ["exp_pricing_page", "exp_signup_flow"]

    private func experimentIDs(_ sql: String) throws -> Set<String> {
        let queryGuard = try Fixtures.warehouseGuard()
        let decision = queryGuard.check(sql, role: "team_growth")
        guard decision.isApproved, let approved = decision.sql else {
            Issue.record("blocked: \(sql) \(decision.reasons)")
            return []
        }
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        return Set(try executor.run(approved, role: "team_growth").rows.compactMap { $0[0].string })
    }

    /// No query shape sees rows of another team's experiments.
    @Test(arguments: [
        "SELECT experiment_id FROM experiments",
        "SELECT e.experiment_id FROM experiments AS e",
        "SELECT experiment_id FROM fct_experiment_results",
        "SELECT experiment_id FROM main.fct_experiment_results",
        "SELECT r.experiment_id FROM metrics m JOIN fct_experiment_results r USING (metric_id)",
        "SELECT experiment_id FROM (SELECT * FROM agg_experiment_metric_by_variant)",
        "WITH experiments AS (SELECT 'x' AS experiment_id, 'team-growth' AS owner) SELECT experiment_id FROM fct_experiment_results",
        "SELECT experiment_id FROM experiment_variants UNION SELECT experiment_id FROM fct_experiment_exposure_quality_daily",
        "SELECT (SELECT max(experiment_id) FROM experiments)",
        "SELECT experiment_id FROM experiment_variants WHERE experiment_id IN (SELECT experiment_id FROM experiments WHERE owner <> 'team-growth' OR 1)",
        "WITH ids AS (SELECT experiment_id FROM experiments) SELECT experiment_id FROM ids",
        "SELECT experiment_id FROM experiments WHERE 1 OR owner <> 'team-growth'",
    ])
    func policiesHoldForEveryShape(_ sql: String) throws {
        let seen = try experimentIDs(sql)
        #expect(!seen.isEmpty, "\(sql)")
        #expect(seen.isSubset(of: teamGrowth), "\(sql) saw \(seen.subtracting(teamGrowth))")
    }

    @Test func analystsSeeEverything() throws {
        let decision = try Fixtures.warehouseGuard().check("SELECT experiment_id FROM experiments", role: "analyst")
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        #expect(try executor.run(try #require(decision.sql), role: "analyst").rows.count == 8)
    }

    @Test func limitIsClampedOrAdded() throws {
        let queryGuard = try Fixtures.warehouseGuard(maxRows: 50)
        #expect(queryGuard.check("SELECT 1", role: "analyst").sql == "SELECT 1 LIMIT 50")
        #expect(queryGuard.check("SELECT 1 LIMIT 10", role: "analyst").sql == "SELECT 1 LIMIT 10")
        #expect(queryGuard.check("SELECT 1 LIMIT 5000", role: "analyst").sql == "SELECT 1 LIMIT 50")
        #expect(queryGuard.check("SELECT 1 LIMIT -1", role: "analyst").sql == "SELECT * FROM (SELECT 1 LIMIT -1) LIMIT 50")
        #expect(queryGuard.check("VALUES (1)", role: "analyst").sql == "SELECT * FROM (VALUES (1)) LIMIT 50")
    }
}
