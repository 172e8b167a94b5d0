public import Foundation
import Warehouse

/// The tamper-evident audit log: its own SQLite file, append-only, one entry
/// per request, each hashed (SHA-256) over its canonical form and the previous
/// entry's hash.
///
/// Triggers refuse UPDATE and DELETE, so editing needs a deliberate schema
/// change; and any edit made that way (or with a hex editor) breaks the chain,
/// which ``verify()`` finds and names.
public final class AuditLog {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    let connection: Connection
    public let path: String

    public init(path: String) throws {
        self.path = path
        connection = try Connection(path: path)
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.executeScript(Self.schema)
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS audit_log (
            id                    INTEGER PRIMARY KEY,
            timestamp             TEXT NOT NULL,
            principal             TEXT NOT NULL,
            role                  TEXT NOT NULL,
            channel               TEXT NOT NULL,
            question              TEXT,
            planner               TEXT,
            sql_received          TEXT,
            sql_executed          TEXT,
            decision              TEXT NOT NULL,
            reason_codes          TEXT NOT NULL,
            reason_messages       TEXT NOT NULL,
            tables                TEXT NOT NULL,
            duration_microseconds INTEGER NOT NULL,
            row_count             INTEGER,
            error                 TEXT,
            prev_hash             TEXT NOT NULL,
            hash                  TEXT NOT NULL UNIQUE
        );
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
        CREATE INDEX IF NOT EXISTS audit_log_principal ON audit_log (principal, id);
        """

    /// Appends an entry and returns it with its id, timestamp and hashes filled in.
    /// Reading the previous hash and inserting happen in one write transaction,
    /// so concurrent writers (CLI and server) still form one chain.
    @discardableResult
    public func append(_ entry: AuditEntry, at date: Date = Date()) throws -> AuditEntry {
        try connection.transaction {
            var entry = entry
            let last = try connection.rows("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first
            entry.id = (last?[0].int64 ?? 0) + 1
            entry.previousHash = last?[1].string ?? Self.genesis
            entry.timestamp = Self.timestamp(date)
            entry.hash = try Self.hash(entry)
            try connection.execute(
                """
                INSERT INTO audit_log (id, timestamp, principal, role, channel, question, planner, sql_received,
                    sql_executed, decision, reason_codes, reason_messages, tables, duration_microseconds, row_count,
                    error, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    entry.id, entry.timestamp, entry.principal, entry.role, entry.channel.rawValue,
                    DatabaseValue(entry.question), DatabaseValue(entry.planner), DatabaseValue(entry.sqlReceived),
                    DatabaseValue(entry.sqlExecuted), entry.decision.rawValue, Self.json(entry.reasonCodes),
                    Self.json(entry.reasonMessages), Self.json(entry.tables), entry.durationMicroseconds,
                    entry.rowCount.map { DatabaseValue.integer($0) } ?? .null, DatabaseValue(entry.error),
                    entry.previousHash, entry.hash,
                ]
            )
            return entry
        }
    }

    static func hash(_ entry: AuditEntry) throws -> String {
        SHA256Hex.digest(try entry.canonicalForm())
    }

    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        style.timeZone = TimeZone(identifier: "UTC") ?? .current
        return date.formatted(style)
    }

    static func json(_ values: [String]) -> String {
        (try? String(decoding: JSONSerialization.data(withJSONObject: values, options: [.withoutEscapingSlashes]), as: UTF8.self)) ?? "[]"
    }
}

extension DatabaseValue {
    init(_ text: String?) {
        self = text.map { .text($0) } ?? .null
    }
}
