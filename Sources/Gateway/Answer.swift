public import Governance
public import Warehouse

/// One cell of an answer's rows, as JSON: null, integer, real or text.
public enum Cell: Sendable, Codable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public init(_ value: DatabaseValue) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(number)
        case .real(let number): self = number.isFinite ? .real(number) : .null
        case .text(let text): self = .text(text)
        case .blob(let data): self = .text("<\(data.count) bytes>")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let number): try container.encode(number)
        case .real(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let number = try? container.decode(Int64.self) { self = .integer(number) }
        else if let number = try? container.decode(Double.self) { self = .real(number) }
        else { self = .text(try container.decode(String.self)) }
    }

    public var double: Double? {
        switch self {
        case .integer(let number): Double(number)
        case .real(let number): number
        default: nil
        }
    }

    public var string: String? {
        switch self {
        case .text(let text): text
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .null: nil
        }
    }
}

/// What `ask` returns to every face (CLI, REPL, HTTP): the question, how it was
/// planned, what ran, what came back and what it means. Refusals and planner
/// failures are answers too, with their reasons.
public struct Answer: Sendable, Codable {
    public struct Timings: Sendable, Codable {
        public var planMilliseconds: Double
        public var queryMilliseconds: Double
        public var readoutMilliseconds: Double
        public var totalMilliseconds: Double
    }

    public var question: String
    /// The planner that produced the SQL (`rule`, `stub`, `llm`).
    public var planner: String
    public var intent: String?
    /// The SQL the planner wrote, before normalisation.
    public var sql: String?
    /// The SQL that ran (normalised, row-limited, row policies applied).
    public var sqlExecuted: String?
    /// How the request ended (JSON key `decision`, for compatibility).
    public enum Outcome: String, Sendable, Codable {
        /// The guard approved and the query ran.
        case approved
        /// The guard, or the database's own check, refused.
        case blocked
        /// The planner could not turn the question into SQL (or was not available).
        case notPlanned = "not_planned"
        /// Approved, but running it failed.
        case error
        /// The audit log could not be written, so nothing is answered (fail closed).
        case auditUnavailable = "audit_unavailable"
        /// Nothing was run: every reader was busy and the line was full (HTTP 503 with `Retry-After`).
        case busy
    }

    /// The readout's author.
    public enum ReadoutSource: String, Sendable, Codable {
        case deterministic, llm
    }

    public var outcome: Outcome
    public var reasons: [GuardReason]
    public var tables: [String]
    public var columns: [String]
    public var rows: [[Cell]]
    public var truncated: Bool
    public var readout: String
    /// `deterministic`, or `llm` when an LLM readout passed the grounding check.
    public var readoutSource: ReadoutSource = .deterministic
    /// Why an LLM readout was not used, when one was asked for.
    public var readoutNote: String?
    public var suggestions: [String]
    public var entities: [String: String]
    public var auditId: Int64?
    /// Why a fallback planner answered, when one did.
    public var fallback: String?
    public var timings: Timings
    /// For a `busy` answer, the seconds to wait before asking again (the `Retry-After` header).
    public var retryAfter: Int? = nil

    enum CodingKeys: String, CodingKey {
        case question, planner, intent, sql, sqlExecuted, outcome = "decision", reasons, tables, columns, rows, truncated
        case readout, readoutSource, readoutNote, suggestions, entities, auditId, fallback, timings
    }

    /// Every key is always present; absent values are `null` (a stable contract for programs).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(question, forKey: .question)
        try container.encode(planner, forKey: .planner)
        try container.encode(intent, forKey: .intent)
        try container.encode(sql, forKey: .sql)
        try container.encode(sqlExecuted, forKey: .sqlExecuted)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(tables, forKey: .tables)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(truncated, forKey: .truncated)
        try container.encode(readout, forKey: .readout)
        try container.encode(readoutSource, forKey: .readoutSource)
        try container.encode(readoutNote, forKey: .readoutNote)
        try container.encode(suggestions, forKey: .suggestions)
        try container.encode(entities, forKey: .entities)
        try container.encode(auditId, forKey: .auditId)
        try container.encode(fallback, forKey: .fallback)
        try container.encode(timings, forKey: .timings)
    }
}
