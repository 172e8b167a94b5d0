public import Gateway
public import Governance
public import MCP

/// Who answers an MCP session's calls: the actor that owns the Gateway. Over stdio that is an
/// ``MCPService`` of its own; under `readout serve` it is the HTTP service, so MCP and REST share
/// one Gateway, one reader pool and one audit writer. The caller (principal, role, channel `mcp`)
/// comes with every call, fixed when the session began.
public protocol MCPBackend: Actor {
    func mcpCall(_ name: String, _ arguments: [String: Value], caller: Caller) async throws -> CallTool.Result
    func mcpResources(caller: Caller) -> [Resource]
    func mcpRead(_ uri: String, caller: Caller) throws -> String
}

extension ReadoutGateway {
    /// One MCP tool call as `caller`, on `isolation`, the actor that owns this gateway; with the Answer
    /// when the tool asked a question or ran a query.
    public func mcpCall(_ name: String, _ arguments: [String: Value], caller: Caller, isolation: isolated any Actor) async throws -> (result: CallTool.Result, answer: Answer?) {
        try await MCPHandlers(gateway: self, caller: caller).call(name, arguments, isolation: isolation)
    }

    /// The resources `caller` may read: the contract, its assets, its experiments.
    public func mcpResources(caller: Caller) -> [Resource] { MCPHandlers(gateway: self, caller: caller).resources() }

    /// One resource's JSON, as `caller` may see it.
    public func mcpRead(_ uri: String, caller: Caller) throws -> String { try MCPHandlers(gateway: self, caller: caller).read(uri) }
}
