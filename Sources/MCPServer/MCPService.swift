public import Gateway
public import Governance
public import MCP

/// The backend of `readout mcp` (stdio): owns its Gateway, answers one session's calls. An
/// actor, because the Gateway is used by one task at a time.
public actor MCPService: MCPBackend {
    let gateway: ReadoutGateway

    public init(gateway: ReadoutGateway) {
        self.gateway = gateway
    }

    /// Calls being answered now: at the end of input the server waits for them (a client may
    /// write its requests and close its end at once).
    private var inFlight = 0

    /// Returns once no call is being answered (checked every 20 ms, for at most `limit`).
    public func drained(limit: Duration = .seconds(30)) async {
        let deadline = ContinuousClock.now + limit
        while inFlight > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    public func mcpCall(_ name: String, _ arguments: [String: Value], caller: Caller) async throws -> CallTool.Result {
        inFlight += 1
        defer { inFlight -= 1 }
        return try await gateway.mcpCall(name, arguments, caller: caller, isolation: self).result
    }

    public func mcpResources(caller: Caller) -> [Resource] { gateway.mcpResources(caller: caller) }

    public func mcpRead(_ uri: String, caller: Caller) throws -> String { try gateway.mcpRead(uri, caller: caller) }
}
