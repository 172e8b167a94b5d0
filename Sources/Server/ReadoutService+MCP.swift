public import Governance
public import MCP
public import MCPServer

/// MCP calls at `/mcp` are answered by the same service as the REST routes: one Gateway, one
/// reader pool, one audit writer.
extension ReadoutService: MCPBackend {
    public func mcpCall(_ name: String, _ arguments: [String: Value], caller: Caller) async throws -> CallTool.Result {
        let result = try await gateway.mcpCall(name, arguments, caller: caller, isolation: self)
        // Questions and queries count in the same guard-decision metrics as over REST.
        if ["ask", "run_query"].contains(name), case .object(let summary)? = result.structuredContent, let decision = summary["decision"]?.stringValue {
            if decision == "busy" {
                ServiceMetrics.turnedAway()
            } else {
                ServiceMetrics.guardDecision(decision, codes: summary["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            }
        }
        return result
    }

    public func mcpResources(caller: Caller) -> [Resource] { gateway.mcpResources(caller: caller) }

    public func mcpRead(_ uri: String, caller: Caller) throws -> String { try gateway.mcpRead(uri, caller: caller) }
}
