public import Foundation
import Warehouse

/// The tamper-evident audit log: its own SQLite file, append-only, one entry
/// per request, each hashed (SHA-256) over its canonical form and the previous
/// entry's hash.
///
/// Triggers refuse UPDATE and DELETE, so editing needs a deliberate schema
/// change; and any edit made that way (or with a hex editor) breaks the chain,
/// which ``verify()`` finds and names.
public final class AuditLog: @unchecked Sendable {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Used only while `lock` is held (the class is `@unchecked Sendable` for that reason):
    /// by the writer of a group commit, or by a short read.
    let connection: Connection
    public let path: String
    /// Guards `connection` and the group-commit queue.
    private let lock = NSCondition()
    private var pending: [(ticket: Int, entry: AuditEntry, date: Date)] = []
    private var finished: [Int: Result<AuditEntry, any Error>] = [:]
    private var nextTicket = 0
    private var writing = false

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

    /// Appends an entry and returns it with its id, timestamp and hashes filled in, once it is
    /// durable (`synchronous = FULL`).
    ///
    /// Group commit: entries appended at the same time from several threads are written by one of
    /// them in one transaction — one fsync for the group — and each caller returns only after the
    /// transaction holding its entry has committed (or gets its error). Reading the previous hash
    /// and inserting happen in that one write transaction, so concurrent writers in other
    /// processes (CLI and server) still form one chain.
    @discardableResult
    public func append(_ entry: AuditEntry, at date: Date = Date()) throws -> AuditEntry {
        lock.lock()
        defer { lock.unlock() }
        let ticket = nextTicket
        nextTicket += 1
        pending.append((ticket, entry, date))
        while true {
            if let result = finished.removeValue(forKey: ticket) { return try result.get() }
            if writing {
                lock.wait()
                continue
            }
            // This caller writes the group: everything queued so far, its own entry included.
            writing = true
            let group = pending
            pending = []
            lock.unlock()
            let results = write(group)
            lock.lock()
            for (ticket, result) in results { finished[ticket] = result }
            writing = false
            lock.broadcast()
        }
    }

    /// Writes a group of entries in one transaction: all of them are committed, or none.
    private func write(_ group: [(ticket: Int, entry: AuditEntry, date: Date)]) -> [(Int, Result<AuditEntry, any Error>)] {
        do {
            let written = try connection.transaction {
                let last = try connection.rows("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first
                var id = last?[0].int64 ?? 0
                var previous = last?[1].string ?? Self.genesis
                return try group.map { item -> (Int, AuditEntry) in
                    var entry = item.entry
                    id += 1
                    entry.id = id
                    entry.previousHash = previous
                    entry.timestamp = Self.timestamp(item.date)
                    entry.hash = try Self.hash(entry)
                    try insert(entry)
                    previous = entry.hash
                    return (item.ticket, entry)
                }
            }
            return written.map { ($0.0, .success($0.1)) }
        } catch {
            return group.map { ($0.ticket, .failure(error)) }
        }
    }

    private func insert(_ entry: AuditEntry) throws {
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
    }

    /// Runs a short read on the log's connection, between group commits.
    func reading<T>(_ body: (Connection) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        while writing { lock.wait() }
        return try body(connection)
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
