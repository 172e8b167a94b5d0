import ReadoutTesting
import Foundation
import Testing
import Warehouse

/// The `readout` binary, run as a user runs it: real process, real files.
@Suite("readout command line")
struct CLITests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("readout")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["READOUT_DB"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let child = Child(process)
        try child.run()
        let stdout = PipeDrain(out), stderr = PipeDrain(err)
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // A command that has not ended in five minutes is stuck: end it and say which one it was.
        guard child.wait(seconds: 300) else {
            child.stop(grace: 5)
            Issue.record("readout \(arguments.joined(separator: " ")) did not end within 300 s")
            throw POSIXError(.ETIMEDOUT)
        }
        return Output(status: child.status, stdout: stdout.text() ?? "", stderr: stderr.text() ?? "")
    }

    func scratch() throws -> URL {
        let url = TestScratch.directory("cli")
        return url
    }

    @Test("demo creates a warehouse, prints results, and check passes")
    func demoThenCheck() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the readout product first")
        let db = try scratch().appendingPathComponent("w.db").path
        let demo = try run(["demo", "--db", db, "--users", "2000"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Created \(db)"))
        #expect(demo.stdout.contains("exp_checkout_button   treatment"))
        #expect(demo.stderr.isEmpty)  // no progress bar when stderr is not a terminal
        let check = try run(["check", "--db", db])
        #expect(check.status == 0)
        #expect(check.stdout.hasSuffix("82 passed, 0 failed\n"))
    }

    @Test("demo refuses to replace a file without --force when nobody can be asked")
    func demoRefusesOverwrite() throws {
        let db = try scratch().appendingPathComponent("w.db").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: db))
        let refused = try run(["demo", "--db", db, "--users", "100"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(db) already exists. Pass --force to replace it"))
        #expect(try String(contentsOfFile: db, encoding: .utf8) == "keep me")
        #expect(try run(["demo", "--db", db, "--users", "100", "--force"]).status == 0)
    }

    @Test("READOUT_DB picks the warehouse when --db is absent")
    func environmentDatabase() throws {
        let db = try scratch().appendingPathComponent("env.db").path
        #expect(try run(["demo", "--users", "100"], environment: ["READOUT_DB": db]).status == 0)
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test("check exits 1 and shows failing rows when a contract breaks")
    func checkFails() throws {
        let db = try scratch().appendingPathComponent("w.db").path
        #expect(try run(["demo", "--db", db, "--users", "300"]).status == 0)
        // The CHECK constraint refuses the value; plant it past the constraint, as a raw import could.
        let connection = try Connection(path: db)
        try connection.execute("PRAGMA ignore_check_constraints = 1")
        try connection.execute("UPDATE experiments SET status = 'paused' WHERE experiment_id = 'exp_dark_mode'")
        let check = try run(["check", "--db", db, "--failures-only"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("FAIL  accepted_values(experiments.status)  — 1 failing"))
        #expect(check.stdout.contains("paused"))
        let json = try run(["check", "--db", db, "--format", "json", "--failures-only"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["status"] as? String == "fail")
    }

    @Test("a missing warehouse is one clear line on stderr and a non-zero exit")
    func missingWarehouse() throws {
        let db = try scratch().appendingPathComponent("absent.db").path
        let check = try run(["check", "--db", db])
        #expect(check.status != 0)
        #expect(check.stderr == "Error: No warehouse at \(db). Create one with `readout demo --db \(db)` or point --db / READOUT_DB at an existing file.\n")
    }

    @Test("build reports each model as JSON or CSV")
    func buildFormats() throws {
        let db = try scratch().appendingPathComponent("w.db").path
        #expect(try run(["demo", "--db", db, "--users", "200"]).status == 0)
        let json = try run(["build", "--db", db, "--format", "json"])
        #expect(json.status == 0)
        let models = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(models?.count == 12)
        #expect(models?.last?["model"] as? String == "fct_experiment_verdicts")
        let csv = try run(["build", "--db", db, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("model,rows,seconds\n"))
    }

    @Test("help lists the subcommands and --users is validated")
    func help() throws {
        let help = try run(["--help"])
        #expect(help.status == 0)
        for command in ["demo", "build", "check"] { #expect(help.stdout.contains("  \(command) ")) }
        let bad = try run(["demo", "--users", "0", "--db", "/tmp/never.db"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--users must be between 1 and 50,000,000"))
    }
}
