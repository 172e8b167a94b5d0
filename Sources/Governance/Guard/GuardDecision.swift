/// Why the guard refused a query: a stable code and a message for people.
public struct GuardReason: Sendable, Codable, Equatable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case syntaxError = "syntax_error"
        case empty
        case multipleStatements = "multiple_statements"
        case notReadOnly = "not_read_only"
        case tableNotAllowed = "table_not_allowed"
        case columnNotAllowed = "column_not_allowed"
        case functionNotAllowed = "function_not_allowed"
        case tooLong = "too_long"
        case tooDeep = "too_deep"
        /// The role is not in the contract, or there is no contract at all.
        case roleNotAllowed = "role_not_allowed"
        /// SQLite's authorizer refused what the parser approved (a parser bug): the executor reports this.
        case authorizerDenied = "authorizer_denied"
        /// The question asks for personal data or individual users (refused before planning).
        case personalData = "personal_data"
        /// The question asks for data no asset the role may read holds (refused before planning).
        case assetNotAllowed = "asset_not_allowed"
        /// The executor stopped the query at its time limit.
        case timeout
        /// SQLite failed the approved statement while running it.
        case queryFailed = "query_failed"
        /// No warehouse to run against.
        case unavailable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The guard's verdict on one SQL text.
public struct GuardDecision: Sendable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case approved, blocked
    }

    public var decision: Verdict
    /// Physical tables the query reads (canonical names), also when blocked.
    public var tables: [String]
    /// Columns read per table, sorted.
    public var columns: [String: [String]]
    /// Functions called, including table-valued ones.
    public var functions: [String]
    public var reasons: [GuardReason]
    /// The SQL to execute: normalised, row-limited and with row policies applied;
    /// nil when blocked.
    public var sql: String?

    public var isApproved: Bool { decision == .approved }

    enum CodingKeys: String, CodingKey { case decision, tables, columns, functions, reasons, sql }

    /// Every key is always present (`sql` is null when blocked), a stable contract for `readout guard --format json`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decision, forKey: .decision)
        try container.encode(tables, forKey: .tables)
        try container.encode(columns, forKey: .columns)
        try container.encode(functions, forKey: .functions)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(sql, forKey: .sql)
    }

    public init(decision: Verdict, tables: [String], columns: [String: [String]], functions: [String], reasons: [GuardReason], sql: String?) {
        self.decision = decision
        self.tables = tables
        self.columns = columns
        self.functions = functions
        self.reasons = reasons
        self.sql = sql
    }
}
