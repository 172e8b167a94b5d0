import Semantic
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Warehouse

/// `readout serve` as a real process: killed with SIGKILL mid-ingestion, it loses
/// no acknowledged event and restarts cleanly; SIGTERM stops it gracefully.
@Suite("readout serve process", .serialized)
struct ServeCLITests {
    let cli = CLITests()

    /// Starts `readout serve --port 0` and returns the process and its base URL.
    func start(_ env: [String: String], extra: [String] = []) throws -> (Child, String) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["serve", "--port", "0", "--rate", "100000"] + extra
        process.currentDirectoryURL = CLITests.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let child = Child(process)
        try child.run()
        guard let base = OutputWatch(out, pattern: #"http://127\.0\.0\.1:\d+"#).first(seconds: 60) else {
            child.stop(grace: 5)
            Issue.record("readout serve did not say where it listens within 60 s")
            throw POSIXError(.ETIMEDOUT)
        }
        return (child, base)
    }

    /// A fresh demo warehouse of `users` users in a scratch folder, and the environment that points
    /// `readout` at it and at an audit log beside it.
    func demo(users: Int) throws -> (db: String, env: [String: String]) {
        let dir = try cli.scratch()
        let db = dir.appendingPathComponent("w.db").path
        #expect(try cli.run(["demo", "--db", db, "--users", "\(users)"]).status == 0)
        return (db, ["READOUT_DB": db, "READOUT_AUDIT_DB": dir.appendingPathComponent("audit.db").path])
    }

    /// A raw TCP connection to the server at `base` (http://127.0.0.1:PORT), for what URLSession hides.
    static func connectedSocket(_ base: String) throws -> Int32 {
        let port = UInt16(base.split(separator: ":").last.map(String.init) ?? "0") ?? 0
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }

    func track(_ base: String, key: String, user: String) async throws -> Int {
        var request = URLRequest(url: URL(string: base + "/api/track")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: [
            "experimentId": "exp_checkout_button", "variantId": "control", "userKey": user, "eventType": "exposure",
        ])
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func killNineLosesNoAcknowledgedEvent() async throws {
        let (db, env) = try demo(users: 1000)
        let key = try cli.run(["keys", "create", "--role", "tracker", "--name", "app"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("rdo_"))
        let (server, base) = try start(env)
        // Acknowledge events while a second client keeps the server busy, then kill it without warning.
        var acknowledged = 0
        let stop = StopFlag()
        let flood = Task {
            var index = 0
            while !stop.isSet {
                _ = try? await track(base, key: key, user: "flood-\(index)")
                index += 1
            }
        }
        for index in 0..<100 {
            if (try? await track(base, key: key, user: "acked-\(index)")) == 200 { acknowledged += 1 }
        }
        kill(server.pid, SIGKILL)
        #expect(server.wait())
        stop.set()
        await flood.value
        #expect(acknowledged == 100)
        let connection = try Connection(path: db, mode: .readOnly)
        #expect(try connection.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'acked-%'").int64 == Int64(acknowledged))
        // Every flood event the database holds is whole: an event row for each idempotency row.
        #expect(try connection.scalar("SELECT count(*) FROM tracked_events t LEFT JOIN fct_events e ON e.event_id = t.event_id WHERE e.event_id IS NULL").int64 == 0)
        #expect(try connection.scalar("PRAGMA integrity_check").string == "ok")
        // It restarts cleanly on the same files.
        let (again, againBase) = try start(env)
        defer { again.stop() }
        let (data, _) = try await URLSession.shared.data(from: URL(string: againBase + "/healthz")!)
        #expect(String(decoding: data, as: UTF8.self).contains("\"status\":\"ok\""))
        #expect(try await track(againBase, key: key, user: "acked-0") == 200)  // a duplicate, acknowledged
    }

    /// A client that connects and then says nothing is disconnected after the idle timeout.
    @Test func stalledClientsAreDisconnected() async throws {
        let (_, env) = try demo(users: 1000)
        let (server, base) = try start(env, extra: ["--idle-timeout", "1"])
        defer { server.stop() }
        let fd = try Self.connectedSocket(base)
        defer { close(fd) }
        _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n".withCString { send(fd, $0, strlen($0), 0) }  // never finishes the request
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 512)
        let received = recv(fd, &buffer, buffer.count, 0)
        #expect(received <= 0)  // closed by the server, not timed out by us
        #expect(Date().timeIntervalSince(started) < 4.5)
    }

    /// Tracked events reach the models through the background refresh, without a full rebuild.
    @Test func backgroundRefreshBringsTrackedEventsIntoTheModels() async throws {
        let (db, env) = try demo(users: 1000)
        let key = try cli.run(["keys", "create", "--role", "tracker", "--name", "app"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let count = "SELECT sum(n_users) FROM agg_experiment_metric_by_variant WHERE experiment_id = 'exp_checkout_button' AND metric_id = 'conversion_7d' AND analysis_mode = 'itt'"
        let before = try Connection(path: db, mode: .readOnly).scalar(count).int64 ?? 0
        let (server, base) = try start(env, extra: ["--refresh-every", "1"])
        defer { server.stop() }
        for index in 0..<5 { #expect(try await track(base, key: key, user: "fresh-\(index)") == 200) }
        // A refresh may run between two of the five events, so wait for all five (not the first change);
        // the deadline is generous for a loaded machine, and a pass ends as soon as they are in.
        var after = before
        let deadline = Date().addingTimeInterval(60)
        while after < before + 5, Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            after = try Connection(path: db, mode: .readOnly).scalar(count).int64 ?? 0
        }
        #expect(after == before + 5)
        let runs = try Connection(path: db, mode: .readOnly).rows("SELECT mode, events, experiments FROM readout_runs WHERE events > 0 ORDER BY run_id DESC LIMIT 1")
        #expect(runs.first?[0].string == "incremental")
        #expect(runs.first?[2].string == "exp_checkout_button")
    }

    @Test func sigtermStopsGracefully() async throws {
        let (_, env) = try demo(users: 1000)
        let (server, _) = try start(env)
        #expect(server.stop(), "SIGTERM did not stop it within 30 s")
        #expect(server.status == 0)
    }
}

extension ServeCLITests {
    @Test("a port in use is one clear line and exit 1")
    func portInUse() async throws {
        let (_, env) = try demo(users: 500)
        let (server, base) = try start(env)
        defer { server.stop() }
        let port = try #require(base.split(separator: ":").last.map(String.init))
        let second = try cli.run(["serve", "--port", port, "--refresh-every", "0"], environment: env)
        #expect(second.status == 1)
        #expect(second.stderr == "port \(port) is already in use on 127.0.0.1; choose another with --port (or stop the other server).\n")
    }
}

extension ServeCLITests {
    /// A client that sends `Expect: 100-continue` (curl does for bodies over 1 MB) gets `100 Continue`
    /// as soon as its headers arrive, before it sends the body; then the answer.
    @Test("Expect: 100-continue is answered before the body is sent")
    func expectContinue() async throws {
        let (_, env) = try demo(users: 500)
        let key = try cli.run(["keys", "create", "--role", "tracker", "--name", "app"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, base) = try start(env)
        defer { server.stop() }
        let fd = try Self.connectedSocket(base)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)  // only a bound: the interim answer comes at once, or never
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let body = #"{"experimentId":"exp_checkout_button","variantId":"control","userKey":"continue-1","eventType":"exposure"}"#
        let head = "POST /api/track HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n"
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        }
        let interim = receive()
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue"), "\(interim)")
        _ = body.withCString { send(fd, $0, strlen($0), 0) }
        var answer = interim.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        for _ in 0..<20 where !answer.contains("\"duplicate\"") {  // the head and the body may come in separate reads
            let more = receive()
            if more.isEmpty { break }
            answer += more
        }
        #expect(answer.contains("HTTP/1.1 200") && answer.contains("\"duplicate\":false"), "\(answer)")
    }

    /// Health never queues behind the queries: with every reader running a runaway query and the
    /// line closed, `/healthz` answers before any of those queries is cut at its limit. An ordering,
    /// not a latency bound: from the first 503 (every reader busy) until the first timeout (a reader
    /// frees) no reader is free, so a probe made inside that window needed none. The server is a
    /// process of its own, so the other tests' work cannot hold its threads.
    @Test func healthAnswersWhileEveryReaderIsBusy() async throws {
        let (_, env) = try demo(users: 1000)
        let key = try cli.run(["keys", "create", "--role", "analyst", "--name", "load"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, base) = try start(env, extra: ["--readers", "2", "--queue", "0", "--timeout", "10"])
        defer { _ = server.stop() }
        let clock = ContinuousClock()
        let answers = Answers()
        let runaway = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT count(*) FROM r"
        let queries = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var request = URLRequest(url: URL(string: base + "/api/query")!)
                        request.httpMethod = "POST"
                        request.timeoutInterval = 120
                        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
                        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                        request.httpBody = try JSONSerialization.data(withJSONObject: ["sql": runaway])
                        let (_, response) = try await URLSession.shared.data(for: request)
                        answers.add(clock.now, (response as? HTTPURLResponse)?.statusCode ?? 0)
                    }
                }
                try await group.waitForAll()
            }
        }
        // Two readers run two of them; the others are turned away at once (no line).
        let waitStarted = clock.now
        while !answers.all.contains(where: { $0.1 == 503 }) {
            guard clock.now - waitStarted < .seconds(60) else { Issue.record("no 503 within 60 s: \(answers.all)"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
        let (data, response) = try await URLSession.shared.data(from: URL(string: base + "/healthz")!)
        let probed = clock.now
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: data, as: UTF8.self))")
        try await queries.value
        let all = answers.all
        #expect(all.filter { $0.1 == 422 }.count == 2 && all.filter { $0.1 == 503 }.count == 4, "\(all.map(\.1))")
        let firstCut = try #require(all.filter { $0.1 == 422 }.map(\.0).min())
        #expect(probed < firstCut, "/healthz answered \(probed - firstCut) after the first query was cut")
    }
}

/// When each answer came, and its status: filled from the tasks of a task group.
final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(ContinuousClock.Instant, Int)] = []
    func add(_ instant: ContinuousClock.Instant, _ status: Int) { lock.withLock { stored.append((instant, status)) } }
    var all: [(ContinuousClock.Instant, Int)] { lock.withLock { stored } }
}

/// A flag one task sets and another polls (instead of cancelling in-flight URLSession tasks).
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
