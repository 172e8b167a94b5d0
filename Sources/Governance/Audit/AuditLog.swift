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

    /// Used only by the writer of a group commit or a short read, never both (the class is
    /// `@unchecked Sendable` for that reason: `queue.lock` and `queue.writing` order them).
    let connection: Connection
    public let path: String
    private let queue = CommitQueue()

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
        let lock = queue.lock
        lock.lock()
        let ticket = queue.enqueue(entry, date)
        while true {
            if let result = queue.finished.removeValue(forKey: ticket) {
                lock.unlock()
                return try result.get()
            }
            if queue.writing {
                lock.wait()
                continue
            }
            // This caller writes the group: everything queued so far, its own entry included.
            let group = queue.takeGroup()
            lock.unlock()
            deliver(write(group))
            lock.lock()
        }
    }

    /// ``append(_:at:)`` for async callers: the entry joins the next group commit and the caller
    /// is suspended — holding no thread — until the transaction holding it has committed. The
    /// log's writer thread commits groups whenever no other caller is writing one.
    @discardableResult
    public func appendDurably(_ entry: AuditEntry, at date: Date = Date()) async throws -> AuditEntry {
        try await withCheckedThrowingContinuation { continuation in
            queue.lock.lock()
            let ticket = queue.enqueue(entry, date)
            queue.waiters[ticket] = continuation
            if !queue.writerStarted {
                queue.writerStarted = true
                let thread = Thread { [weak self, queue] in Self.commitLoop(queue) { self } }
                thread.name = "readout-audit-writer"
                thread.start()
            }
            queue.lock.broadcast()
            queue.lock.unlock()
        }
    }

    deinit {
        queue.lock.lock()
        queue.closed = true
        queue.lock.broadcast()
        queue.lock.unlock()
    }

    /// The writer thread: commits whatever is queued whenever no caller is writing a group.
    private static func commitLoop(_ queue: CommitQueue, log: () -> AuditLog?) {
        while true {
            queue.lock.lock()
            while (queue.pending.isEmpty || queue.writing) && !queue.closed { queue.lock.wait() }
            guard !queue.closed, let log = log() else {
                queue.lock.unlock()
                return
            }
            let group = queue.takeGroup()
            queue.lock.unlock()
            log.deliver(log.write(group))
        }
    }

    /// Hands each entry's outcome to its caller: a suspended async caller is resumed, a waiting
    /// thread finds it in `finished`. Ends the group (`writing = false`).
    private func deliver(_ results: [(Int, Result<AuditEntry, any Error>)]) {
        queue.lock.lock()
        var resumed: [(CheckedContinuation<AuditEntry, any Error>, Result<AuditEntry, any Error>)] = []
        for (ticket, result) in results {
            if let waiter = queue.waiters.removeValue(forKey: ticket) { resumed.append((waiter, result)) } else { queue.finished[ticket] = result }
        }
        queue.writing = false
        queue.lock.broadcast()
        queue.lock.unlock()
        for (waiter, result) in resumed { waiter.resume(with: result) }
    }

    /// Writes a group of entries in one transaction: all of them are committed, or none.
    private func write(_ group: [CommitQueue.Item]) -> [(Int, Result<AuditEntry, any Error>)] {
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
                    entry.hash = Self.hash(entry)
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
        queue.lock.lock()
        defer { queue.lock.unlock() }
        while queue.writing { queue.lock.wait() }
        return try body(connection)
    }

    static func hash(_ entry: AuditEntry) -> String {
        SHA256Hex.digest(entry.canonicalForm())
    }

    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        style.timeZone = TimeZone(identifier: "UTC") ?? .current
        return date.formatted(style)
    }

    /// A list column's JSON (`["a","b"]`), written as the canonical form writes lists.
    static func json(_ values: [String]) -> String {
        var json = CanonicalJSON()
        json.strings(values)
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

/// The group-commit line: entries waiting to be written, the outcomes of written ones, and who
/// waits for them. Every field is used under `lock` only.
final class CommitQueue: @unchecked Sendable {
    struct Item {
        let ticket: Int
        let entry: AuditEntry
        let date: Date
    }

    let lock = NSCondition()
    var pending: [Item] = []
    var finished: [Int: Result<AuditEntry, any Error>] = [:]
    var waiters: [Int: CheckedContinuation<AuditEntry, any Error>] = [:]
    var nextTicket = 0
    /// A group is being written (by a caller or the writer thread): the connection is in use.
    var writing = false
    var writerStarted = false
    var closed = false

    func enqueue(_ entry: AuditEntry, _ date: Date) -> Int {
        let ticket = nextTicket
        nextTicket += 1
        pending.append(Item(ticket: ticket, entry: entry, date: date))
        return ticket
    }

    /// Starts writing a group: everything queued so far.
    func takeGroup() -> [Item] {
        writing = true
        defer { pending = [] }
        return pending
    }
}

extension DatabaseValue {
    init(_ text: String?) {
        self = text.map { .text($0) } ?? .null
    }
}
