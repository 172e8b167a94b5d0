import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MCP
import Testing
import ReadoutTesting
import Warehouse

/// `readout serve`'s `/mcp` as a real process on 127.0.0.1: the MCP SDK's own HTTP client (tools,
/// answers, guarded queries, resources, the admin-only decision tool, audit with channel `mcp`), and
/// the transport itself over raw HTTP (keys and roles, Origin, sessions bound to their key, SSE
/// streams and resumption with Last-Event-ID).
@Suite("readout serve /mcp over Streamable HTTP", .serialized)
struct MCPHTTPTests {
    let cli = CLITests()

    struct Served {
        let process: Child
        let base: String
        let keys: [String: String]
        let audit: String
        let db: String
        func stop() { process.stop() }
    }

    /// A fresh demo warehouse, one key per role, and `readout serve --port 0` on it.
    func start(_ extra: [String] = []) throws -> Served {
        let dir = try cli.scratch()
        let db = dir.appendingPathComponent("w.db").path
        let audit = dir.appendingPathComponent("audit.db").path
        let env = ["READOUT_DB": db, "READOUT_AUDIT_DB": audit]
        #expect(try cli.run(["demo", "--db", db, "--users", "2000"]).status == 0)
        var keys: [String: String] = [:]
        for role in ["analyst", "admin", "auditor", "team_growth"] {
            keys[role] = try cli.run(["keys", "create", "--role", role, "--name", "\(role)-bot"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (process, base) = try ServeCLITests().start(env, extra: extra)
        return Served(process: process, base: base, keys: keys, audit: audit, db: db)
    }

    /// An SDK client on `/mcp` with `key`; disconnected after `body`, whether it passed or threw.
    func client(_ served: Served, key: String, _ body: (Client) async throws -> Void) async throws {
        let transport = HTTPClientTransport(endpoint: URL(string: served.base + "/mcp")!, streaming: false, requestModifier: { request in
            var request = request
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            return request
        })
        let client = Client(name: "readout-tests", version: "1")
        do {
            _ = try await client.connect(transport: transport)
            try await body(client)
        } catch {
            await client.disconnect()
            throw error
        }
        await client.disconnect()
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    // The SDK's HTTP client on Linux reads JSON bodies only, so this server answers POSTs with JSON.
    @Test func sdkClientOverHTTP() async throws {
        let served = try start(["--mcp-json-responses"])
        defer { served.stop() }
        try await client(served, key: served.keys["analyst"]!) { client in
            let (tools, _) = try await client.listTools()
            #expect(Set(tools.map(\.name)) == ["ask", "run_query", "dry_run", "list_assets", "describe_asset", "list_experiments", "experiment_results", "decision_memo"])
            #expect(tools.allSatisfy { $0.annotations.readOnlyHint == true })
            let asked = try await client.callTool(name: "ask", arguments: ["question": "what is the lift on checkout button?"])
            #expect(asked.isError != true && Self.text(asked.content).hasPrefix("In exp_checkout_button (ITT)"), "\(Self.text(asked.content))")
            // Structured content carries the verdict, the audit id, the SQL and the rows' shape, typed.
            let full = try await client.send(CallTool.request(.init(name: "ask", arguments: ["question": "conversion rates by variant for signup flow"]))).value
            let structured = try #require(full.structuredContent?.objectValue)
            #expect(structured["decision"] == .string("approved") && structured["truncated"] == .bool(false), "\(structured.keys.sorted())")
            #expect(structured["rowCount"] == .int(2) && structured["auditId"]?.intValue != nil, "\(structured)")
            #expect(structured["sql"]?.stringValue?.contains("fct_experiment_results") == true, "\(structured)")
            let ran = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT experiment_id, status FROM experiments"])
            #expect(ran.isError != true && Self.text(ran.content).contains("exp_checkout_button"))
            let refused = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT email FROM users"])
            #expect(refused.isError == true && Self.text(refused.content).contains("table_not_allowed"))
            let dry = try await client.callTool(name: "dry_run", arguments: ["sql": "SELECT experiment_id FROM experiments"])
            #expect(dry.isError != true && Self.text(dry.content).contains("LIMIT 1000"))
            let results = try await client.callTool(name: "experiment_results", arguments: ["experiment_id": "exp_checkout_button", "mode": "exposed"])
            #expect(Self.text(results.content).contains("\"comparisons\""))
            let contract = try await client.readResource(uri: "readout://contract").compactMap(\.text).joined()
            #expect(contract.contains("\"role\":\"analyst\"") && !contract.contains("\"email\""))
            await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "drop_tables", arguments: [:]) }
        }
        // Row policies apply: team_growth sees only its own experiments.
        try await client(served, key: served.keys["team_growth"]!) { client in
            let listed = try await client.callTool(name: "list_experiments", arguments: [:])
            let text = Self.text(listed.content)
            #expect(text.contains("team-growth") && !text.contains("owner team-search"), "\(text)")
        }
        // Admin is offered the one tool that changes state, marked destructive, and it is audited.
        try await client(served, key: served.keys["admin"]!) { client in
            let (tools, _) = try await client.listTools()
            let decide = try #require(tools.first { $0.name == "record_decision" })
            #expect(decide.annotations.destructiveHint == true && decide.annotations.readOnlyHint == false)
            #expect(!tools.contains { $0.name == "run_query" })
            let decided = try await client.callTool(name: "record_decision", arguments: ["experiment_id": "exp_checkout_button", "decision": "ship", "rationale": "Primary metric up, guardrails flat."])
            #expect(decided.isError != true && Self.text(decided.content).contains("Recorded ship"), "\(Self.text(decided.content))")
        }
        // MCP's questions and queries count in the guard metrics as REST's do.
        var scrape = URLRequest(url: URL(string: served.base + "/metrics")!)
        scrape.setValue("Bearer \(served.keys["admin"]!)", forHTTPHeaderField: "Authorization")
        let metrics = String(decoding: try await URLSession.shared.data(for: scrape).0, as: UTF8.self)
        #expect(metrics.contains(#"readout_guard_decisions_total{decision="blocked",code="table_not_allowed"} 1"#), "\(metrics.split(separator: "\n").filter { $0.contains("guard") })")
        served.stop()
        let audit = try Connection(path: served.audit, mode: .readOnly)
        let entries = try audit.rows("SELECT channel, principal, decision FROM audit_log ORDER BY id").map { row in (0..<3).map { row[$0].string ?? "" } }
        #expect(entries.allSatisfy { $0[0] == "mcp" }, "\(entries)")
        #expect(entries.map { $0[2] } == ["approved", "approved", "approved", "blocked", "decision_recorded"], "\(entries)")
        #expect(entries.first?[1] == "analyst-bot" && entries.last?[1] == "admin-bot")
        let decisions = try Connection(path: served.db, mode: .readOnly).scalar("SELECT count(*) FROM experiment_decisions WHERE decided_by = 'admin-bot'").int64
        #expect(decisions == 1)
    }

    // MARK: The transport over raw HTTP (the server's default: SSE answers)

    typealias Reply = StreamReader.Reply

    static var initialize: [String: Any] { ["jsonrpc": "2.0", "id": 1, "method": "initialize",
                                            "params": ["protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any], "clientInfo": ["name": "raw", "version": "1"]]] }

    /// One request to `/mcp`; SSE bodies are read until `until` appears (or the stream ends).
    func send(_ served: Served, _ method: String = "POST", key: String?, session: String? = nil, json: [String: Any]? = nil,
              headers: [String: String] = [:], until: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: served.base + "/mcp")!)
        request.httpMethod = method
        request.timeoutInterval = 15
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        request.setValue(method == "GET" ? "text/event-stream" : "application/json, text/event-stream", forHTTPHeaderField: "Accept")
        request.setValue("2025-06-18", forHTTPHeaderField: "MCP-Protocol-Version")
        if let session { request.setValue(session, forHTTPHeaderField: "Mcp-Session-Id") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await StreamReader.read(request, until: until)
    }

    /// Initializes a session for `key` and returns its id.
    func open(_ served: Served, key: String) async throws -> String {
        let reply = try await send(served, key: key, json: Self.initialize, until: "\"result\"")
        let session = try #require(reply.header("Mcp-Session-Id"), "\(reply)")
        _ = try await send(served, key: key, session: session, json: ["jsonrpc": "2.0", "method": "notifications/initialized"])
        return session
    }

    @Test func keysRolesOriginsAndSessions() async throws {
        let served = try start()
        defer { served.stop() }
        let analyst = served.keys["analyst"]!
        // No key, a bad key: 401 with the Bearer challenge. A role without MCP tools: 403.
        let anonymous = try await send(served, key: nil, json: Self.initialize)
        #expect(anonymous.status == 401 && anonymous.header("WWW-Authenticate") == "Bearer")
        #expect(try await send(served, key: "rdo_nope", json: Self.initialize).status == 401)
        let auditor = try await send(served, key: served.keys["auditor"]!, json: Self.initialize)
        #expect(auditor.status == 403 && auditor.body.contains("no MCP tools"), "\(auditor)")
        // A browser page from another origin is refused; a loopback origin is not (bound to loopback).
        let evil = try await send(served, key: analyst, json: Self.initialize, headers: ["Origin": "https://evil.example"])
        #expect(evil.status == 403 && evil.body.contains("--mcp-allow-origin"), "\(evil)")
        let local = try await send(served, key: analyst, json: Self.initialize, headers: ["Origin": "http://localhost:5173"], until: "\"result\"")
        #expect(local.status == 200)

        let session = try await open(served, key: analyst)
        // A tool the role may not use: 403, nothing recorded.
        let decide = try await send(served, key: analyst, session: session, json: ["jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                    "params": ["name": "record_decision", "arguments": ["experiment_id": "exp_checkout_button", "decision": "kill", "rationale": "x"]]])
        #expect(decide.status == 403 && decide.body.contains("may not use record_decision"), "\(decide)")
        // Another key cannot use this session; without a session id only initialize is accepted.
        let stolen = try await send(served, key: served.keys["team_growth"]!, session: session, json: ["jsonrpc": "2.0", "id": 3, "method": "tools/list"])
        #expect(stolen.status == 404)
        #expect(try await send(served, key: analyst, json: ["jsonrpc": "2.0", "id": 3, "method": "tools/list"]).status == 400)
        // Bad JSON-RPC is a 400 with a JSON-RPC parse error.
        var bad = URLRequest(url: URL(string: served.base + "/mcp")!)
        bad.httpMethod = "POST"
        bad.setValue("Bearer \(analyst)", forHTTPHeaderField: "Authorization")
        bad.setValue("application/json", forHTTPHeaderField: "Content-Type")
        bad.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        bad.setValue(session, forHTTPHeaderField: "Mcp-Session-Id")
        bad.httpBody = Data("{not json".utf8)
        let parse = try await StreamReader.read(bad, until: nil)
        #expect(parse.status == 400 && parse.body.contains("-32700"), "\(parse)")
        // DELETE ends the session; it is gone afterwards.
        #expect(try await send(served, "DELETE", key: analyst, session: session).status == 200)
        #expect(try await send(served, key: analyst, session: session, json: ["jsonrpc": "2.0", "id": 4, "method": "tools/list"]).status == 404)
        let decisions = try Connection(path: served.db, mode: .readOnly).scalar("SELECT count(*) FROM experiment_decisions WHERE decided_by = 'analyst-bot'").int64
        #expect(decisions == 0)
    }

    @Test func sseAnswersAndResumption() async throws {
        let served = try start()
        defer { served.stop() }
        let analyst = served.keys["analyst"]!
        let session = try await open(served, key: analyst)
        // A call's answer comes as an SSE stream: a priming event (its id is the resumption point), then the message.
        let asked = try await send(served, key: analyst, session: session, json: ["jsonrpc": "2.0", "id": 7, "method": "tools/call",
                                   "params": ["name": "ask", "arguments": ["question": "how many experiments are running?"]]], until: "\"result\"")
        #expect(asked.status == 200 && asked.header("Content-Type") == "text/event-stream", "\(asked)")
        #expect(asked.body.contains("event: message") && asked.body.contains("\"id\":7"), "\(asked.body)")
        let priming = try #require(asked.body.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) })
        // A client that lost the stream reconnects with Last-Event-ID and gets the answer again.
        let resumed = try await send(served, "GET", key: analyst, session: session, headers: ["Last-Event-ID": priming], until: "\"id\":7")
        #expect(resumed.status == 200 && resumed.body.contains("\"id\":7") && resumed.body.contains("running"), "\(resumed)")
        #expect(try await send(served, "GET", key: analyst, session: session, headers: ["Last-Event-ID": "nope"]).status == 400)
        // The standalone stream for server messages opens with its priming event.
        let stream = try await send(served, "GET", key: analyst, session: session, until: "retry:")
        #expect(stream.status == 200 && stream.body.contains("_GET_stream"), "\(stream)")
    }
}
