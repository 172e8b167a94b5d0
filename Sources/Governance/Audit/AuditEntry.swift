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

    /// The bytes the hash covers: every field but `hash`, as JSON with sorted keys, no spaces and
    /// explicit nulls, so the form never depends on field order. Written directly (the same
    /// bytes `JSONSerialization` writes with `.sortedKeys` and `.withoutEscapingSlashes`, which a
    /// test pins down, so chains written before stay valid) — it is on every append's path and
    /// every verify's.
    func canonicalForm() -> Data {
        var json = CanonicalJSON()
        json.open()
        json.key("channel"); json.string(channel.rawValue)
        json.key("decision"); json.string(decision.rawValue)
        json.key("durationMicroseconds"); json.integer(durationMicroseconds)
        json.key("error"); json.string(error)
        json.key("id"); json.integer(id)
        json.key("planner"); json.string(planner)
        json.key("previousHash"); json.string(previousHash)
        json.key("principal"); json.string(principal)
        json.key("question"); json.string(question)
        json.key("reasonCodes"); json.strings(reasonCodes)
        json.key("reasonMessages"); json.strings(reasonMessages)
        json.key("role"); json.string(role)
        json.key("rowCount"); json.integer(rowCount)
        json.key("sqlExecuted"); json.string(sqlExecuted)
        json.key("sqlReceived"); json.string(sqlReceived)
        json.key("tables"); json.strings(tables)
        json.key("timestamp"); json.string(timestamp)
        json.close()
        return Data(json.bytes)
    }
}

/// Compact JSON, written byte by byte (escapes as Foundation's `JSONSerialization` writes them).
struct CanonicalJSON {
    var bytes: [UInt8] = []
    private var first = true

    init() { bytes.reserveCapacity(512) }

    mutating func open() { bytes.append(UInt8(ascii: "{")) }
    mutating func close() { bytes.append(UInt8(ascii: "}")) }

    mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func integer(_ value: Int64?) {
        guard let value else { return null() }
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func string(_ value: String?) {
        guard let value else { return null() }
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            // Runs with nothing to escape are copied whole.
            var plainStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                plainStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
