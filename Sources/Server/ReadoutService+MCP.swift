public import Governance
public import MCP
public import MCPServer

/// MCP calls at `/mcp` are answered by the same service as the REST routes: one Gateway, one
/// reader pool, one audit writer.
extension ReadoutService: MCPBackend {
    public func mcpCall(_ name: String, _ arguments: [String: Value], caller: Caller) async throws -> CallTool.Result {
        let (result, answer) = try await gateway.mcpCall(name, arguments, caller: caller, isolation: self)
        // Questions and queries count in the same metrics as over REST.
        if let answer { record(answer) }
        return result
    }

    public func mcpResources(caller: Caller) -> [Resource] { gateway.mcpResources(caller: caller) }

    public func mcpRead(_ uri: String, caller: Caller) throws -> String { try gateway.mcpRead(uri, caller: caller) }
}
