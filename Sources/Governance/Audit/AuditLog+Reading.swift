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
    /// The last entry checked: pin it (`readout audit head`) to notice a truncation later.
    public var head: AuditHead?
}

/// The newest entry of the log: its sequence number and hash. Kept outside the machine (a
/// ticket, a monitor, another host), it lets `verify --expect-head N:HASH` notice when the
/// newest entries are removed — which a chain walk alone cannot see.
public struct AuditHead: Sendable, Codable, Equatable, CustomStringConvertible {
    public var id: Int64
    public var hash: String

    public init(id: Int64, hash: String) {
        self.id = id
        self.hash = hash
    }

    /// `N:HASH`, as `audit head` prints it and `--expect-head` takes it.
    public var description: String { "\(id):\(hash)" }

    /// Parses `N:HASH` (HASH: 64 hex digits); nil when it is not that.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[0]), id >= 1, parts[1].count == 64,
              parts[1].allSatisfy({ $0.isHexDigit }) else { return nil }
        self.init(id: id, hash: parts[1].lowercased())
    }
}

/// The walk was stopped by its caller (a client that went away).
public struct AuditVerificationCancelled: Error {}

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
        return try reading { try $0.rows(sql, arguments).map(Self.entry) }
    }

    public func entry(id: Int64) throws -> AuditEntry? {
        try reading { try $0.rows("SELECT * FROM audit_log WHERE id = ?", [DatabaseValue.integer(id)]).first.map(Self.entry) }
    }

    /// The newest entry's sequence number and hash; nil for an empty log.
    public func head() throws -> AuditHead? {
        try reading { connection in
            try connection.rows("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first.flatMap { row in
                row[0].int64.flatMap { id in row[1].string.map { AuditHead(id: id, hash: $0) } }
            }
        }
    }

    /// Walks the whole chain from the first entry, streamed on a read-only connection of its own
    /// (appends go on meanwhile; the walk sees the log as it was when it began).
    ///
    /// - Parameters:
    ///   - expectedHead: a head pinned earlier; the walk fails when the log no longer reaches it
    ///     (entries removed from the end) or holds a different entry there.
    ///   - isCancelled: asked every thousand entries; true stops the walk with ``AuditVerificationCancelled``.
    public func verify(expectedHead: AuditHead? = nil, isCancelled: () -> Bool = { false }) throws -> AuditVerification {
        let connection = try Connection(path: path, mode: .readOnly)
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("COMMIT") }
        let statement = try connection.prepare("SELECT * FROM audit_log ORDER BY id")
        var previous = Self.genesis
        var expectedID: Int64 = 1
        var count = 0
        var pinned: AuditEntry?
        while try statement.step() {
            if count % 1_000 == 0, isCancelled() { throw AuditVerificationCancelled() }
            let entry = Self.entry(statement.row())
            count += 1
            var problem: String?
            if entry.id != expectedID {
                problem = "entry \(expectedID) is missing (the next entry is \(entry.id)): entries were deleted"
            } else if entry.previousHash != previous {
                problem = "its prev_hash does not match the hash of entry \(entry.id - 1): an entry before it was changed, removed or inserted"
            } else if Self.hash(entry) != entry.hash {
                problem = "its content does not match its hash: the entry was edited"
            }
            if let problem {
                return AuditVerification(ok: false, entries: count, firstBrokenID: entry.id, problem: "Entry \(entry.id): \(problem).", lastHash: previous,
                                         head: entry.id > 1 ? AuditHead(id: entry.id - 1, hash: previous) : nil)
            }
            if entry.id == expectedHead?.id { pinned = entry }
            previous = entry.hash
            expectedID += 1
        }
        let head = count > 0 ? AuditHead(id: expectedID - 1, hash: previous) : nil
        if let expectedHead {
            if let pinned, pinned.hash != expectedHead.hash {
                return AuditVerification(ok: false, entries: count, firstBrokenID: expectedHead.id,
                                         problem: "Entry \(expectedHead.id) has hash \(pinned.hash), not the pinned \(expectedHead.hash): the log was rewritten from there on.",
                                         lastHash: previous, head: head)
            }
            if pinned == nil {
                return AuditVerification(ok: false, entries: count, firstBrokenID: head.map { $0.id + 1 } ?? 1,
                                         problem: "The log ends at entry \(head?.id ?? 0), before the pinned head \(expectedHead.id): its newest entries were removed (truncated).",
                                         lastHash: previous, head: head)
            }
        }
        return AuditVerification(ok: true, entries: count, firstBrokenID: nil, problem: nil, lastHash: previous, head: head)
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
