import Dispatch

/// Runs async postgres-nio calls (COPY has no future-based API) from the synchronous warehouse
/// seam. The task runs on its own serial queue — never on Swift's cooperative pool — so a caller
/// blocked here (even one on a cooperative thread, as tests are) cannot starve the task it waits for.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task(executorPreference: QueueExecutor.shared) {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            outcome.done.signal()
        }
        outcome.done.wait()
        guard let result = outcome.result else { preconditionFailure("the task signalled without a result") }
        return try result.get()
    }

    private final class Outcome<T: Sendable>: @unchecked Sendable {
        // Written once by the task before `done` is signalled, read after the wait.
        var result: Result<T, any Error>?
        let done = DispatchSemaphore(value: 0)
    }
}

/// A task executor over a serial dispatch queue of its own.
final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = QueueExecutor()
    private let queue = DispatchQueue(label: "readout.postgres.blocking")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
