import Semantic
import Foundation
import Warehouse

/// Which entries `audit list` and `GET /api/audit` return.
public struct AuditFilter: Sendable {
    public var blockedOnly = false
    /// Entries at or after this ISO 8601 timestamp (or date, `2026-11-23`).
    public var since: String?
    public var principal: String?
    /// Entries carrying this reason code.
    public var code: String?
    /// Entries with an id greater than this (pagination cursor).
    public var afterID: Int64?
    public var limit: Int?

    /// `since` as people write it (a date, an ISO 8601 time, `YYYY-MM-DD HH:MM:SS`) in the audit
    /// log's own timestamp form, so the two compare as text; nil when it is not a time.
    public static func since(_ text: String) -> String? {
        guard let canonical = Timestamp.canonical(text) ?? Timestamp.canonical("\(text) 00:00:00") else { return nil }
        return canonical.replacingOccurrences(of: " ", with: "T")
    }

    public init(blockedOnly: Bool = false, since: String? = nil, principal: String? = nil, code: String? = nil, afterID: Int64? = nil, limit: Int? = nil) {
        self.blockedOnly = blockedOnly
        self.since = since
        self.principal = principal
        self.code = code
        self.afterID = afterID
        self.limit = limit
    }
}

/// What walking the chain found.
public struct AuditVerification: Sendable, Codable {
    public var ok: Bool
    public var entries: Int
    /// The first entry whose hash, predecessor link or id does not match.
    public var firstBrokenID: Int64?
    public var problem: String?
    public var lastHash: String
}

extension AuditLog {
    public func entries(_ filter: AuditFilter = AuditFilter()) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if filter.blockedOnly { conditions.append("decision = 'blocked'") }
        if let since = filter.since {
            conditions.append("timestamp >= ?")
            arguments.append(since)
        }
        if let principal = filter.principal {
            conditions.append("principal = ?")
            arguments.append(principal)
        }
        if let code = filter.code {
            conditions.append("EXISTS (SELECT 1 FROM json_each(reason_codes) WHERE value = ?)")
            arguments.append(code)
        }
        if let after = filter.afterID {
            conditions.append("id > ?")
            arguments.append(DatabaseValue.integer(after))
        }
        var sql = "SELECT * FROM audit_log"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        return try connection.rows(sql, arguments).map(Self.entry)
    }

    public func entry(id: Int64) throws -> AuditEntry? {
        try connection.rows("SELECT * FROM audit_log WHERE id = ?", [DatabaseValue.integer(id)]).first.map(Self.entry)
    }

    /// Walks the whole chain from the first entry.
    public func verify() throws -> AuditVerification {
        let statement = try connection.prepare("SELECT * FROM audit_log ORDER BY id")
        var previous = Self.genesis
        var expectedID: Int64 = 1
        var count = 0
        while try statement.step() {
            let entry = Self.entry(statement.row())
            count += 1
            var problem: String?
            if entry.id != expectedID {
                problem = "entry \(expectedID) is missing (the next entry is \(entry.id)): entries were deleted"
            } else if entry.previousHash != previous {
                problem = "its prev_hash does not match the hash of entry \(entry.id - 1): an entry before it was changed, removed or inserted"
            } else if (try? Self.hash(entry)) != entry.hash {
                problem = "its content does not match its hash: the entry was edited"
            }
            if let problem {
                return AuditVerification(ok: false, entries: count, firstBrokenID: entry.id, problem: "Entry \(entry.id): \(problem).", lastHash: previous)
            }
            previous = entry.hash
            expectedID += 1
        }
        return AuditVerification(ok: true, entries: count, firstBrokenID: nil, problem: nil, lastHash: previous)
    }

    static func entry(_ row: Row) -> AuditEntry {
        func text(_ name: String) -> String? { row[name].string }
        func list(_ name: String) -> [String] {
            guard let json = text(name), let data = json.data(using: .utf8),
                  let values = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
            return values
        }
        var entry = AuditEntry(
            principal: text("principal") ?? "",
            role: text("role") ?? "",
            channel: AuditEntry.Channel(rawValue: text("channel") ?? "") ?? .cli,
            question: text("question"),
            planner: text("planner"),
            sqlReceived: text("sql_received"),
            sqlExecuted: text("sql_executed"),
            decision: AuditEntry.Decision(rawValue: text("decision") ?? ""),
            reasonCodes: list("reason_codes"),
            reasonMessages: list("reason_messages"),
            tables: list("tables"),
            durationMicroseconds: row["duration_microseconds"].int64 ?? 0,
            rowCount: row["row_count"].int64,
            error: text("error")
        )
        entry.id = row["id"].int64 ?? 0
        entry.timestamp = text("timestamp") ?? ""
        entry.previousHash = text("prev_hash") ?? ""
        entry.hash = text("hash") ?? ""
        return entry
    }
}
