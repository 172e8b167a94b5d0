import Foundation
import Testing
@testable import Governance
import SQLParser
import Warehouse

@Suite("Guard corpora (fixtures/guard)", .serialized)
struct GuardCorpusTests {
    @Test func corporaAreLargeEnough() throws {
        #expect(try Fixtures.corpus("approve.jsonl", as: Fixtures.Approve.self).count >= 150)
        #expect(try Fixtures.corpus("attack.jsonl", as: Fixtures.Attack.self).count >= 150)
    }

    /// Every legitimate query is approved with exactly its physical tables —
    /// from the contract alone and with the warehouse's schema — and runs on
    /// the real warehouse without the authorizer objecting.
    @Test func legitimateQueriesAreApprovedAndRun() throws {
        let contractOnly = QueryGuard(contract: Fixtures.contract)
        let withWarehouse = try Fixtures.warehouseGuard()
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        for query in try Fixtures.corpus("approve.jsonl", as: Fixtures.Approve.self) {
            for queryGuard in [contractOnly, withWarehouse] {
                let decision = queryGuard.check(query.sql, role: "analyst")
                #expect(decision.isApproved, "\(query.sql): \(decision.reasons)")
                #expect(decision.tables.sorted() == query.tables, "\(query.sql)")
            }
            let decision = withWarehouse.check(query.sql, role: "analyst")
            guard decision.isApproved, let normalised = decision.sql else { continue }
            // The normalised SQL parses back to the same tables.
            #expect(withWarehouse.check(normalised, role: "analyst").tables.sorted() == query.tables, "\(normalised)")
            do {
                _ = try executor.run(normalised, role: "analyst")
            } catch {
                Issue.record("\(query.sql) → \(normalised): \(error)")
            }
        }
    }

    @Test func attacksAreBlockedWithTheRightCode() throws {
        let queryGuard = try Fixtures.warehouseGuard()
        for attack in try Fixtures.corpus("attack.jsonl", as: Fixtures.Attack.self) {
            let decision = queryGuard.check(attack.sql, role: "analyst")
            #expect(!decision.isApproved, "approved: \(attack.sql) (\(attack.note))")
            #expect(decision.reasons.map(\.code.rawValue).contains(attack.code), "\(attack.sql) (\(attack.note)): \(decision.reasons.map(\.code.rawValue))")
            #expect(decision.sql == nil)
        }
    }

    @Test func hostileSizesFailFastWithTheirCodes() throws {
        let queryGuard = QueryGuard(contract: Fixtures.contract)
        let big = "SELECT " + Array(repeating: "experiment_id", count: 8_000).joined(separator: ", ") + " FROM experiments"
        #expect(big.utf8.count > 100_000)
        #expect(queryGuard.check(big, role: "analyst").reasons.map(\.code) == [.tooLong])
        let deep = "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(queryGuard.check(deep, role: "analyst").reasons.map(\.code) == [.tooDeep])
        let deepSubqueries = String(repeating: "SELECT * FROM (", count: 2_000) + "SELECT 1" + String(repeating: ")", count: 2_000)
        #expect(queryGuard.check(deepSubqueries, role: "analyst").reasons.map(\.code) == [.tooDeep])
        let deepNot = "SELECT " + String(repeating: "NOT ", count: 5_000) + "1"
        #expect(queryGuard.check(deepNot, role: "analyst").reasons.map(\.code) == [.tooDeep])
    }

    @Test func tablesAreReportedWhenBlocked() {
        let decision = QueryGuard(contract: Fixtures.contract).check("SELECT e.name, u.email FROM experiments e JOIN Users u ON 1", role: "analyst")
        #expect(decision.decision == .blocked)
        #expect(decision.tables == ["experiments", "users"])
        #expect(decision.columns["users"] == ["email"])
    }

    /// The PostgreSQL corpora (`fixtures/guard/postgresql/`): PostgreSQL's own syntax is approved
    /// with exactly its tables and printed as SQL that reads back the same; attacks that reach
    /// outside the data (server files, other databases, settings, catalogs, writes hidden in
    /// queries) are refused with their code. PostgresWarehouseTests runs the approved SQL on a
    /// real server.
    @Test func postgreSQLCorpora() throws {
        let queryGuard = QueryGuard(contract: Fixtures.contract, configuration: GuardConfiguration(dialect: .postgresql))
        let approve = try Fixtures.corpus("postgresql/approve.jsonl", as: Fixtures.Approve.self)
        let attacks = try Fixtures.corpus("postgresql/attack.jsonl", as: Fixtures.Attack.self)
        #expect(approve.count >= 40 && attacks.count >= 60)
        for query in approve {
            let decision = queryGuard.check(query.sql, role: "analyst")
            #expect(decision.isApproved, "\(query.sql): \(decision.reasons)")
            #expect(decision.tables.sorted() == query.tables, "\(query.sql)")
            guard let normalised = decision.sql else { continue }
            let again = queryGuard.check(normalised, role: "analyst")
            #expect(again.isApproved && again.tables.sorted() == query.tables && again.sql == normalised, "\(normalised)")
        }
        for attack in attacks {
            let decision = queryGuard.check(attack.sql, role: "analyst")
            #expect(!decision.isApproved, "approved: \(attack.sql) (\(attack.note))")
            #expect(decision.reasons.map(\.code.rawValue).contains(attack.code), "\(attack.sql) (\(attack.note)): \(decision.reasons.map(\.code.rawValue))")
            #expect(decision.sql == nil)
        }
        // The SQLite guard does not read PostgreSQL's syntax: the dialect is a choice, not a union.
        let sqliteGuard = QueryGuard(contract: Fixtures.contract)
        #expect(!sqliteGuard.check("SELECT started_at::date FROM experiments", role: "analyst").isApproved)
        #expect(!queryGuard.check("SELECT julianday(started_at) FROM experiments", role: "analyst").isApproved)
    }
}
