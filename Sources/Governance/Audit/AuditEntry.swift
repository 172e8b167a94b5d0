import Foundation

/// One request as the audit log records it.
public struct AuditEntry: Sendable, Codable, Equatable {
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case cli, repl, http, mcp
    }

    /// Assigned by the log (1, 2, 3, …); 0 before appending.
    public var id: Int64
    /// UTC, ISO 8601 with milliseconds.
    public var timestamp: String
    public var principal: String
    public var role: String
    public var channel: Channel
    public var question: String?
    public var planner: String?
    public var sqlReceived: String?
    public var sqlExecuted: String?
    /// `approved`, `blocked` or `error`.
    public var decision: String
    public var reasonCodes: [String]
    public var reasonMessages: [String]
    public var tables: [String]
    public var durationMicroseconds: Int64
    public var rowCount: Int64?
    public var error: String?
    public var previousHash: String
    public var hash: String

    public init(
        principal: String, role: String, channel: Channel, question: String? = nil, planner: String? = nil,
        sqlReceived: String?, sqlExecuted: String? = nil, decision: String, reasonCodes: [String] = [],
        reasonMessages: [String] = [], tables: [String] = [], durationMicroseconds: Int64 = 0,
        rowCount: Int64? = nil, error: String? = nil
    ) {
        self.id = 0
        self.timestamp = ""
        self.principal = principal
        self.role = role
        self.channel = channel
        self.question = question
        self.planner = planner
        self.sqlReceived = sqlReceived
        self.sqlExecuted = sqlExecuted
        self.decision = decision
        self.reasonCodes = reasonCodes
        self.reasonMessages = reasonMessages
        self.tables = tables
        self.durationMicroseconds = durationMicroseconds
        self.rowCount = rowCount
        self.error = error
        self.previousHash = ""
        self.hash = ""
    }

    /// The bytes the hash covers: every field but `hash`, as JSON with sorted
    /// keys and explicit nulls, so the form never depends on field order.
    func canonicalForm() -> Data {
        var fields: [String: Any] = [
            "id": id, "timestamp": timestamp, "principal": principal, "role": role,
            "channel": channel.rawValue, "decision": decision, "reasonCodes": reasonCodes,
            "reasonMessages": reasonMessages, "tables": tables,
            "durationMicroseconds": durationMicroseconds, "previousHash": previousHash,
        ]
        fields["question"] = question ?? NSNull()
        fields["planner"] = planner ?? NSNull()
        fields["sqlReceived"] = sqlReceived ?? NSNull()
        fields["sqlExecuted"] = sqlExecuted ?? NSNull()
        fields["rowCount"] = rowCount.map { $0 as Any } ?? NSNull()
        fields["error"] = error ?? NSNull()
        return (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
