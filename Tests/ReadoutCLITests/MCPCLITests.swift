import Foundation
import MCP
import SystemPackage
import Testing
import Warehouse

/// `readout mcp` as a real process, driven by the MCP SDK's own client over stdio: tools with
/// their annotations, answers, guarded and refused queries, resources, the prompt, bad calls, and
/// audit entries with channel `mcp`.
@Suite("readout mcp over stdio", .serialized)
struct MCPCLITests {
    let cli = CLITests()

    /// Starts `readout mcp` on a fresh demo warehouse and connects a client to its pipes.
    func connect() async throws -> (Client, Child, audit: String) {
        let dir = try cli.scratch()
        let db = dir.appendingPathComponent("w.db").path
        let audit = dir.appendingPathComponent("audit.db").path
        #expect(try cli.run(["demo", "--db", db, "--users", "2000"]).status == 0)
        let (client, child) = try await Self.launch(["--db", db, "--audit-db", audit, "--role", "analyst"])
        return (client, child, audit)
    }

    /// Starts `readout mcp` with `arguments` and connects the MCP SDK's client to its pipes.
    static func launch(_ arguments: [String]) async throws -> (Client, Child) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["mcp"] + arguments
        process.currentDirectoryURL = CLITests.repositoryRoot
        let toServer = Pipe(), fromServer = Pipe()
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = FileHandle.nullDevice
        let child = Child(process)
        try child.run()
        let transport = StdioTransport(input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
                                       output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
        let client = Client(name: "readout-tests", version: "1")
        _ = try await client.connect(transport: transport)
        return (client, child)
    }

    /// Runs `body` against a fresh server; the client is disconnected (its read loop stopped) and
    /// the process ended afterwards, whether `body` passed or threw.
    func session(_ body: (Client, String) async throws -> Void) async throws {
        let (client, process, audit) = try await connect()
        do {
            try await body(client, audit)
        } catch {
            await client.disconnect()
            process.stop()
            throw error
        }
        await client.disconnect()
        process.stop()
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    @Test func toolsAnswerThroughTheGuardAndAreAudited() async throws {
        try await session { client, audit in
        let (tools, _) = try await client.listTools()
        #expect(Set(tools.map(\.name)) == ["ask", "run_query", "dry_run", "list_assets", "describe_asset", "list_experiments", "experiment_results", "decision_memo"])
        #expect(tools.allSatisfy { $0.annotations.readOnlyHint == true && $0.annotations.destructiveHint == false })

        // ask: the readout first, then rows, SQL and verdict.
        let asked = try await client.callTool(name: "ask", arguments: ["question": "what is the lift on checkout button?"])
        let answer = Self.text(asked.content)
        #expect(asked.isError != true && answer.hasPrefix("In exp_checkout_button (ITT)"), "\(answer)")
        #expect(answer.contains("Decision: approved") && answer.contains("Audit entry: "))

        // run_query: allowed, and refused with the guard's reasons (never run).
        let ran = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT experiment_id, status FROM experiments"])
        #expect(ran.isError != true && Self.text(ran.content).contains("exp_checkout_button"))
        let refused = try await client.callTool(name: "run_query", arguments: ["sql": "SELECT email FROM users"])
        #expect(refused.isError == true && Self.text(refused.content).contains("table_not_allowed"), "\(Self.text(refused.content))")

        // dry_run: the decision and the SQL it would run, nothing executed.
        let dry = try await client.callTool(name: "dry_run", arguments: ["sql": "SELECT experiment_id FROM experiments"])
        #expect(dry.isError != true && Self.text(dry.content).contains("LIMIT 1000"), "\(Self.text(dry.content))")

        // Assets never list a personal-data column; results are the engine's JSON.
        let assets = try await client.callTool(name: "list_assets", arguments: [:])
        #expect(Self.text(assets.content).contains("fct_experiment_results") && !Self.text(assets.content).contains("users:"))
        let results = try await client.callTool(name: "experiment_results", arguments: ["experiment_id": "exp_checkout_button"])
        #expect(Self.text(results.content).contains("\"decision\"") && Self.text(results.content).contains("\"comparisons\""), "\(Self.text(results.content).prefix(200))")
        let memo = try await client.callTool(name: "decision_memo", arguments: ["experiment_id": "exp_checkout_button"])
        #expect(Self.text(memo.content).contains("exp_checkout_button"))

        // Unknown tools and wrong arguments are JSON-RPC errors with a clear message.
        await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "drop_tables", arguments: [:]) }
        await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "ask", arguments: ["question": 42]) }

        // Every tool call that touched the warehouse is audited with channel mcp.
        let entries = try Connection(path: audit, mode: .readOnly).rows("SELECT channel, decision FROM audit_log ORDER BY id")
        #expect(entries.count == 3 && entries.allSatisfy { $0[0].string == "mcp" }, "\(entries)")
        #expect(entries.map { $0[1].string ?? "" } == ["approved", "approved", "blocked"])
        }
    }

    @Test func resourcesAndPrompt() async throws {
        try await session { client, _ in
        let (resources, _) = try await client.listResources()
        #expect(resources.contains { $0.uri == "readout://contract" } && resources.contains { $0.uri == "readout://experiments/exp_checkout_button" })
        let contract = try await client.readResource(uri: "readout://contract")
        let text = contract.compactMap(\.text).joined()
        #expect(text.contains("\"role\":\"analyst\"") && !text.contains("\"email\""), "\(text.prefix(200))")
        let experiment = try await client.readResource(uri: "readout://experiments/exp_checkout_button").compactMap(\.text).joined()
        #expect(experiment.contains("\"variants\""))
        await #expect(throws: MCPError.self) { _ = try await client.readResource(uri: "readout://assets/users") }
        let (prompts, _) = try await client.listPrompts()
        #expect(prompts.map(\.name) == ["analyze_experiment"])
        let prompt = try await client.getPrompt(name: "analyze_experiment", arguments: ["experiment_id": "exp_pricing_page"])
        #expect(prompt.messages.count == 1)
        }
    }
}
