public import Semantic

/// Who is asking, in which role, through which face: what every governed request
/// carries from the face (CLI, REPL, HTTP, MCP, web) to the guard and the audit log.
public struct Caller: Sendable, Hashable {
    /// The person or key name recorded in the audit log.
    public var principal: String
    public var role: RoleName
    public var channel: AuditEntry.Channel

    public init(principal: String, role: RoleName, channel: AuditEntry.Channel) {
        self.principal = principal
        self.role = role
        self.channel = channel
    }
}
