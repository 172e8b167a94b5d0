import ArgumentParser
import Foundation
import Gateway
import Governance
import MCP
import MCPServer

extension Readout {
    /// `readout mcp`: the MCP server over stdio, for a chat assistant on this machine.
    struct MCPServe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve Readout's tools to a chat assistant over MCP (stdio).",
            discussion: """
                A desktop assistant starts this command and talks JSON-RPC on its standard input and \
                output: tools ask, run_query, dry_run, list_assets, describe_asset, list_experiments, \
                experiment_results and decision_memo (all read-only; with --role admin the experiment tools \
                and record_decision, which records a ship or kill decision), the resources readout://contract, \
                readout://assets/{name} and readout://experiments/{id}, and the prompt analyze_experiment. \
                Every call goes through the guard and is audited with channel mcp, as --role (default \
                analyst) and the local user. Logs go to standard error.
                """
        )

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        func run() async throws {
            let analysis = try Settings.resolve(warehouse: options, governance: governance).analysis
            let workflow = try options.workflow(analysis: analysis)
            let gateway = try options.gateway(governance, workflow: workflow)
            let caller = governance.caller(.mcp)
            guard !ReadoutMCP.toolNames(for: caller.role, contract: gateway.contract).isEmpty else {
                throw ValidationError("The \(caller.role) role has no MCP tools; use a role that asks questions (e.g. analyst) or admin.")
            }
            let service = MCPService(gateway: gateway)
            let server = await ReadoutMCP.server(service, caller: caller, contract: gateway.contract, version: Readout.configuration.version)
            try await server.start(transport: BlockingStdioTransport())
            await server.waitUntilCompleted()
            // Input ended: answer what was already asked before exiting (the answers are written
            // by the server's own tasks a moment after each call returns).
            try? await Task.sleep(for: .milliseconds(100))
            await service.drained()
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
