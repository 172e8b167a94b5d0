import Foundation

/// Who is watching which experiment's page, and the news that its results changed. `readout serve
/// --refresh-every N` tells the hub after each refresh that brought events in; every page open on an
/// experiment it changed gets a `results` event (Server-Sent Events) with the new numbers.
public actor LiveHub {
    public enum News: Sendable, Equatable {
        /// The refresh run that changed the experiment: its id is the event's id (for Last-Event-ID),
        /// and when the hub heard of it (ms since 1970; the benchmark's clock for fan-out time).
        case refreshed(Int64, at: Double)
        /// Nothing new; a comment keeps the connection (and any proxy) awake and finds closed ones.
        case heartbeat
    }

    struct Watcher {
        let experiment: String
        let continuation: AsyncStream<News>.Continuation
    }

    private var watchers: [UUID: Watcher] = [:]
    /// The newest refresh run the hub has heard of (0 before the first).
    public private(set) var latest: Int64 = 0
    private var beating: Task<Void, Never>?
    let heartbeat: Duration

    public init(heartbeat: Duration = .seconds(15)) {
        self.heartbeat = heartbeat
    }

    /// After a refresh: `experiments` are the ones whose results it changed.
    public func refreshed(run: Int64, experiments: Set<String>) {
        latest = max(latest, run)
        let at = Date().timeIntervalSince1970 * 1000
        for watcher in watchers.values where experiments.contains(watcher.experiment) {
            watcher.continuation.yield(.refreshed(run, at: at))
        }
    }

    /// A stream of news for one page; it ends when the page goes away or the server stops.
    func watch(_ experiment: String) -> AsyncStream<News> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<News>.makeStream(bufferingPolicy: .bufferingNewest(4))
        continuation.onTermination = { _ in Task { await self.forget(id) } }
        watchers[id] = Watcher(experiment: experiment, continuation: continuation)
        if beating == nil {
            beating = Task { [heartbeat] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    self.beat()
                }
            }
        }
        return stream
    }

    public var watching: Int { watchers.count }

    private func beat() {
        for watcher in watchers.values { watcher.continuation.yield(.heartbeat) }
    }

    private func forget(_ id: UUID) {
        watchers[id] = nil
    }

    /// Ends every stream (the server is stopping).
    public func closeAll() {
        for watcher in watchers.values { watcher.continuation.finish() }
        watchers = [:]
        beating?.cancel()
        beating = nil
    }
}
