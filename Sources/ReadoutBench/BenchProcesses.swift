import ArgumentParser
import Foundation
import Semantic
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// The pieces the whole-system benchmarks (`serve`, `track`, `incremental`) share: a scratch
// folder, child processes (`readout`, the peer, wrk), a server waited for and stopped, HTTP
// requests, and wrk's report read into numbers.

/// A benchmark that could not run: what went wrong and how to fix it (printed without the usage).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A folder under the system temp folder, removed with everything in it when released.
final class BenchScratch {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("readout-bench-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// A copy of a SQLite file (the main file only: a demo has no write-ahead log left behind).
    func copy(database: String, to name: String) throws -> String {
        guard FileManager.default.fileExists(atPath: database) else {
            throw BenchFailure("No warehouse at \(database); build one with `readout demo --db \(database)`.")
        }
        let target = file(name)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try FileManager.default.copyItem(atPath: database, toPath: target)
        return target
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// `--readout`: the `readout` binary the whole-process benchmarks run, by default the one beside
/// `readout-bench` (the same build).
struct ReadoutBinary: ParsableArguments {
    @Option(name: .customLong("readout"), help: "The readout binary (default: the one beside readout-bench).")
    var path: String?

    func resolved() throws -> String {
        if let path { return path }
        let here = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("readout").path
        guard let here, FileManager.default.isExecutableFile(atPath: here) else {
            throw ValidationError("No readout binary beside readout-bench; build it first (swift build -c release --product readout) or pass --readout PATH.")
        }
        return here
    }
}

/// Where the peers and tools live: `--python`/`--datasette` when given, else `$VENV/bin`, else `PATH`.
enum BenchTools {
    /// The first executable called `name` on `PATH`; nil when there is none.
    static func find(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A peer's executable: `given` (which must be one), else `$VENV/bin/name`, else `name` on `PATH`;
    /// nil when none is.
    /// - Throws: ``BenchFailure`` naming `option` when `given` is not an executable file.
    static func peer(_ name: String, given: String?, option: String) throws -> String? {
        if let given {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw BenchFailure("\(option) \(given): no executable file there; give the path to \(name) (or leave \(option) out to use $VENV/bin or PATH).")
            }
            return given
        }
        return fromVenv(name) ?? find(name)
    }

    /// The Python interpreter for a peer (``peer(_:given:option:)`` for `python3`, given with `--python`).
    static func python(_ given: String?) throws -> String {
        guard let found = try peer("python3", given: given, option: "--python") else { throw BenchFailure("python3 is not on PATH; pass --python (or set VENV to a venv).") }
        return found
    }

    /// `$VENV/bin/name` when `VENV` is set and it is there.
    static func fromVenv(_ name: String) -> String? {
        guard let venv = ProcessInfo.processInfo.environment["VENV"] else { return nil }
        let path = venv + "/bin/" + name
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func wrk() throws -> String {
        guard let wrk = find("wrk") else { throw BenchFailure("wrk is not on PATH; install it (apt-get install wrk).") }
        return wrk
    }
}

/// Runs a program to its end and returns what it printed; a non-zero exit is an error carrying its
/// standard error.
@discardableResult
func runToEnd(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Standard error is read on a thread of its own while standard output is read here, so a
    // chatty child cannot fill one pipe and stall.
    let said = Locked(Data())
    let errorsRead = DispatchSemaphore(value: 0)
    Thread {
        said.value = errors.fileHandleForReading.readDataToEndOfFile()
        errorsRead.signal()
    }.start()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorsRead.wait()
    guard process.terminationStatus == 0 else {
        let said = String(decoding: said.value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        throw BenchFailure("\((executable as NSString).lastPathComponent) \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus): \(said)")
    }
    return String(decoding: printed, as: UTF8.self)
}

/// Starts a program with its standard output in `log` and its standard error there too, or in
/// `errors` when given; its process id. The child gets an empty signal mask and default signal
/// actions: it is often started from a thread of Swift's concurrency pool, whose threads block
/// most signals, and a mask is inherited (a Datasette started that way ignores SIGTERM).
func spawn(_ executable: String, _ arguments: [String], log: String, errors: String? = nil) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if let errors {
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw BenchFailure("Cannot start \(executable): \(String(cString: strerror(spawned)))") }
    return pid
}

/// Waits for a child and returns its exit code (128 + the signal when a signal ended it).
func reap(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS / WTERMSIG, macros Swift cannot see.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// Runs a program to its end with its output in `log` and returns the wall-clock seconds it took,
/// spawned and reaped directly: Foundation's `Process` notices a child's exit by polling every
/// 50 ms, which would land in the figure. An exit code not in `success` is an error quoting the
/// end of what the program said.
func timedRun(_ executable: String, _ arguments: [String], log: String, errors: String? = nil, success: Set<Int32> = [0]) throws -> Double {
    let started = ContinuousClock.now
    let code = reap(try spawn(executable, arguments, log: log, errors: errors))
    let seconds = (ContinuousClock.now - started).inMilliseconds / 1000
    guard success.contains(code) else {
        let said = (try? String(contentsOfFile: errors ?? log, encoding: .utf8))?.suffix(400) ?? ""
        throw BenchFailure("\((executable as NSString).lastPathComponent) \(arguments.prefix(2).joined(separator: " ")) exited \(code): \(said)")
    }
    return seconds
}

/// A value handed between threads, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A server started in the background, its output in a log file, stopped with SIGTERM.
final class BenchServer {
    let name: String
    let base: String
    private var pid: pid_t?

    init(_ name: String, executable: String, arguments: [String], port: Int, log: String) throws {
        self.name = name
        self.base = "http://127.0.0.1:\(port)"
        pid = try spawn(executable, arguments, log: log)
    }

    /// Waits until `path` answers at all (any status), for up to 30 seconds.
    func waitUntilAnswering(_ path: String) async throws {
        for _ in 0..<300 {
            if let pid, waitpid(pid, nil, WNOHANG) == pid {
                self.pid = nil
                throw BenchFailure("\(name) exited before answering; see its log.")
            }
            if (try? await httpRequest("GET", base + path)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("\(name) did not answer \(base + path) within 30 s.")
    }

    /// SIGTERM, then SIGKILL if it has not exited 30 seconds later.
    func stop() {
        guard let pid else { return }
        self.pid = nil
        kill(pid, SIGTERM)
        for _ in 0..<300 {
            if waitpid(pid, nil, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        _ = reap(pid)
    }

    deinit { stop() }
}

/// One HTTP request; the status and body. Throws only when no answer came.
func httpRequest(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (status: Int, body: Data) {
    guard let target = URL(string: url) else { throw BenchFailure("Not a URL: \(url)") }
    var request = URLRequest(url: target)
    request.httpMethod = method
    request.httpBody = body
    request.timeoutInterval = 120
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
}

func jsonObject(_ data: Data, what: String) throws -> Any {
    do { return try JSONSerialization.jsonObject(with: data) } catch {
        throw BenchFailure("\(what) did not answer JSON: \(String(decoding: data.prefix(300), as: UTF8.self))")
    }
}

/// What wrk reports: requests, requests per second, the 99th-percentile latency, non-2xx answers.
struct WrkReport {
    var requests: Int
    var perSecond: Double
    var p99Milliseconds: Double
    var non2xx: Int
    var text: String

    init(parsing text: String) throws {
        self.text = text
        func first(_ pattern: String) -> [String]? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
        }
        guard let requests = first(#"(\d+) requests in"#)?.first.flatMap(Int.init),
              let perSecond = first(#"Requests/sec:\s+([\d.]+)"#)?.first.flatMap(Double.init),
              let p99 = first(#"99%\s+([\d.]+)(us|ms|s)"#), p99.count == 2, let value = Double(p99[0]) else {
            throw BenchFailure("Cannot read wrk's report:\n\(text)")
        }
        self.requests = requests
        self.perSecond = perSecond
        self.p99Milliseconds = value * (["us": 0.001, "ms": 1, "s": 1000][p99[1]] ?? 1)
        self.non2xx = first(#"Non-2xx or 3xx responses: (\d+)"#)?.first.flatMap(Int.init) ?? 0
    }

    var summary: String { String(format: "%.0f req/s, p99 %.1f ms, non-2xx %d", perSecond, p99Milliseconds, non2xx) }
}

/// wrk with two threads (this machine's cores), latency percentiles on; `script` a Lua file.
func runWrk(_ url: String, seconds: Int, connections: Int, script: String? = nil) throws -> WrkReport {
    var arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"]
    if let script { arguments += ["-s", script] }
    return try WrkReport(parsing: runToEnd(try BenchTools.wrk(), arguments + [url]))
}

/// One HTTP/1.1 request over a plain blocking socket to 127.0.0.1, written in one go and read to
/// the end (`Connection: close`): for timing large uploads, where URLSession's own work (it feeds
/// libcurl the body in small pieces) would be part of the figure. The status and body.
func loopbackPost(port: Int, path: String, body: [UInt8], headers: [String: String]) throws -> (status: Int, body: Data) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("Cannot open a socket.") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { throw BenchFailure("Cannot connect to 127.0.0.1:\(port).") }
    var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    let request = Array((head + "\r\n").utf8) + body
    var sent = 0
    while sent < request.count {
        let wrote = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if wrote < 0 && errno == EINTR { continue }
        guard wrote > 0 else { throw BenchFailure("The server closed the connection after \(sent) of \(request.count) bytes.") }
        sent += wrote
    }
    var answer = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let read = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if read < 0 && errno == EINTR { continue }
        guard read > 0 else { break }
        answer += buffer[..<read]
    }
    // "HTTP/1.1 200 OK\r\n…\r\n\r\nbody" (the server answers with a Content-Length, not chunks).
    guard let split = answer.indices.first(where: { answer[$0...].starts(with: [13, 10, 13, 10]) }),
          let status = Int(String(decoding: answer.prefix(12).dropFirst(9), as: UTF8.self)) else {
        throw BenchFailure("Not an HTTP answer: \(String(decoding: answer.prefix(200), as: UTF8.self))")
    }
    return (status, Data(answer[(split + 4)...]))
}
