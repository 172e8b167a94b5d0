public import MCP
public import Governance
public import Semantic

/// Readout as an MCP server: the tools, resources and prompt of an ``MCPService``, on any
/// transport (the `readout mcp` command serves it over stdio).
public enum ReadoutMCP {
    public static let name = "readout"

    /// Tools the role may use: none for auditor and tracker, whose MCP requests are refused.
    public static func toolNames(for role: RoleName, contract: SemanticContract) -> [String] {
        MCPTools.tools(for: role, contract: contract).map(\.name)
    }

    /// A server for one session of `caller`, whose handlers all go through `backend`; tools/list
    /// offers only the tools the caller's role may use.
    public static func server(_ backend: any MCPBackend, caller: Caller, contract: SemanticContract, version: String) async -> Server {
        let server = Server(
            name: name, version: version,
            instructions: """
                Readout answers questions about A/B experiments from a governed warehouse. Prefer `ask` for questions in \
                English; use `list_assets` and `describe_asset` before writing SQL for `run_query`; `dry_run` checks SQL \
                without running it. Every call is audited; requests for personal data are refused.
                """,
            capabilities: .init(prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false))
        )
        let tools = MCPTools.tools(for: caller.role, contract: contract)
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            try await backend.mcpCall(params.name, params.arguments ?? [:], caller: caller)
        }
        await server.withMethodHandler(ListResources.self) { _ in .init(resources: await backend.mcpResources(caller: caller), nextCursor: nil) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            .init(templates: [
                Resource.Template(uriTemplate: "readout://assets/{name}", name: "asset", description: "One asset the role may read, with its columns.", mimeType: "application/json"),
                Resource.Template(uriTemplate: "readout://experiments/{id}", name: "experiment", description: "One experiment with its variants and decisions.", mimeType: "application/json"),
            ])
        }
        await server.withMethodHandler(ReadResource.self) { params in
            .init(contents: [Resource.Content.text(try await backend.mcpRead(params.uri, caller: caller), uri: params.uri, mimeType: "application/json")])
        }
        await server.withMethodHandler(ListPrompts.self) { _ in .init(prompts: [prompt]) }
        await server.withMethodHandler(GetPrompt.self) { params in
            guard params.name == prompt.name else { throw MCPError.invalidParams("No prompt named \(params.name); prompts/list gives them.") }
            guard let id = params.arguments?["experiment_id"], !id.isEmpty else { throw MCPError.invalidParams("experiment_id: required.") }
            return .init(description: "Analyse \(id) and recommend a decision", messages: [
                .user(.text(text: """
                    Analyse the experiment \(id) with Readout. Call `experiment_results` for \(id), check its health (sample-ratio \
                    check) before its lifts, then its primary metric, guardrails and power, and end with the Launch, Hold or \
                    Rollback decision and its reasons. Quote only numbers the tools returned; say which mode (ITT or exposed) they are.
                    """)),
            ])
        }
        return server
    }

    static let prompt = Prompt(name: "analyze_experiment", title: "Analyse an experiment",
                               description: "Walk through one experiment's health, results, guardrails and power, and recommend Launch, Hold or Rollback.",
                               arguments: [.init(name: "experiment_id", description: "The experiment's id, e.g. exp_checkout_button.", required: true)])
}
