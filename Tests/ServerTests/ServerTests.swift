import ReadoutTesting
import Semantic
import Analysis
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Gateway
import Governance
import Hummingbird
import Planner
import Server
import WebPages
import SQLParser
import Warehouse

/// The real server on an ephemeral loopback port, spoken to over real HTTP.
@Suite("HTTP service", .serialized)
struct ServerTests {
    final class Harness: @unchecked Sendable {
        let base: String
        let keys: [String: String]
        let auditPath: String
        let warehousePath: String
        let gateway: ReadoutGateway
        let task: Task<Void, any Error>
        let live = LiveHub(heartbeat: .seconds(1))

        init(rate: Double = 1_000, readers: ReaderPool.Configuration? = nil, timeout: Duration = .seconds(2)) async throws {
            let semantic = try SemanticDirectory.locate(explicit: nil)
            let contract = try ContractLoader.load(directory: semantic.root.appendingPathComponent("contract"))
            let dir = TestScratch.directory("server")
            let db = dir.appendingPathComponent("w.db").path
            warehousePath = db
            auditPath = dir.appendingPathComponent("audit.db").path
            _ = try DemoWarehouse.create(at: db, configuration: DemoConfiguration(users: 3_000, seed: 5), build: .analysed(semantic))
            let writer = try Connection(path: db)
            try Migrator(migrations: try semantic.migrations()).migrate(writer)
            try AllowedAssets.materialise(contract, into: writer)
            var keys: [String: String] = [:]
            for role in ["analyst", "chat", "auditor", "admin", "tracker", "team_growth"] {
                keys[role] = try APIKeyStore(connection: writer).create(name: "\(role)-key", role: role).token
            }
            let revoked = try APIKeyStore(connection: writer).create(name: "old", role: "chat").token
            try APIKeyStore(connection: writer).revoke("old")
            keys["revoked"] = revoked
            self.keys = keys
            let reader = try Connection(path: db, mode: .readOnly)
            gateway = ReadoutGateway(
                contract: contract,
                guard: QueryGuard(contract: contract, catalog: try SchemaCatalog.from(contract, warehouse: reader)),
                executor: try QueryExecutor(path: db, contract: contract, configuration: QueryExecutor.Configuration(timeout: timeout)),
                audit: try AuditLog(path: auditPath),
                intents: try IntentCatalog.load(semantic.root.appendingPathComponent("planner/intents.yml")),
                workflow: try Workflow(warehousePath: db)
            )
            if let readers { try gateway.startReaders(readers) }
            let service = ReadoutService(gateway: gateway, rate: rate, burst: rate, scrapeToken: "scrape-secret")
            let (stream, continuation) = AsyncStream<Int>.makeStream()
            let app = Application(
                router: ReadoutRoutes.router(service: service, pages: try PageRenderer(), live: live),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
            )
            task = Task { try await app.run() }
            var port = 0
            for await value in stream { port = value; break }
            base = "http://127.0.0.1:\(port)"
        }

        func request(_ method: String, _ path: String, key: String? = nil, body: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, [String: Any], HTTPURLResponse) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.httpBody = body
            if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
            if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as! HTTPURLResponse
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (http.statusCode, object, http)
        }

        func post(_ path: String, key: String?, json: [String: Any]) async throws -> (Int, [String: Any], HTTPURLResponse) {
            try await request("POST", path, key: key, body: try JSONSerialization.data(withJSONObject: json))
        }

        func stop() { task.cancel() }
    }

    static func code(_ object: [String: Any]) -> String? { (object["error"] as? [String: Any])?["code"] as? String }

    @Test func healthNeedsNoKeyEverythingElseDoes() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let (status, health, _) = try await server.request("GET", "/healthz")
        #expect(status == 200)
        #expect(health["status"] as? String == "ok")
        let (missing, body, response) = try await server.post("/api/ask", key: nil, json: ["question": "x"])
        #expect(missing == 401)
        #expect(Self.code(body) == "unauthorized")
        #expect(response.value(forHTTPHeaderField: "WWW-Authenticate") == "Bearer")
        #expect(try await server.post("/api/ask", key: "rdo_nope", json: ["question": "x"]).0 == 401)
        #expect(try await server.post("/api/ask", key: server.keys["revoked"], json: ["question": "x"]).0 == 401)
    }

    /// The role matrix, route by route.
    @Test func roleMatrix() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let routes: [(String, String, [String: Any]?)] = [
            ("POST", "/api/ask", ["question": "list metrics"]), ("POST", "/api/query", ["sql": "SELECT 1"]),
            ("GET", "/api/assets", nil), ("GET", "/api/assets/metrics", nil), ("GET", "/api/audit", nil), ("GET", "/api/audit/verify", nil),
        ]
        let allowed: [String: Set<String>] = [
            "/api/ask": ["analyst", "chat", "team_growth"], "/api/query": ["analyst", "chat", "team_growth"], "/api/assets": ["analyst", "chat", "team_growth"],
            "/api/assets/metrics": ["analyst", "chat", "team_growth"], "/api/audit": ["auditor"], "/api/audit/verify": ["auditor"],
        ]
        for (method, path, json) in routes {
            for role in ["analyst", "chat", "auditor", "admin", "tracker", "team_growth"] {
                let body = try json.map { try JSONSerialization.data(withJSONObject: $0) }
                let (status, object, _) = try await server.request(method, path, key: server.keys[role], body: body)
                if allowed[path, default: []].contains(role) {
                    #expect(status == 200, "\(role) \(method) \(path): \(object)")
                } else {
                    #expect(status == 403, "\(role) \(method) \(path)")
                    #expect(Self.code(object) == "forbidden")
                }
            }
        }
    }

    @Test func askAndQueryAreGuardedAndAudited() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let (status, answer, _) = try await server.post("/api/ask", key: server.keys["chat"], json: ["question": "what is the lift on checkout button?"])
        #expect(status == 200)
        #expect(answer["decision"] as? String == "approved")
        #expect((answer["readout"] as? String)?.hasPrefix("In exp_checkout_button (ITT)") == true)
        let (blocked, refusal, _) = try await server.post("/api/query", key: server.keys["chat"], json: ["sql": "SELECT email FROM users"])
        #expect(blocked == 403)
        // Every non-2xx has the error shape; the answer rides beside it.
        let error = refusal["error"] as? [String: Any]
        #expect(error?["code"] as? String == "blocked")
        #expect(((error?["details"] as? [String: Any])?["reasons"] as? [[String: Any]])?.first?["code"] as? String == "table_not_allowed")
        #expect(((refusal["answer"] as? [String: Any])?["reasons"] as? [[String: Any]])?.first?["code"] as? String == "table_not_allowed")
        #expect((refusal["answer"] as? [String: Any])?["decision"] as? String == "blocked")
        let (syntax, syntaxBody, _) = try await server.post("/api/query", key: server.keys["chat"], json: ["sql": "SELEC experiment_id FROM experiments"])
        #expect(syntax == 400)
        #expect((syntaxBody["error"] as? [String: Any])?["code"] as? String == "syntax_error")
        let (_, page, _) = try await server.request("GET", "/api/audit?blocked=true", key: server.keys["auditor"])
        let entries = page["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0["channel"] as? String == "http" })
        #expect(entries.first?["principal"] as? String == "chat-key")
        let (_, verify, _) = try await server.request("GET", "/api/audit/verify", key: server.keys["auditor"])
        #expect(verify["ok"] as? Bool == true)
    }

    @Test("an audit log that cannot be written fails the request closed (503), and says so")
    func auditFailureFailsClosed() async throws {
        let server = try await Harness()
        defer { server.stop() }
        // A real write failure on the real audit file: every insert is aborted.
        let sabotage = try Connection(path: server.auditPath)
        try sabotage.execute("CREATE TRIGGER test_no_more_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        let (queryStatus, query, _) = try await server.post("/api/query", key: server.keys["analyst"], json: ["sql": "SELECT experiment_id FROM experiments"])
        #expect(queryStatus == 503)
        #expect((query["error"] as? [String: Any])?["code"] as? String == "audit_unavailable")
        #expect(((query["answer"] as? [String: Any])?["rows"] as? [Any])?.isEmpty == true, "no rows leave without an audit entry")
        let (askStatus, ask, _) = try await server.post("/api/ask", key: server.keys["analyst"], json: ["question": "what is the lift on checkout button?"])
        #expect(askStatus == 503)
        #expect((ask["error"] as? [String: Any])?["code"] as? String == "audit_unavailable")
        let (refusedStatus, _, _) = try await server.post("/api/ask", key: server.keys["analyst"], json: ["question": "banana weather tomorrow"])
        #expect(refusedStatus == 503)
        let (decisionStatus, decision, _) = try await server.post("/api/experiments/exp_checkout_button/decision", key: server.keys["admin"],
                                                                 json: ["decision": "ship", "rationale": "clear win"])
        #expect(decisionStatus == 503)
        #expect((decision["error"] as? [String: Any])?["code"] as? String == "audit_unavailable")
        try sabotage.execute("DROP TRIGGER test_no_more_audit")
        #expect(try await server.post("/api/query", key: server.keys["analyst"], json: ["sql": "SELECT 1"]).0 == 200)
    }

    @Test func auditPagination() async throws {
        let server = try await Harness()
        defer { server.stop() }
        for index in 0..<5 { _ = try await server.post("/api/query", key: server.keys["analyst"], json: ["sql": "SELECT \(index)"]) }
        var cursor: String?
        var ids: [Int] = []
        repeat {
            let path = "/api/audit?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let (_, page, _) = try await server.request("GET", path, key: server.keys["auditor"])
            ids += (page["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(ids == [1, 2, 3, 4, 5])
        #expect(try await server.request("GET", "/api/audit?limit=0", key: server.keys["auditor"]).0 == 400)
    }

    @Test func badInputGetsClearErrors() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let key = server.keys["analyst"]
        let (malformed, error, _) = try await server.request("POST", "/api/ask", key: key, body: Data("{not json".utf8))
        #expect(malformed == 400)
        #expect((error["error"] as? [String: Any])?["details"] as? [String: String] == ["field": "body"])
        let (wrongType, typeError, _) = try await server.post("/api/ask", key: key, json: ["question": 42])
        #expect(wrongType == 400)
        #expect(((typeError["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("question:") == true)
        #expect(try await server.post("/api/ask", key: key, json: ["question": "x", "planner": "magic"]).0 == 400)
        #expect(try await server.request("POST", "/api/ask", key: key, body: Data([0xFF, 0xFE, 0x7B])).0 == 400)
        let big = Data(("{\"question\": \"" + String(repeating: "a", count: 2 << 20) + "\"}").utf8)
        let (tooLarge, largeError, _) = try await server.request("POST", "/api/ask", key: key, body: big)
        #expect(tooLarge == 413)
        #expect(Self.code(largeError) == "body_too_large")
        // 20 MB: refused from the declared length, and the client receives the answer.
        let huge = Data(repeating: UInt8(ascii: "a"), count: 20 << 20)
        let (hugeStatus, hugeError, _) = try await server.request("POST", "/api/ask", key: key, body: huge)
        #expect(hugeStatus == 413)
        #expect(Self.code(hugeError) == "body_too_large")
        // JSON routes take JSON: any other Content-Type is 415, before the body is read.
        let (plain, plainError, _) = try await server.request("POST", "/api/ask", key: key, body: Data("{\"question\": \"x\"}".utf8), headers: ["Content-Type": "text/plain"])
        #expect(plain == 415 && Self.code(plainError) == "unsupported_media_type", "\(plainError)")
        // Every field has a length limit: a 400 naming the field and the limit, nothing planned or stored.
        let (long, longError, _) = try await server.post("/api/ask", key: key, json: ["question": String(repeating: "lift ", count: 401)])
        #expect(long == 400 && Self.code(longError) == "too_long", "\(longError)")
        #expect(((longError["error"] as? [String: Any])?["details"] as? [String: String]) == ["field": "question", "limit": "2000"])
        let (longKey, longKeyError, _) = try await server.post("/api/track", key: server.keys["tracker"], json: [
            "experimentId": "exp_checkout_button", "variantId": "control", "userKey": String(repeating: "u", count: 300), "eventType": "exposure",
        ])
        #expect(longKey == 400 && Self.code(longKeyError) == "too_long", "\(longKeyError)")
        #expect(((longKeyError["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("userKey: at most 256 characters") == true, "\(longKeyError)")
        let (notFound, missing, _) = try await server.request("GET", "/api/nothing", key: key)
        #expect(notFound == 404)
        #expect(Self.code(missing) == "not_found")
        // A known route with the wrong method: 405 and the methods it takes.
        let (wrongMethod, methodError, response) = try await server.request("DELETE", "/api/ask", key: key)
        #expect(wrongMethod == 405)
        #expect(Self.code(methodError) == "method_not_allowed")
        #expect(response.value(forHTTPHeaderField: "Allow") == "POST")
        #expect(try await server.request("PUT", "/api/experiments/exp_checkout_button", key: key).2.value(forHTTPHeaderField: "Allow") == "GET")
        // Query parameters are checked, not ignored.
        let auditor = server.keys["auditor"]
        let (badSince, sinceError, _) = try await server.request("GET", "/api/audit?since=garbage", key: auditor)
        #expect(badSince == 400)
        #expect((sinceError["error"] as? [String: Any])?["details"] as? [String: String] == ["field": "since"])
        let (badBlocked, blockedError, _) = try await server.request("GET", "/api/audit?blocked=maybe", key: auditor)
        #expect(badBlocked == 400)
        #expect((blockedError["error"] as? [String: Any])?["details"] as? [String: String] == ["field": "blocked"])
        #expect(try await server.request("GET", "/api/audit?since=2026-10-01&blocked=false", key: auditor).0 == 200)
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let server = try await Harness(rate: 2)
        defer { server.stop() }
        var statuses: [Int] = []
        var retryAfter: String?
        for _ in 0..<6 {
            let (status, _, response) = try await server.request("GET", "/api/assets", key: server.keys["chat"])
            statuses.append(status)
            if status == 429 { retryAfter = response.value(forHTTPHeaderField: "Retry-After") }
        }
        #expect(statuses.prefix(2) == [200, 200])
        #expect(statuses.contains(429))
        #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
        // Another key has its own bucket.
        #expect(try await server.request("GET", "/api/assets", key: server.keys["analyst"]).0 == 200)
    }
}

@Suite("Event tracking over HTTP", .serialized)
struct TrackingTests {
    typealias Harness = ServerTests.Harness

    func track(_ server: Harness, _ payload: [String: Any], key role: String = "tracker") async throws -> (Int, [String: Any]) {
        let (status, body, _) = try await server.post("/api/track", key: server.keys[role], json: payload)
        return (status, body)
    }

    let exposure: [String: Any] = ["experimentId": "exp_checkout_button", "variantId": "treatment", "userKey": "u-new-1", "eventType": "exposure", "props": ["page": "cart"], "occurredAt": "2026-10-05T10:00:00Z"]

    @Test func trackAcceptsOnceAndAcknowledgesDuplicates() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let (status, first) = try await track(server, exposure)
        #expect(status == 200)
        #expect(first["success"] as? Bool == true)
        #expect(first["duplicate"] as? Bool == false)
        #expect(first["occurredAt"] as? String == "2026-10-05 10:00:00")
        let id = try #require(first["eventId"] as? Int)
        let (again, second) = try await track(server, exposure)
        #expect(again == 200)
        #expect(second["duplicate"] as? Bool == true)
        #expect(second["eventId"] as? Int == id)
        var conversion = exposure
        conversion["eventType"] = "conversion"
        conversion["props"] = ["value": 12.5]
        #expect(try await track(server, conversion).1["duplicate"] as? Bool == false)
    }

    @Test func trackValidatesEveryField() async throws {
        let server = try await Harness()
        defer { server.stop() }
        func with(_ changes: [String: Any?]) -> [String: Any] {
            var payload = exposure
            for (key, value) in changes { payload[key] = value }
            return payload
        }
        let cases: [([String: Any?], Int, String)] = [
            (["variantId": "treatment_z"], 400, "unknown_variant"),
            (["userKey": ""], 400, "invalid_request"),
            (["userKey": nil], 400, "invalid_request"),
            (["eventType": "click"], 400, "invalid_request"),
            (["occurredAt": "yesterday"], 400, "invalid_request"),
            (["props": "not an object"], 400, "invalid_request"),
            (["userKey": "a\u{0}b"], 400, "invalid_request"),  // PostgreSQL cannot store NUL: refused on both engines
            (["props": ["note": "x\u{0}y"]], 400, "invalid_request"),
            (["experimentId": "exp_nope"], 404, "unknown_experiment"),
            (["experimentId": 42], 404, "unknown_experiment"),
            (["experimentId": "exp_dark_mode", "variantId": "control"], 409, "experiment_not_running"),
        ]
        for (changes, status, code) in cases {
            let (got, body) = try await track(server, with(changes))
            #expect(got == status, "\(changes)")
            #expect(ServerTests.code(body) == code, "\(changes): \(body)")
        }
        #expect(try await track(server, exposure, key: "analyst").0 == 403)
    }

    @Test func bodiesThatAreNotJSONAreRefusedWithTheByte() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let key = server.keys["tracker"]
        let cases: [(String, String, String)] = [
            ("/api/track", #"{"experimentId":"exp_checkout_button","variantId":tru}"#, "byte 50: expected true"),
            ("/api/track", #"{"userKey":"a","userKey":"b",}"#, "byte 29"),
            ("/api/track", #"["not an object"]"#, "got an array"),
            ("/api/track/batch", #"{"events":[{"experimentId":1},]}"#, "byte 30"),
            ("/api/track/batch", #"{"events":{"experimentId":1}}"#, "a list of events"),
        ]
        for (path, body, expected) in cases {
            let (status, answer, _) = try await server.request("POST", path, key: key, body: Data(body.utf8), headers: ["Content-Type": "application/json"])
            #expect(status == 400, "\(body)")
            let message = (answer["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(expected), "\(body): \(message)")
        }
        #expect(try Connection(path: server.warehousePath, mode: .readOnly).scalar("SELECT count(*) FROM tracked_events").int64 == 0)
    }

    @Test func batchKeepsGoodEventsAndReportsEachOne() async throws {
        let server = try await Harness()
        defer { server.stop() }
        var events: [[String: Any]] = []
        for index in 0..<50 {
            var event = exposure
            event["userKey"] = "batch-\(index)"
            events.append(event)
        }
        events.append(events[0])  // duplicate
        events.append(["experimentId": "exp_checkout_button", "eventType": "exposure"])  // missing fields
        var odd = exposure
        odd["variantId"] = "we\"ird\\\n\u{1}arm"  // named back in the error message: escaped in the JSON
        events.append(odd)
        let (status, body, _) = try await server.post("/api/track/batch", key: server.keys["tracker"], json: ["events": events])
        #expect(status == 200)
        #expect(body["accepted"] as? Int == 50)
        #expect(body["duplicates"] as? Int == 1)
        #expect(body["errors"] as? Int == 2)
        let results = body["results"] as? [[String: Any]] ?? []
        #expect(results.count == 53)
        #expect(results[0]["status"] as? String == "accepted" && results[0]["index"] as? Int == 0 && results[0]["eventId"] is Int)
        #expect(results[50]["status"] as? String == "duplicate" && results[50]["eventId"] as? Int == results[0]["eventId"] as? Int)
        #expect(results[51]["status"] as? String == "error")
        let message = (results[52]["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect((results[52]["error"] as? [String: Any])?["code"] as? String == "unknown_variant")
        #expect(message.contains("we\"ird\\\n\u{1}arm"), "\(message)")
    }

    @Test func concurrentDuplicatesStoreOneEvent() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let body = try JSONSerialization.data(withJSONObject: exposure)
        let key = server.keys["tracker"]
        let outcomes = try await withThrowingTaskGroup(of: Bool?.self) { group in
            for _ in 0..<12 {
                group.addTask { try await server.request("POST", "/api/track", key: key, body: body).1["duplicate"] as? Bool }
            }
            var all: [Bool?] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == false }.count == 1)
        #expect(outcomes.filter { $0 == true }.count == 11)
    }
}

@Suite("Experiment workflow over HTTP", .serialized)
struct ExperimentWorkflowTests {
    typealias Harness = ServerTests.Harness

    @Test func intakeTransitionsDecisionAndMemo() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let admin = server.keys["admin"]
        let intake: [String: Any] = [
            "name": "Bigger buy button", "hypothesis": "A bigger button raises conversion.", "primaryMetric": "conversion_7d", "owner": "team-checkout",
            "variants": [["id": "control", "allocation": 0.5, "isControl": true], ["id": "treatment", "allocation": 0.5]],
        ]
        let (created, experiment, _) = try await server.post("/api/experiments", key: admin, json: intake)
        #expect(created == 201)
        #expect(experiment["id"] as? String == "exp_bigger_buy_button")
        #expect(experiment["status"] as? String == "draft")
        var bad = intake
        bad["variants"] = [["id": "control", "allocation": 0.5, "isControl": true], ["id": "treatment", "allocation": 0.6]]
        let (invalid, error, _) = try await server.post("/api/experiments", key: admin, json: bad)
        #expect(invalid == 400)
        #expect(((error["error"] as? [String: Any])?["message"] as? String)?.contains("add up to 1") == true)
        #expect(try await server.post("/api/experiments", key: admin, json: intake).0 == 409)
        #expect(try await server.post("/api/experiments", key: server.keys["analyst"], json: intake).0 == 403)

        let id = "exp_bigger_buy_button"
        let (skip, skipError, _) = try await server.post("/api/experiments/\(id)/transition", key: admin, json: ["to": "shipped"])
        #expect(skip == 409)
        #expect(((skipError["error"] as? [String: Any])?["details"] as? [String: String])?["allowed"] == "review")
        for target in ["review", "running"] {
            let (status, moved, _) = try await server.post("/api/experiments/\(id)/transition", key: admin, json: ["to": target])
            #expect(status == 200)
            #expect(moved["status"] as? String == target)
        }
        let (decided, record, _) = try await server.post("/api/experiments/exp_checkout_button/decision", key: admin, json: ["decision": "ship", "rationale": "Significant lift, guardrails fine."])
        #expect(decided == 200)
        let decisions = record["decisions"] as? [[String: Any]] ?? []
        #expect(decisions.last?["decidedBy"] as? String == "admin-key")
        #expect(decisions.last?["decision"] as? String == "ship")
        let (_, listed, _) = try await server.request("GET", "/api/experiments?status=running", key: server.keys["analyst"])
        let ids = (listed["experiments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains(id))
        #expect(ids.contains("exp_checkout_button"))

        let (resultsStatus, results, _) = try await server.request("GET", "/api/experiments/exp_checkout_button/results?mode=itt", key: server.keys["chat"])
        #expect(resultsStatus == 200)
        #expect((results["experiment"] as? [String: Any])?["id"] as? String == "exp_checkout_button")
        #expect(results["decision"] != nil)
        var request = URLRequest(url: URL(string: server.base + "/api/experiments/exp_checkout_button/memo?format=html")!)
        request.setValue("Bearer \(server.keys["chat"] ?? "")", forHTTPHeaderField: "Authorization")
        let (memo, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/html") == true)
        #expect(String(decoding: memo, as: UTF8.self).contains("<svg"))
        let (_, log, _) = try await server.request("GET", "/api/audit", key: server.keys["auditor"])
        #expect((log["entries"] as? [[String: Any]] ?? []).contains { $0["decision"] as? String == "decision_recorded" && $0["principal"] as? String == "admin-key" })
    }

    @Test func rowPoliciesDecideWhichExperimentsARoleSees() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let (_, listed, _) = try await server.request("GET", "/api/experiments", key: server.keys["team_growth"])
        let ids = Set((listed["experiments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(ids == ["exp_pricing_page", "exp_signup_flow"])
        #expect(try await server.request("GET", "/api/experiments/exp_checkout_button", key: server.keys["team_growth"]).0 == 404)
        #expect(try await server.request("GET", "/api/experiments/exp_checkout_button/results", key: server.keys["team_growth"]).0 == 404)
        #expect(try await server.request("GET", "/api/experiments", key: server.keys["tracker"]).0 == 403)
        #expect(try await server.request("GET", "/api/experiments?status=finished", key: server.keys["admin"]).0 == 400)
    }
}

@Suite("OpenAPI spec and router agree")
struct OpenAPITests {
    static func specRoutes() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        // Paths are the two-space-indented keys under `paths:`; methods the four-space ones below them.
        var routes: [String] = []
        var inPaths = false
        var path = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            for method in ["get", "post", "put", "delete", "patch"] where line == "    \(method):" { routes.append("\(method.uppercased()) \(path)") }
        }
        return routes.sorted()
    }

    @Test func specListsExactlyTheRouterCatalogue() throws {
        #expect(try Self.specRoutes() == ReadoutRoutes.catalogue.map { "\($0.method) \($0.path)" }.sorted())
    }

    /// Every catalogued route is served: unauthenticated it answers 401 (the route matched and
    /// auth ran), where an unknown route answers 404.
    @Test func everyCataloguedRouteIsServed() async throws {
        let server = try await ServerTests.Harness()
        defer { server.stop() }
        for route in ReadoutRoutes.catalogue {
            let path = route.path.replacingOccurrences(of: "{id}", with: "exp_checkout_button").replacingOccurrences(of: "{name}", with: "metrics")
            let (status, _, _) = try await server.request(route.method, path, body: route.method == "POST" ? Data("{}".utf8) : nil)
            #expect(status == (path == "/healthz" ? 200 : 401), "\(route.method) \(path)")
        }
        #expect(try await server.request("GET", "/api/unlisted").0 == 404)
        // A known path with a method it does not take: 405 with Allow (not 404).
        #expect(try await server.request("DELETE", "/api/experiments/exp_checkout_button").0 == 405)
    }
}

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test func metricsNeedAdminOrScrapeTokenAndCountWhatMatters() async throws {
        let server = try await ServerTests.Harness()
        defer { server.stop() }
        _ = try await server.post("/api/query", key: server.keys["chat"], json: ["sql": "SELECT email FROM users"])
        _ = try await server.post("/api/track", key: server.keys["tracker"], json: ["experimentId": "exp_checkout_button", "variantId": "control", "userKey": "m-1", "eventType": "exposure"])
        #expect(try await server.request("GET", "/metrics").0 == 401)
        #expect(try await server.request("GET", "/metrics", key: server.keys["chat"]).0 == 403)
        var request = URLRequest(url: URL(string: server.base + "/metrics")!)
        request.setValue("Bearer scrape-secret", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("readout_guard_decisions_total{decision=\"blocked\",code=\"table_not_allowed\"}"))
        #expect(text.contains("readout_ingested_events_total{status=\"accepted\"}"))
        #expect(text.contains("hb_requests"))
        #expect(try await server.request("GET", "/metrics", key: server.keys["admin"]).0 == 200)
    }
}
