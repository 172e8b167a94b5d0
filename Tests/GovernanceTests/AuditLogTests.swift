import Semantic
import Foundation
import Testing
@testable import Governance
import Warehouse

@Suite struct AuditLogTests {
    private func filledLog() throws -> (AuditLog, String) {
        let path = Fixtures.temporaryPath("audit")
        let log = try AuditLog(path: path)
        let queryGuard = try Fixtures.warehouseGuard()
        let executor = try QueryExecutor(path: Fixtures.warehouse, contract: Fixtures.contract)
        let gateway = GovernedQuery(guard: queryGuard, executor: executor, audit: log)
        _ = try gateway.run("SELECT experiment_id FROM experiments", caller: Caller(principal: "ana", role: "analyst", channel: .cli))
        _ = try gateway.run("SELECT email FROM users", caller: Caller(principal: "bot", role: "chat", channel: .http), question: "who signed up?", planner: "llm")
        _ = try gateway.run("DROP TABLE experiments", caller: Caller(principal: "ana", role: "analyst", channel: .repl))
        return (log, path)
    }

    @Test func everyRequestIsRecordedAndChained() throws {
        let (log, _) = try filledLog()
        let entries = try log.entries()
        #expect(entries.map(\.id) == [1, 2, 3])
        #expect(entries.map(\.decision.rawValue) == ["approved", "blocked", "blocked"])
        #expect(entries[0].rowCount == 8)
        #expect(entries[0].sqlExecuted == "SELECT experiment_id FROM experiments LIMIT 1000")
        #expect(entries[1].reasonCodes == ["table_not_allowed"])
        #expect(entries[1].tables == ["users"])
        #expect(entries[1].question == "who signed up?")
        #expect(entries[1].channel == .http)
        #expect(entries[0].previousHash == AuditLog.genesis)
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(try log.verify().ok)
        #expect(try log.entries(AuditFilter(blockedOnly: true)).count == 2)
        #expect(try log.entries(AuditFilter(principal: "ana")).count == 2)
        #expect(try log.entries(AuditFilter(code: "not_read_only")).map(\.id) == [3])
        #expect(try log.entries(AuditFilter(afterID: 1, limit: 1)).map(\.id) == [2])
    }

    @Test func updatesAndDeletesAreRefused() throws {
        let (_, path) = try filledLog()
        let raw = try Connection(path: path)
        #expect(throws: WarehouseError.self) { try raw.execute("UPDATE audit_log SET decision = 'approved' WHERE id = 2") }
        #expect(throws: WarehouseError.self) { try raw.execute("DELETE FROM audit_log WHERE id = 3") }
    }

    @Test func verifyFindsTheFirstEditedEntry() throws {
        let (log, path) = try filledLog()
        let raw = try Connection(path: path)
        try raw.execute("DROP TRIGGER audit_log_no_update")
        try raw.execute("UPDATE audit_log SET principal = 'someone-else' WHERE id = 2")
        let result = try log.verify()
        #expect(!result.ok)
        #expect(result.firstBrokenID == 2)
        #expect(result.problem?.contains("edited") == true)
    }

    @Test func verifyFindsDeletedAndForgedEntries() throws {
        let (log, path) = try filledLog()
        let raw = try Connection(path: path)
        try raw.execute("DROP TRIGGER audit_log_no_delete")
        try raw.execute("DELETE FROM audit_log WHERE id = 2")
        #expect(try log.verify().firstBrokenID == 3)
        // Re-hashing an edited entry does not help: the next entry's link breaks.
        let (log2, path2) = try filledLog()
        let raw2 = try Connection(path: path2)
        try raw2.execute("DROP TRIGGER audit_log_no_update")
        var forged = try #require(try log2.entry(id: 1))
        forged.principal = "nobody"
        forged.hash = try AuditLog.hash(forged)
        try raw2.execute("UPDATE audit_log SET principal = ?, hash = ? WHERE id = 1", [forged.principal, forged.hash])
        #expect(try log2.verify().firstBrokenID == 2)
    }
}
