import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import Governance
import Testing
@testable import Server

/// The server under load, on loopback: slow queries run side by side on the reader pool, a full
/// pool turns requests away with 503 and Retry-After, and a query cut at its time limit says
/// `timeout`.
extension ServerTests {
    static let runaway = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT count(*) FROM r"

    @Test("a query stopped at its time limit is 422 timeout, audited with that reason")
    func timeoutSaysTimeout() async throws {
        let server = try await Harness(readers: ReaderPool.Configuration(size: 2), timeout: .milliseconds(300))
        defer { server.stop() }
        let (status, body, _) = try await server.post("/api/query", key: server.keys["analyst"], json: ["sql": Self.runaway])
        #expect(status == 422 && Self.code(body) == "timeout", "\(body)")
        let entries = try AuditLog(path: server.auditPath).entries()
        #expect(entries.last?.decision == .error && entries.last?.reasonCodes == ["timeout"], "\(String(describing: entries.last))")
    }

    /// (That `/healthz` answers while every reader is busy is tested against a `readout serve`
    /// process, `ServeCLITests.healthAnswersWhileEveryReaderIsBusy`: in this process the server
    /// shares Swift's two cooperative threads with every other test of the suite, which can hold
    /// them for seconds, so a probe's latency here says more about the suite than the server.)
    @Test("runaway queries run side by side, and past the line they are turned away with Retry-After")
    func loadStopsByItself() async throws {
        let limit = Duration.milliseconds(800)
        let server = try await Harness(readers: ReaderPool.Configuration(size: 4, queueLimit: 4, maxWait: .milliseconds(200)), timeout: limit)
        defer { server.stop() }
        let key = server.keys["analyst"]
        let outcomes = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
            for _ in 0..<24 {
                group.addTask {
                    let (status, body, response) = try await server.post("/api/query", key: key, json: ["sql": Self.runaway])
                    return (status, Self.code(body), response.value(forHTTPHeaderField: "Retry-After"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Each query either ran and was cut at its limit, or was turned away at once with Retry-After.
        #expect(outcomes.allSatisfy { ($0.0 == 422 && $0.1 == "timeout") || ($0.0 == 503 && $0.1 == "busy" && $0.2 == "1") }, "\(outcomes)")
        #expect(outcomes.contains { $0.0 == 422 } && outcomes.contains { $0.0 == 503 })
        // Side by side, never more than the pool: the pool's own count of readers busy at once, not a
        // wall-clock bound (24 requests at once keep all four busy; a loaded machine that slows every
        // query alike made the run take longer, and a time bound fail, without anything being wrong).
        let peak = try #require(await server.gateway.readers).peakBusy
        #expect(peak >= 2 && peak <= 4, "at most \(peak) queries ran at once")
    }

    @Test("the audit head is served and pinned: verify fails once the log no longer reaches it")
    func auditHead() async throws {
        let server = try await Harness()
        defer { server.stop() }
        _ = try await server.post("/api/ask", key: server.keys["analyst"], json: ["question": "what is the lift on checkout button?"])
        let auditor = server.keys["auditor"]
        let (status, head, _) = try await server.request("GET", "/api/audit/head", key: auditor)
        let last = try #require(try AuditLog(path: server.auditPath).entries().last)
        #expect(status == 200 && head["id"] as? Int == Int(last.id) && head["hash"] as? String == last.hash, "\(head)")
        let pinned = try #require(head["head"] as? String)
        let (_, verified, _) = try await server.request("GET", "/api/audit/verify?expectHead=\(pinned)", key: auditor)
        #expect(verified["ok"] as? Bool == true, "\(verified)")
        let (_, wrong, _) = try await server.request("GET", "/api/audit/verify?expectHead=\(last.id + 5):\(last.hash)", key: auditor)
        #expect(wrong["ok"] as? Bool == false && (wrong["problem"] as? String)?.contains("truncated") == true, "\(wrong)")
        #expect(try await server.request("GET", "/api/audit/verify?expectHead=nonsense", key: auditor).0 == 400)
    }
}
