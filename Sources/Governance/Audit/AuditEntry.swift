import Foundation

/// One request as the audit log records it.
public struct AuditEntry: Sendable, Codable, Equatable {
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case cli, repl, http, mcp, web
    }

    /// What happened to the request. An open set (older logs may hold other words), with
    /// the values Readout writes as constants.
    public struct Decision: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        /// The guard approved and the query ran.
        public static let approved: Decision = "approved"
        /// The guard (or the database's own check) refused.
        public static let blocked: Decision = "blocked"
        /// Approved, but running it failed.
        public static let error: Decision = "error"
        /// The planner could not turn the question into SQL.
        public static let notPlanned: Decision = "not_planned"
        /// An LLM readout failed the grounding check.
        public static let readoutRejected: Decision = "readout_rejected"
        /// A ship/kill decision was recorded.
        public static let decisionRecorded: Decision = "decision_recorded"
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
    public var decision: Decision
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
        sqlReceived: String?, sqlExecuted: String? = nil, decision: Decision, reasonCodes: [String] = [],
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
    /// - Throws: when the fields cannot be written as JSON (then nothing is hashed or appended).
    func canonicalForm() throws -> Data {
        var fields: [String: Any] = [
            "id": id, "timestamp": timestamp, "principal": principal, "role": role,
            "channel": channel.rawValue, "decision": decision.rawValue, "reasonCodes": reasonCodes,
            "reasonMessages": reasonMessages, "tables": tables,
            "durationMicroseconds": durationMicroseconds, "previousHash": previousHash,
        ]
        fields["question"] = question ?? NSNull()
        fields["planner"] = planner ?? NSNull()
        fields["sqlReceived"] = sqlReceived ?? NSNull()
        fields["sqlExecuted"] = sqlExecuted ?? NSNull()
        fields["rowCount"] = rowCount.map { $0 as Any } ?? NSNull()
        fields["error"] = error ?? NSNull()
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
