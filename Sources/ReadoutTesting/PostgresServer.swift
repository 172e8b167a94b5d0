public import Foundation

/// A PostgreSQL server of the test process's own: `initdb` into the scratch folder, the postmaster
/// started on a free loopback port, and stopped (immediate shutdown) when the process exits. Tests
/// share it and each makes its own database (``newDatabase(_:)``), so they never see each other's data.
///
/// Uses Debian's `postgresql` package (`initdb`, `postgres`, `pg_isready`, `createdb` on the PATH or
/// under /usr/lib/postgresql/*/bin). Run as root, the server runs as the `postgres` system user
/// (PostgreSQL refuses root) through `setpriv`. A missing server binary is an error naming the
/// package to install — never a silent skip.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    /// The superuser the cluster was made with (trust authentication on loopback).
    public let user = "readout"
    public let dataDirectory: URL
    /// The server's self-signed TLS certificate (for `localhost`): the trust root for sslmode verify-*.
    public let certificate: URL
    let binaries: URL
    let process: Process

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The process's server, started on first use.
    public static func shared() throws -> PostgresServer {
        try lock.withLock {
            if let server = started { return server }
            let server = try PostgresServer()
            started = server
            atexit { PostgresServer.stopShared() }
            return server
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: PostgresServer?

    /// Immediate shutdown, waited for (at most 30 s) so the scratch folder can then be removed.
    static func stopShared() {
        guard let server = started else { return }
        kill(server.process.processIdentifier, SIGQUIT)
        if server.exited.wait(timeout: .now() + 30) != .success { kill(server.process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: server.dataDirectory)
    }

    static let prefix = "readout-test-postgres-"

    /// Data folders of test processes that are gone (their server stops by itself once its lock file goes).
    static func removeStale() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix(while: \.isNumber)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: "/tmp/" + name) }
        }
    }

    let exited = DispatchSemaphore(value: 0)

    /// `postgresql://readout@127.0.0.1:PORT/DATABASE`.
    public func url(database: String) -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)"
    }

    /// A new, empty database with a unique name starting with `label`; returns its URL.
    public func newDatabase(_ label: String = "t") throws -> String {
        let name = "\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.runTool(binaries.appendingPathComponent("createdb"), ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, name], asPostgres: false)
        return url(database: name)
    }

    init() throws {
        binaries = try Self.locateBinaries()
        let asPostgres = geteuid() == 0
        // Under /tmp itself, not $TMPDIR: run as root, the server is the postgres user, who cannot enter a
        // private temp folder (CI's is mode 700). Removed at exit; a dead process's folder by the next run.
        Self.removeStale()
        dataDirectory = URL(fileURLWithPath: "/tmp/\(Self.prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        if asPostgres {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: dataDirectory.path)
        }
        try Self.runTool(binaries.appendingPathComponent("initdb"),
                         ["-D", dataDirectory.path, "-U", user, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                         asPostgres: asPostgres)
        // TLS with a self-signed certificate for "localhost", so sslmode require / verify-full can be tested.
        certificate = dataDirectory.appendingPathComponent("server.crt")
        let key = dataDirectory.appendingPathComponent("server.key")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            throw Failure(description: "The PostgreSQL tests serve TLS with a certificate made by /usr/bin/openssl, which is missing. Install Debian's package: apt-get install -y openssl (bash .ci/run does).")
        }
        try Self.runTool(URL(fileURLWithPath: "/usr/bin/openssl"),
                         ["req", "-new", "-x509", "-days", "3", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=localhost",
                          "-addext", "subjectAltName=DNS:localhost", "-keyout", key.path, "-out", certificate.path],
                         asPostgres: asPostgres)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        port = try LoopbackPort.free()
        process = Process()
        let arguments = ["-D", dataDirectory.path, "-p", "\(port)", "-k", dataDirectory.path, "-c", "listen_addresses=127.0.0.1",
                         "-c", "ssl=on", "-c", "ssl_cert_file=\(certificate.path)", "-c", "ssl_key_file=\(key.path)",
                         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
                         "-c", "shared_buffers=64MB"]
        Self.configure(process, executable: binaries.appendingPathComponent("postgres"), arguments: arguments, asPostgres: asPostgres)
        let log = dataDirectory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        // One handle for both streams, so neither overwrites the other's lines.
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        // Ready when pg_isready says so (at most 60 s; the log is in the error otherwise).
        let deadline = Date().addingTimeInterval(60)
        while true {
            if (try? Self.runTool(binaries.appendingPathComponent("pg_isready"), ["-h", "127.0.0.1", "-p", "\(port)", "-q"], asPostgres: false)) != nil { break }
            if !process.isRunning || Date() > deadline {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                kill(process.processIdentifier, SIGQUIT)
                throw Failure(description: "The test PostgreSQL server did not start on port \(port). Its log:\n\(text)")
            }
            usleep(100_000)
        }
    }

    static func locateBinaries() throws -> URL {
        var candidates: [URL] = []
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        candidates += versions.map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin") }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(directory)))
        }
        for directory in candidates where ["initdb", "postgres", "pg_isready", "createdb"].allSatisfy({
            FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path)
        }) {
            return directory
        }
        throw Failure(description: "The PostgreSQL tests need a PostgreSQL server (initdb, postgres, pg_isready, createdb), found neither under /usr/lib/postgresql/*/bin nor on the PATH. Install Debian's package: apt-get install -y postgresql (bash .ci/run does).")
    }

    static func configure(_ process: Process, executable: URL, arguments: [String], asPostgres: Bool) {
        if asPostgres {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
    }

    /// Runs a tool to its end (at most 120 s) and throws with its output when it fails.
    static func runTool(_ executable: URL, _ arguments: [String], asPostgres: Bool) throws {
        let process = Process()
        configure(process, executable: executable, arguments: arguments, asPostgres: asPostgres)
        let output = TestScratch.file("tool.log")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        guard done.wait(timeout: .now() + 120) == .success else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "\(executable.lastPathComponent) did not finish in 120 s.")
        }
        try? handle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Failure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(text)")
        }
    }
}
