import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MCP
import PostgresWarehouse
import ReadoutTesting
import Testing
import Warehouse

/// The service side on a real PostgreSQL server: `keys`, `serve` (tracking with its idempotency,
/// the background refresh, questions and SQL as the caller's contract role, the experiment
/// workflow, the dashboard pages) and `mcp`, all with `--warehouse postgresql://…`.
@Suite("readout serve and mcp on PostgreSQL", .serialized)
struct PostgresServeTests {
    let cli = CLITests()

    /// One HTTP call; the status and the JSON body (an empty dictionary when it is not JSON).
    static func call(_ base: String, _ path: String, key: String, json: [String: Any]? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    static func exposure(_ experiment: String, _ variant: String, _ user: String) -> [String: Any] {
        ["experimentId": experiment, "variantId": variant, "userKey": user, "eventType": "exposure"]
    }

    @Test("keys, tracking, refresh, questions, the workflow and the pages run on PostgreSQL")
    func serveOnPostgres() async throws {
        let url = try PostgresServer.shared().newDatabase("serve")
        let audit = TestScratch.file("pg-serve-audit.db")
        let env = ["READOUT_WAREHOUSE": url, "READOUT_AUDIT_DB": audit]
        #expect(try cli.run(["demo", "--warehouse", url, "--users", "1000"]).status == 0)
        func key(_ role: String) throws -> String {
            let created = try cli.run(["keys", "create", "--role", role, "--name", "pg-\(role)"], environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (tracker, analyst, admin) = (try key("tracker"), try key("analyst"), try key("admin"))
        let spare = try key("chat")
        let listed = try cli.run(["keys", "list", "--warehouse", url])
        #expect(listed.status == 0 && listed.stdout.contains("pg-tracker") && listed.stdout.contains("pg-chat"), "\(listed.stdout)\(listed.stderr)")
        #expect(try cli.run(["keys", "revoke", "pg-chat", "--warehouse", url]).status == 0)
        #expect(try cli.run(["keys", "revoke", "pg-chat", "--warehouse", url]).status != 0)  // no active key of that name any more

        let session = try PostgresSession(url: try PostgresURL(parsing: url))
        let users = "SELECT sum(n_users) FROM agg_experiment_metric_by_variant WHERE experiment_id = 'exp_checkout_button' AND metric_id = 'conversion_7d' AND analysis_mode = 'itt'"
        let before = try session.scalar(users).int64 ?? 0

        let (server, base) = try ServeCLITests().start(env, extra: ["--refresh-every", "1"])
        defer { server.stop() }
        let (healthStatus, health) = try await Self.call(base, "/healthz", key: "")
        #expect(healthStatus == 200 && health["warehouse"] as? String == "ok", "\(health)")
        let (revokedStatus, _) = try await Self.call(base, "/api/experiments", key: spare)
        #expect(revokedStatus == 401)

        // Tracking: stored once, durable before the answer; a repeat is acknowledged and stores nothing.
        for index in 0..<5 {
            let (status, body) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure("exp_checkout_button", "control", "pg-fresh-\(index)"))
            #expect(status == 200 && body["duplicate"] as? Bool == false, "\(body)")
        }
        let (repeatStatus, repeated) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure("exp_checkout_button", "control", "pg-fresh-0"))
        #expect(repeatStatus == 200 && repeated["duplicate"] as? Bool == true, "\(repeated)")
        let (unknownStatus, unknown) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure("exp_checkout_button", "nope", "pg-x"))
        #expect(unknownStatus == 400 && (unknown["error"] as? [String: Any])?["code"] as? String == "unknown_variant", "\(unknown)")
        #expect(try session.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'pg-fresh-%'").int64 == 5)
        #expect(try session.scalar("SELECT count(*) FROM fct_events WHERE unit_id LIKE 'pg-fresh-%'").int64 == 5)
        #expect(try session.scalar("SELECT count(*) FROM fct_experiment_assignments WHERE unit_id LIKE 'pg-fresh-%'").int64 == 5)
        #expect(try session.scalar("SELECT count(*) FROM fct_events WHERE unit_id = 'pg-x'").int64 == 0)
        // A batch: each event on its own savepoint, one bad event does not sink the others.
        let batch: [[String: Any]] = [
            Self.exposure("exp_checkout_button", "treatment", "pg-batch-1"), Self.exposure("exp_checkout_button", "treatment", "pg-batch-2"),
            Self.exposure("exp_checkout_button", "treatment", "pg-batch-1"), Self.exposure("exp_checkout_button", "nope", "pg-batch-3"),
        ]
        let (batchStatus, batched) = try await Self.call(base, "/api/track/batch", key: tracker, json: ["events": batch])
        #expect(batchStatus == 200 && batched["accepted"] as? Int == 2 && batched["duplicates"] as? Int == 1 && batched["errors"] as? Int == 1, "\(batched)")
        #expect(try session.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'pg-batch-%'").int64 == 2)

        // The background refresh brings them into the models (and keeps the grants: the analyst's query below).
        var after = before
        for _ in 0..<80 where after != before + 7 {  // five single events and the batch's two new users
            try await Task.sleep(for: .milliseconds(250))
            after = try session.scalar(users).int64 ?? 0
        }
        #expect(after == before + 7)

        // Typed SQL in PostgreSQL's dialect runs as the analyst's contract role; the guard refuses the rest.
        let (queryStatus, query) = try await Self.call(base, "/api/query", key: analyst, json: ["sql": "SELECT experiment_id FROM experiments WHERE name ILIKE '%checkout%'"])
        #expect(queryStatus == 200 && "\(query["rows"] ?? "")".contains("exp_checkout_button"), "\(query)")
        let (blockedStatus, blocked) = try await Self.call(base, "/api/query", key: analyst, json: ["sql": "SELECT pg_read_file('/etc/passwd')"])
        #expect(blockedStatus != 200 && "\(blocked)".contains("function_not_allowed"), "\(blocked)")
        let (askStatus, asked) = try await Self.call(base, "/api/ask", key: analyst, json: ["question": "what is the lift on checkout button?"])
        #expect(askStatus == 200 && (asked["readout"] as? String ?? "").hasPrefix("In exp_checkout_button (ITT)"), "\(asked)")

        // The workflow: intake, review, start, events for the new experiment, a decision; results on the server's data.
        let intake: [String: Any] = [
            "name": "Banner on PostgreSQL", "hypothesis": "A banner lifts conversion.", "primaryMetric": "conversion_7d", "owner": "tests",
            "variants": [["id": "control", "name": "Control", "allocation": 0.5, "isControl": true], ["id": "banner", "name": "Banner", "allocation": 0.5]],
        ]
        let (createdStatus, created) = try await Self.call(base, "/api/experiments", key: admin, json: intake)
        #expect(createdStatus == 201 && created["status"] as? String == "draft", "\(created)")
        let banner = created["id"] as? String ?? "exp_banner_on_postgresql"
        let (draftTrack, _) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure(banner, "banner", "pg-b1"))
        #expect(draftTrack == 409)
        let (reviewStatus, _) = try await Self.call(base, "/api/experiments/\(banner)/transition", key: admin, json: ["to": "review"])
        #expect(reviewStatus == 200)
        let (startedStatus, started) = try await Self.call(base, "/api/experiments/\(banner)/transition", key: admin, json: ["to": "running"])
        #expect(startedStatus == 200 && started["status"] as? String == "running", "\(started)")
        let (runningTrack, tracked) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure(banner, "banner", "pg-b1"))
        #expect(runningTrack == 200 && tracked["duplicate"] as? Bool == false, "\(tracked)")
        let (decidedStatus, decided) = try await Self.call(base, "/api/experiments/\(banner)/decision", key: admin, json: ["decision": "kill", "rationale": "Test."])
        #expect(decidedStatus == 200 && "\(decided["decisions"] ?? "")".contains("kill"), "\(decided)")
        let (resultsStatus, results) = try await Self.call(base, "/api/experiments/exp_checkout_button/results", key: analyst)
        #expect(resultsStatus == 200 && results["decision"] != nil, "\(results.keys)")

        // The server drops every connection (a restart, a failover, an administrator): the service
        // reconnects between transactions, so tracking and questions go on without a restart.
        let dropped = try session.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        #expect(dropped.count >= 3, "the writer, the reader and the pool's connections")
        for _ in 0..<100 where try session.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").int64 != 0 {
            try await Task.sleep(for: .milliseconds(50))  // until the server has closed them all
        }
        let (afterDrop, afterDropBody) = try await Self.call(base, "/api/track", key: tracker, json: Self.exposure("exp_checkout_button", "treatment", "pg-after-drop"))
        #expect(afterDrop == 200 && afterDropBody["duplicate"] as? Bool == false, "\(afterDrop) \(afterDropBody)")
        let (queryAfterDrop, _) = try await Self.call(base, "/api/query", key: analyst, json: ["sql": "SELECT count(*) AS n FROM experiments"])
        #expect(queryAfterDrop == 200)
        let (healthAfterDrop, _) = try await Self.call(base, "/healthz", key: "")
        #expect(healthAfterDrop == 200)

        // The dashboard: sign in with the analyst's key, then the experiment's page.
        let configuration = URLSessionConfiguration.ephemeral  // cookies of its own, kept in memory
        configuration.httpCookieAcceptPolicy = .always
        let browser = URLSession(configuration: configuration)
        let (loginPage, _) = try await browser.data(from: URL(string: base + "/login")!)
        let html = String(decoding: loginPage, as: UTF8.self)
        let csrf = html.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression).map { String(html[$0].dropFirst(19).dropLast()) } ?? ""
        var login = URLRequest(url: URL(string: base + "/login")!)
        login.httpMethod = "POST"
        login.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let form = ["csrf": csrf, "key": analyst, "next": "/experiments/exp_checkout_button"].map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        login.httpBody = Data(form.utf8)
        let (page, pageResponse) = try await browser.data(for: login)
        let body = String(decoding: page, as: UTF8.self)
        #expect((pageResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(body.contains("Checkout button redesign") && body.contains("exp_checkout_button"), "\(body.prefix(400))")
    }

    /// Killed without warning while events flow, the server has lost no acknowledged event: each
    /// answer was sent after PostgreSQL's COMMIT returned.
    @Test("kill -9 under load loses no acknowledged event on PostgreSQL")
    func killNineOnPostgres() async throws {
        let url = try PostgresServer.shared().newDatabase("kill")
        let env = ["READOUT_WAREHOUSE": url, "READOUT_AUDIT_DB": TestScratch.file("pg-kill-audit.db")]
        #expect(try cli.run(["demo", "--warehouse", url, "--users", "1000"]).status == 0)
        let key = try cli.run(["keys", "create", "--role", "tracker", "--name", "app"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = ServeCLITests()
        let (server, base) = try serve.start(env)
        let stop = StopFlag()
        let flood = Task {
            var index = 0
            while !stop.isSet {
                _ = try? await serve.track(base, key: key, user: "flood-\(index)")
                index += 1
            }
        }
        var acknowledged = 0
        for index in 0..<100 where (try? await serve.track(base, key: key, user: "acked-\(index)")) == 200 { acknowledged += 1 }
        kill(server.pid, SIGKILL)
        #expect(server.wait())
        stop.set()
        await flood.value
        #expect(acknowledged == 100)
        let session = try PostgresSession(url: try PostgresURL(parsing: url))
        #expect(try session.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'acked-%'").int64 == Int64(acknowledged))
        #expect(try session.scalar("SELECT count(*) FROM tracked_events t LEFT JOIN fct_events e ON e.event_id = t.event_id WHERE e.event_id IS NULL").int64 == 0)
        let (again, againBase) = try serve.start(env)
        defer { again.stop() }
        #expect(try await serve.track(againBase, key: key, user: "acked-0") == 200)  // a duplicate, acknowledged
        #expect(try session.scalar("SELECT count(*) FROM tracked_events WHERE unit_id = 'acked-0'").int64 == 1)
    }

    @Test("readout mcp answers on PostgreSQL through the guard")
    func mcpOnPostgres() async throws {
        let url = try PostgresServer.shared().newDatabase("mcp")
        #expect(try cli.run(["demo", "--warehouse", url, "--users", "1000"]).status == 0)
        let (client, child) = try await MCPCLITests.launch(["--warehouse", url, "--audit-db", TestScratch.file("pg-mcp-audit.db"), "--role", "analyst"])
        defer { child.stop() }
        do {
            let asked = try await client.callTool(name: "ask", arguments: ["question": "what is the lift on checkout button?"])
            #expect(asked.isError != true && MCPCLITests.text(asked.content).hasPrefix("In exp_checkout_button (ITT)"), "\(MCPCLITests.text(asked.content))")
            let ran = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT experiment_id, started_at::date AS started FROM experiments ORDER BY 1"])
            #expect(ran.isError != true && MCPCLITests.text(ran.content).contains("2026-10-01"), "\(MCPCLITests.text(ran.content))")
            let refused = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT * FROM pg_catalog.pg_authid"])
            #expect(refused.isError == true)
            let results = try await client.callTool(name: "experiment_results", arguments: ["experiment_id": "exp_checkout_button"])
            #expect(MCPCLITests.text(results.content).contains("\"comparisons\""))
        } catch {
            await client.disconnect()
            throw error
        }
        await client.disconnect()
    }
}
