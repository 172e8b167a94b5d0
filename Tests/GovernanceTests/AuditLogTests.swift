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
        forged.hash = AuditLog.hash(forged)
        try raw2.execute("UPDATE audit_log SET principal = ?, hash = ? WHERE id = 1", [forged.principal, forged.hash])
        #expect(try log2.verify().firstBrokenID == 2)
    }

    @Test("appends from many threads at once form one intact chain, each returned only once written")
    func concurrentAppendsAreGroupCommitted() async throws {
        let path = Fixtures.temporaryPath("audit")
        let log = try AuditLog(path: path)
        let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        Thread {
                            do {
                                var ids: [Int64] = []
                                for index in 0..<25 {
                                    let entry = try log.append(AuditEntry(principal: "w\(worker)", role: "analyst", channel: .http, question: "q\(index)",
                                                                          planner: "rule", sqlReceived: nil, decision: .notPlanned, reasonCodes: [], reasonMessages: []))
                                    // Durable when returned: a fresh connection sees it.
                                    let seen = try Connection(path: path, mode: .readOnly).scalar("SELECT count(*) FROM audit_log WHERE id = \(entry.id)")
                                    if seen.int64 != 1 { throw AuditVerificationCancelled() }
                                    ids.append(entry.id)
                                }
                                continuation.resume(returning: ids)
                            } catch {
                                continuation.resume(throwing: error)
                            }
                        }.start()
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.sorted() == Array(1...200))
        let verification = try log.verify()
        #expect(verification.ok && verification.entries == 200, "\(verification)")
        #expect(verification.head == (try log.head()))
    }

    @Test("a pinned head catches the removal of the newest entries, which a chain walk alone cannot see")
    func expectedHeadCatchesTruncation() throws {
        let (log, path) = try filledLog()
        let head = try #require(try log.head())
        #expect(head.id == 3 && AuditHead(head.description) == head)
        #expect(try log.verify(expectedHead: head).ok)
        let raw = try Connection(path: path)
        try raw.execute("DROP TRIGGER audit_log_no_delete")
        try raw.execute("DELETE FROM audit_log WHERE id = 3")
        // The remaining chain is intact…
        #expect(try log.verify().ok)
        // …but it no longer reaches the pinned head.
        let truncated = try log.verify(expectedHead: head)
        #expect(!truncated.ok && truncated.problem?.contains("truncated") == true, "\(truncated)")
        // A head whose hash differs: the log was rewritten from there.
        let rewritten = try log.verify(expectedHead: AuditHead(id: 2, hash: String(repeating: "a", count: 64)))
        #expect(!rewritten.ok && rewritten.problem?.contains("rewritten") == true)
        #expect(AuditHead("3:xyz") == nil && AuditHead("0:\(head.hash)") == nil)
    }

    @Test("the walk stops when its caller cancels it")
    func verifyIsCancellable() throws {
        let (log, _) = try filledLog()
        #expect(throws: AuditVerificationCancelled.self) { try log.verify(isCancelled: { true }) }
    }

    @Test("async appends wait for their group commit without holding a thread, and join the same chain as blocking ones")
    func durableAsyncAppends() async throws {
        let path = Fixtures.temporaryPath("audit")
        let log = try AuditLog(path: path)
        let entry = AuditEntry(principal: "a", role: "analyst", channel: .http, question: "q", planner: "rule", sqlReceived: nil,
                               decision: .notPlanned, reasonCodes: [], reasonMessages: [])
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<200 {
                group.addTask { index % 10 == 0 ? try log.append(entry).id : try await log.appendDurably(entry).id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ids.sorted() == Array(1...200))
        #expect(try Connection(path: path, mode: .readOnly).scalar("SELECT count(*) FROM audit_log").int64 == 200)
        #expect(try log.verify().ok)
    }

    /// The form the chain was first hashed over: Foundation's JSON, sorted keys, slashes unescaped.
    static func referenceForm(_ entry: AuditEntry) throws -> Data {
        var fields: [String: Any] = [
            "id": entry.id, "timestamp": entry.timestamp, "principal": entry.principal, "role": entry.role,
            "channel": entry.channel.rawValue, "decision": entry.decision.rawValue, "reasonCodes": entry.reasonCodes,
            "reasonMessages": entry.reasonMessages, "tables": entry.tables,
            "durationMicroseconds": entry.durationMicroseconds, "previousHash": entry.previousHash,
        ]
        fields["question"] = entry.question ?? NSNull()
        fields["planner"] = entry.planner ?? NSNull()
        fields["sqlReceived"] = entry.sqlReceived ?? NSNull()
        fields["sqlExecuted"] = entry.sqlExecuted ?? NSNull()
        fields["rowCount"] = entry.rowCount.map { $0 as Any } ?? NSNull()
        fields["error"] = entry.error ?? NSNull()
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    @Test("the canonical form is byte for byte what Foundation's JSON writes, so chains written before still verify")
    func canonicalFormMatchesFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        let awkward = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "é", "日本", "👩‍💻", "\u{7F}", "\u{2028}", "a b", "'", "</script>", ""]
        for round in 0..<300 {
            func text() -> String { (0..<Int.random(in: 0...6, using: &generator)).map { _ in awkward.randomElement(using: &generator) ?? "" }.joined() }
            var entry = AuditEntry(principal: text(), role: "analyst", channel: .http, question: round % 3 == 0 ? nil : text(), planner: round % 2 == 0 ? "rule" : nil,
                                   sqlReceived: text(), sqlExecuted: round % 4 == 0 ? nil : text(), decision: .approved, reasonCodes: [text(), text()],
                                   reasonMessages: round % 5 == 0 ? [] : [text()], tables: [text()], durationMicroseconds: Int64.random(in: 0...10_000_000, using: &generator),
                                   rowCount: round % 3 == 1 ? nil : Int64(round), error: round % 2 == 1 ? nil : text())
            entry.id = Int64(round + 1)
            entry.timestamp = "2026-12-02T08:00:00.000Z"
            entry.previousHash = AuditLog.genesis
            let ours = entry.canonicalForm()
            let reference = try Self.referenceForm(entry)
            #expect(ours == reference, "\(String(decoding: ours, as: UTF8.self)) vs \(String(decoding: reference, as: UTF8.self))")
            if ours != reference { break }
        }
    }
}
