import Foundation
public import Semantic

/// Group commit for tracking: events from concurrent requests are written together.
///
/// One thread of its own owns a read-write session and an ``EventTracker``. Requests (a single
/// event, or a batch) wait in line; each time the thread is free it takes everything waiting (up
/// to ``maxGroup`` events), writes it in one transaction — one commit, one fsync — and only then
/// answers each request with its own events' outcomes. So every answer still comes after its event
/// is durable, and 64 clients sending one event each share a handful of commits instead of making
/// 64. When a group cannot be stored, each of its requests is written again on its own, so a
/// failure stays with the request that caused it (and nothing of a failed request is stored);
/// events that fail validation are rejected one by one as before.
public final class TrackingQueue: @unchecked Sendable {
    /// Events written in one transaction at most (a 10,000-event batch is never split).
    public static let maxGroup = 20_000

    private struct Request {
        let events: [Result<TrackedEvent, TrackError>]
        let reply: @Sendable (Result<[TrackOutcome], any Error>) -> Void
    }

    private let condition = NSCondition()
    private var waiting: [Request] = []
    private var closed = false
    /// Used only on the queue's thread once it runs.
    private let tracker: EventTracker

    /// - Parameter session: a read-write session of the queue's own (not shared with anything else).
    public init(session: any WritableWarehouseSession) throws {
        tracker = try EventTracker(connection: session)
        let thread = Thread { [self] in work() }
        thread.name = "readout-tracking"
        thread.start()
    }

    /// Stores the events (validated, idempotent) and returns each one's outcome, after the commit.
    /// - Throws: the storage error when the group could not be written (none of it was).
    public func track(_ events: [Result<TrackedEvent, TrackError>]) async throws -> [TrackOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            guard !closed else {
                condition.unlock()
                continuation.resume(throwing: WarehouseError(code: .io, message: "The tracking queue is closed (the service is stopping)."))
                return
            }
            waiting.append(Request(events: events) { continuation.resume(with: $0) })
            condition.signal()
            condition.unlock()
        }
    }

    /// Stops the thread once what is waiting has been written.
    public func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while waiting.isEmpty && !closed { condition.wait() }
            if waiting.isEmpty {
                condition.unlock()
                return
            }
            var taken = 0, count = 0
            while taken < waiting.count, taken == 0 || count + waiting[taken].events.count <= Self.maxGroup {
                count += waiting[taken].events.count
                taken += 1
            }
            let group = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            condition.unlock()

            let result = Result { try tracker.trackBatch(group.count == 1 ? group[0].events : group.flatMap(\.events)) }
            if case .failure = result, group.count > 1 {
                // One request's events may be what the database refused: write each request on its
                // own, so the failure stays with the request that caused it.
                for request in group {
                    request.reply(Result { try tracker.trackBatch(request.events) })
                }
                continue
            }
            var offset = 0
            for request in group {
                let end = offset + request.events.count
                request.reply(result.map { Array($0[offset..<end]) })
                offset = end
            }
        }
    }
}
