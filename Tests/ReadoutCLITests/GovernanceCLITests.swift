import Foundation
import Testing
import Warehouse

/// `readout guard`, `query`, `contract` and `audit` through the real binary.
@Suite("governance commands", .serialized)
struct GovernanceCLITests {
    let cli = CLITests()

    private func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func guardPrintsTheContractJSONAndExitCodes() throws {
        let approved = try cli.run(["guard", "--sql", "SELECT name FROM experiments", "--format", "json"])
        #expect(approved.status == 0)
        let object = try json(Substring(approved.stdout.trimmingCharacters(in: .newlines)))
        #expect(object["decision"] as? String == "approved")
        #expect(object["tables"] as? [String] == ["experiments"])
        #expect((object["columns"] as? [String: [String]])?["experiments"] == ["name"])
        #expect(object["sql"] as? String == "SELECT name FROM experiments LIMIT 1000")
        let blocked = try cli.run(["guard", "--sql", "SELECT email FROM USERS", "--role", "chat"])
        #expect(blocked.status == 3)
        let reasons = try json(Substring(blocked.stdout.trimmingCharacters(in: .newlines)))["reasons"] as? [[String: String]]
        #expect(reasons?.first?["code"] == "table_not_allowed")
    }

    /// One JSON object per input line, in order, also for NUL bytes, invalid UTF-8 and empty lines.
    @Test func guardFileIsOneObjectPerLine() throws {
        let file = try cli.scratch().appendingPathComponent("queries.sql")
        var bytes = Data("SELECT 1\n\nSELECT * FROM users\nSELECT 1\u{0}; DROP TABLE x\n".utf8)
        bytes.append(contentsOf: [0x53, 0x45, 0x4C, 0xFF, 0x0A])  // "SEL" + invalid UTF-8
        bytes.append(Data("  SELECT metric_id FROM metrics  \r\n".utf8))
        try bytes.write(to: file)
        let output = try cli.run(["guard", "--file", file.path])
        #expect(output.status == 3)
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 6)
        let decisions = try lines.map { try json($0)["decision"] as? String }
        // Nothing is trimmed, but \r is whitespace to SQLite, so the last line is a valid query.
        #expect(decisions == ["approved", "blocked", "blocked", "blocked", "blocked", "approved"])
        let codes = try lines.map { (try json($0)["reasons"] as? [[String: String]])?.first?["code"] }
        #expect(codes == [nil, "empty", "table_not_allowed", "syntax_error", "syntax_error", nil])
    }

    @Test func queryRunsGuardsAndAudits() throws {
        let dir = try cli.scratch()
        let db = dir.appendingPathComponent("w.db").path
        let audit = dir.appendingPathComponent("audit.db").path
        #expect(try cli.run(["demo", "--db", db, "--users", "1500"]).status == 0)
        let env = ["READOUT_DB": db, "READOUT_AUDIT_DB": audit]
        let ok = try cli.run(["query", "--sql", "SELECT experiment_id, status FROM experiments WHERE status = 'draft'", "--format", "csv"], environment: env)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "experiment_id,status\nexp_dark_mode,draft\n")
        let blocked = try cli.run(["query", "--sql", "SELECT email FROM users"], environment: env)
        #expect(blocked.status == 3)
        #expect(blocked.stderr.contains("table_not_allowed"))
        let scoped = try cli.run(["query", "--sql", "SELECT count(*) AS n FROM experiments", "--role", "team_growth", "--format", "json"], environment: env)
        #expect(scoped.stdout.contains("\"n\":2") || scoped.stdout.contains("\"n\": 2"))
        let list = try cli.run(["audit", "list", "--format", "json"], environment: env)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(entries.map { $0["decision"] as? String } == ["approved", "blocked", "approved"])
        #expect(try cli.run(["audit", "list", "--blocked", "--code", "table_not_allowed"], environment: env).stdout.contains("SELECT email FROM users"))
        #expect(try cli.run(["audit", "show", "2"], environment: env).stdout.contains("\"principal\""))
        #expect(try cli.run(["audit", "verify"], environment: env).status == 0)
        let export = try cli.run(["audit", "export", "--format", "jsonl"], environment: env)
        #expect(export.stdout.split(separator: "\n").count == 3)
        // Tamper with the file behind the log's back: verify names the entry and fails.
        let raw = try Connection(path: audit)
        try raw.execute("DROP TRIGGER audit_log_no_update")
        try raw.execute("UPDATE audit_log SET sql_received = 'SELECT 1' WHERE id = 2")
        let verify = try cli.run(["audit", "verify"], environment: env)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("Entry 2"))
        let lint = try cli.run(["contract", "lint"], environment: env)
        #expect(lint.status == 0, "\(lint.stdout)")
    }
}
