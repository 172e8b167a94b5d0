import Foundation
import Testing

/// A child process of a test (`readout serve`, `readout mcp`, one CLI command), waited for through
/// its termination handler and with a deadline.
///
/// Not `Process.waitUntilExit()`: on Linux it spins the calling thread's run loop until Foundation
/// reports the exit there, and under load it can miss it and park the thread for good — the whole
/// suite then hangs although every test passes alone (swift-corelibs-foundation; CI stopped this
/// way after some hundreds of child processes).
final class Child: @unchecked Sendable {
    let process: Process
    private let exit = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exited = false

    /// Wraps `process` before it runs: the termination handler must be set first, or a child that
    /// ends at once could end unseen.
    init(_ process: Process) {
        self.process = process
        process.terminationHandler = { [exit] _ in exit.signal() }
    }

    func run() throws { try process.run() }

    var pid: Int32 { process.processIdentifier }
    var status: Int32 { process.terminationStatus }

    /// Waits up to `seconds` for the child to end; true if it did.
    @discardableResult
    func wait(seconds: Double = 120) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if exited { return true }
        guard exit.wait(timeout: .now() + seconds) == .success else { return false }
        exited = true
        return true
    }

    /// SIGTERM, and SIGKILL if it has not ended `grace` seconds later. True if SIGTERM was enough.
    @discardableResult
    func stop(grace: Double = 30) -> Bool {
        if lockedExited { return true }
        kill(pid, SIGTERM)
        if wait(seconds: grace) { return true }
        kill(pid, SIGKILL)
        wait(seconds: 30)
        return false
    }

    private var lockedExited: Bool {
        lock.lock()
        defer { lock.unlock() }
        return exited
    }
}

/// Everything a pipe carries until it closes, read on its own thread, so a child that fills one
/// pipe while the test reads the other cannot stall both.
final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// The bytes read, once the pipe has closed (or what there is after `seconds`, nil if not closed).
    func text(seconds: Double = 120) -> String? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()  // a second call returns at once
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads a server's standard output on its own thread until a line matches `pattern`, then keeps
/// draining it, so a server that writes more never blocks on a full pipe.
final class OutputWatch: @unchecked Sendable {
    private let found = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var match: String?

    init(_ pipe: Pipe, pattern: String) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            var buffer = Data()
            var signalled = false
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                guard !signalled else { continue }
                buffer.append(chunk)
                let text = String(decoding: buffer, as: UTF8.self)
                if let range = text.range(of: pattern, options: .regularExpression) {
                    lock.lock()
                    match = String(text[range])
                    lock.unlock()
                    signalled = true
                    found.signal()
                }
            }
            if !signalled { found.signal() }  // the pipe closed first: the server ended
        }
    }

    /// The first match, or nil if the output ended or `seconds` passed without one.
    func first(seconds: Double) -> String? {
        guard found.wait(timeout: .now() + seconds) == .success else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return match
    }
}
