import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs governed queries on a pool of read-only connections, each on a thread of its own, so a
/// slow query occupies one connection and one thread — never the server's event loops, the
/// Swift concurrency threads, or the other requests.
///
/// Admission is bounded: a query waits for a free reader at most `maxWait`, and at most
/// `queueLimit` queries wait at once. Past either bound it is turned away as
/// ``PooledQueryError/saturated(retryAfter:)`` (HTTP 503 with `Retry-After`) instead of joining an
/// ever-growing line. A query that started runs under its own time limit (the executor's).
public final class ReaderPool: Sendable {
    /// Why a pooled query has no outcome.
    public enum PooledQueryError: Error, Sendable, Equatable {
        /// Every reader is busy and the wait (or the line) is full: try again after `retryAfter` seconds.
        case saturated(retryAfter: Int)
        /// The query ran, but its audit entry could not be written: no outcome may be given out.
        case auditFailed(String)
        /// The pool was shut down.
        case closed
    }

    public struct Configuration: Sendable {
        /// Readers (connections and threads). Default: four per core, at least four.
        public var size: Int
        /// Queries that may wait for a reader at once.
        public var queueLimit: Int
        /// How long a query may wait for a reader before it is turned away.
        public var maxWait: Duration

        public init(size: Int = Self.defaultSize, queueLimit: Int? = nil, maxWait: Duration = .seconds(1)) {
            self.size = max(1, size)
            self.queueLimit = max(0, queueLimit ?? self.size * 8)
            self.maxWait = maxWait
        }

        public static var defaultSize: Int { max(4, ProcessInfo.processInfo.activeProcessorCount * 4) }
    }

    /// One query waiting for, or held by, a reader.
    private struct Job: Sendable {
        let id: Int
        let sql: String
        let caller: Caller
        let question: String?
        let planner: String?
        let audited: Bool
        let continuation: CheckedContinuation<Result<(GovernedQuery.Outcome, AuditEntry?), PooledQueryError>, Never>
    }

    /// The line of waiting jobs and the pool's state, behind one condition lock.
    private final class Line: @unchecked Sendable {
        let condition = NSCondition()
        var waiting: [Job] = []
        var nextID = 0
        var closed = false
        var busy = 0
        /// The most readers busy at once so far.
        var peak = 0

        /// Takes a job out of the line if it is still waiting (then the caller answers it).
        func leave(_ id: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            guard let index = waiting.firstIndex(where: { $0.id == id }) else { return false }
            waiting.remove(at: index)
            return true
        }
    }

    /// A reader's connection, touched only by its own thread once the thread has started.
    private final class Reader: @unchecked Sendable {
        let query: GovernedQuery
        init(_ query: GovernedQuery) { self.query = query }
    }

    public let configuration: Configuration
    private let line = Line()
    /// The readers' shared audit log.
    private let audit: AuditLog?
    /// Seconds a turned-away client is told to wait: about one query time limit.
    private let retryAfter: Int

    /// - Parameter makeQuery: opens one reader's governed query (its own read-only connection; the
    ///   audit log may be shared: its appends are group-committed and thread-safe).
    public init(configuration: Configuration = Configuration(), makeQuery: () throws -> GovernedQuery) throws {
        self.configuration = configuration
        var readers: [Reader] = []
        for _ in 0..<configuration.size { readers.append(Reader(try makeQuery())) }
        audit = readers.first?.query.audit
        let timeout = readers.first?.query.executor?.configuration.timeout ?? .seconds(2)
        retryAfter = max(1, Int(timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0))
        for (index, reader) in readers.enumerated() {
            let thread = Thread { [line] in Self.work(reader, line: line) }
            thread.name = "readout-reader-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Guards and runs `sql` on a free reader, then audits it: the reader is free again while the
    /// entry waits for its group commit, and the outcome is given out only once the entry is durable.
    public func run(_ sql: String, caller: Caller, question: String? = nil, planner: String? = nil, audited: Bool = true) async -> Result<GovernedQuery.Outcome, PooledQueryError> {
        switch await execute(sql, caller: caller, question: question, planner: planner, audited: audited) {
        case .failure(let error):
            return .failure(error)
        case .success(let (outcome, entry)):
            guard let entry, let audit else { return .success(outcome) }
            var audited = outcome
            do {
                audited.audit = try await audit.appendDurably(entry)
            } catch {
                return .failure(.auditFailed("\(error)"))
            }
            return .success(audited)
        }
    }

    private func execute(_ sql: String, caller: Caller, question: String?, planner: String?, audited: Bool) async -> Result<(GovernedQuery.Outcome, AuditEntry?), PooledQueryError> {
        let maxWait = configuration.maxWait
        let retryAfter = retryAfter
        let line = line
        return await withCheckedContinuation { continuation in
            line.condition.lock()
            if line.closed {
                line.condition.unlock()
                continuation.resume(returning: .failure(.closed))
                return
            }
            // Every reader busy and the line full: turned away at once.
            if line.busy + line.waiting.count >= configuration.size + configuration.queueLimit {
                line.condition.unlock()
                continuation.resume(returning: .failure(.saturated(retryAfter: retryAfter)))
                return
            }
            let job = Job(id: line.nextID, sql: sql, caller: caller, question: question, planner: planner, audited: audited, continuation: continuation)
            line.nextID += 1
            line.waiting.append(job)
            line.condition.signal()
            line.condition.unlock()
            // A job still waiting after `maxWait` leaves the line, turned away.
            Task.detached {
                try? await Task.sleep(for: maxWait)
                if line.leave(job.id) { job.continuation.resume(returning: .failure(.saturated(retryAfter: retryAfter))) }
            }
        }
    }

    /// The most readers that have been busy at the same time since the pool opened: how close the
    /// load came to ``Configuration/size``, and the evidence that queries run side by side.
    public var peakBusy: Int {
        line.condition.lock()
        defer { line.condition.unlock() }
        return line.peak
    }

    /// Stops the readers once the queries they hold are done; queries still waiting are turned away.
    public func close() {
        line.condition.lock()
        line.closed = true
        let waiting = line.waiting
        line.waiting = []
        line.condition.broadcast()
        line.condition.unlock()
        for job in waiting { job.continuation.resume(returning: .failure(.closed)) }
    }

    deinit { close() }

    /// A reader thread: takes the oldest waiting job, runs it, answers it; until the pool closes.
    private static func work(_ reader: Reader, line: Line) {
        #if os(Linux)
        // A little below normal priority: a pool of busy readers never starves the event loops
        // that answer /healthz, /metrics and new requests.
        var link = [CChar](repeating: 0, count: 64)
        if readlink("/proc/thread-self", &link, 63) > 0,
           let tid = String(decoding: link.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "/").last.flatMap({ id_t($0) }) {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, 10)
        }
        #endif
        while true {
            line.condition.lock()
            while line.waiting.isEmpty && !line.closed { line.condition.wait() }
            if line.closed {
                line.condition.unlock()
                return
            }
            let job = line.waiting.removeFirst()
            line.busy += 1
            line.peak = max(line.peak, line.busy)
            line.condition.unlock()
            let result = reader.query.execute(job.sql, caller: job.caller, question: job.question, planner: job.planner, audited: job.audited)
            line.condition.lock()
            line.busy -= 1
            line.condition.unlock()
            job.continuation.resume(returning: .success(result))
        }
    }
}
