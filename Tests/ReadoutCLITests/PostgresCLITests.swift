import Foundation
import PostgresWarehouse
import ReadoutTesting
import Warehouse
import Testing

/// `readout` against a real PostgreSQL server (the test process's own): the commands that run on it,
/// the same answers as on SQLite, and clear errors.
@Suite("readout on PostgreSQL")
struct PostgresCLITests {
    let cli = CLITests()

    @Test("demo, check, build --incremental and analyze run on PostgreSQL and agree with SQLite")
    func demoCheckAnalyze() throws {
        let url = try PostgresServer.shared().newDatabase("cli")
        let demo = try cli.run(["demo", "--warehouse", url, "--users", "2000"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Created \(url)"))
        #expect(demo.stdout.contains("exp_checkout_button   treatment"))
        // Again: the demo replaces its own tables in one transaction.
        let again = try cli.run(["demo", "--warehouse", url, "--users", "2000"])
        #expect(again.status == 0, "\(again.stderr)")
        // The demo applied the contract: the database itself refuses a chat role the users' emails.
        let session = try PostgresSession(url: try PostgresURL(parsing: url))
        #expect(try session.readOnlyQuery("SELECT count(*) FROM fct_experiment_results", role: "chat", timeoutMilliseconds: 5_000, maxRows: 1).rows.count == 1)
        #expect(throws: WarehouseError.self) { _ = try session.readOnlyQuery("SELECT email FROM users", role: "chat", timeoutMilliseconds: 5_000, maxRows: 1) }
        let apply = try cli.run(["contract", "apply", "--warehouse", url])
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("readout_team_growth"))

        let check = try cli.run(["check", "--warehouse", url])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(" 0 failed"))

        // contract lint reads PostgreSQL's catalog: the demo matches; a column the contract does not
        // describe is a warning, a contract column with the wrong type an error.
        let lint = try cli.run(["contract", "lint", "--warehouse", url])
        #expect(lint.status == 0 && lint.stdout.contains("The contract matches the warehouse"), "\(lint.stdout)\(lint.stderr)")
        try session.execute("ALTER TABLE experiments ADD COLUMN budget_note TEXT")
        try session.execute("ALTER TABLE experiments ALTER COLUMN hypothesis TYPE BIGINT USING length(hypothesis)")
        let drifted = try cli.run(["contract", "lint", "--warehouse", url, "--format", "json"])
        #expect(drifted.status == 1)
        #expect(drifted.stdout.contains("budget_note") && drifted.stdout.contains("experiments.hypothesis is text in the contract but bigint"), "\(drifted.stdout)")
        #expect(try cli.run(["demo", "--warehouse", url, "--users", "2000"]).status == 0)

        let incremental = try cli.run(["build", "--incremental", "--warehouse", url])
        #expect(incremental.status == 0, "\(incremental.stderr)")
        #expect(incremental.stdout.contains("incremental"))

        let memo = try cli.run(["memo", "--warehouse", url, "--experiment", "exp_checkout_button"])
        #expect(memo.status == 0, "\(memo.stderr)")
        #expect(memo.stdout.contains("exp_checkout_button"))

        let db = TestScratch.file("cli-pg.db")
        #expect(try cli.run(["demo", "--db", db, "--users", "2000"]).status == 0)

        // query, ask and eval: the guard reads PostgreSQL's SQL, the planner writes it, and the
        // database runs it as the caller's contract role.
        let audit = ["READOUT_AUDIT": TestScratch.file("cli-pg-audit.db")]
        let query = try cli.run(["query", "--warehouse", url, "--sql", "SELECT experiment_id, started_at::date AS started FROM experiments WHERE name ILIKE '%checkout%' ORDER BY 1"], environment: audit)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout.contains("exp_checkout_button  2026-10-01"), "\(query.stdout)")
        // A role with row policies: the guard's policy subqueries name PostgreSQL's schema, and the rows are the team's.
        let team = try cli.run(["query", "--warehouse", url, "--role", "team_growth", "--sql", "SELECT DISTINCT r.experiment_id FROM fct_experiment_results AS r JOIN experiments AS e USING (experiment_id) ORDER BY 1"], environment: audit)
        #expect(team.status == 0, "\(team.stderr)")
        #expect(team.stdout.contains("exp_pricing_page") && team.stdout.contains("exp_signup_flow") && !team.stdout.contains("exp_checkout_button"), "\(team.stdout)")
        let blocked = try cli.run(["query", "--warehouse", url, "--sql", "SELECT pg_read_file('/etc/passwd')"], environment: audit)
        #expect(blocked.status == 3)
        #expect(blocked.stderr.contains("function_not_allowed"))
        for question in ["what is the lift on checkout button?", "how long did free shipping run?", "which teams have an experiment with a Launch verdict?",
                         "how many users per arm would onboarding email need to be properly powered?", "how many experiments are on hold?"] {
            let onPostgres = try cli.run(["ask", "--warehouse", url, "--format", "json", question], environment: audit)
            let onSQLite = try cli.run(["ask", "--db", db, "--format", "json", question], environment: audit)
            #expect(onPostgres.status == 0, "\(question): \(onPostgres.stderr)")
            let a = try JSONSerialization.jsonObject(with: Data(onPostgres.stdout.utf8)) as? [String: Any]
            let b = try JSONSerialization.jsonObject(with: Data(onSQLite.stdout.utf8)) as? [String: Any]
            #expect(Self.same(a?["rows"] as Any, b?["rows"] as Any), "\(question): rows differ between PostgreSQL and SQLite")
            #expect(Self.same(a?["columns"] as Any, b?["columns"] as Any), "\(question): columns differ")
        }
        // The dev split answered on PostgreSQL scores exactly as on SQLite (same seed; gold from the SQLite twin).
        let eval = try cli.run(["eval", "--split", "dev", "--warehouse", url, "--gold-db", db])
        let evalSQLite = try cli.run(["eval", "--split", "dev", "--db", db])
        #expect(eval.status == 0, "\(eval.stderr)")
        let summary = { (text: String) in text.split(separator: "\n").last.map { $0.split(separator: ";").dropLast().joined(separator: ";") } ?? "" }
        #expect(!summary(eval.stdout).isEmpty && summary(eval.stdout) == summary(evalSQLite.stdout), "\(eval.stdout)\n\(evalSQLite.stdout)")
        let noGold = try cli.run(["eval", "--split", "dev", "--warehouse", url])
        #expect(noGold.status != 0)
        #expect(noGold.stderr.contains("--gold-db"))
        for experiment in ["exp_checkout_button", "exp_recs_model_v2", "exp_search_ranking"] {
            let onPostgres = try cli.run(["analyze", "--warehouse", url, "--experiment", experiment, "--format", "json"])
            let onSQLite = try cli.run(["analyze", "--db", db, "--experiment", experiment, "--format", "json"])
            #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
            let a = try JSONSerialization.jsonObject(with: Data(onPostgres.stdout.utf8))
            let b = try JSONSerialization.jsonObject(with: Data(onSQLite.stdout.utf8))
            #expect(Self.same(a, b), "analyze \(experiment) differs between PostgreSQL and SQLite")
        }
    }

    @Test("A warehouse that is not there is a clear error that never prints the URL's password")
    func refusesClearly() throws {
        let port = try PostgresServer.shared().port
        let url = "postgresql://readout:hunter2@127.0.0.1:\(port)/nowhere"
        for arguments in [["keys", "list", "--warehouse", url], ["serve", "--warehouse", url, "--port", "0"], ["mcp", "--warehouse", url]] {
            let result = try cli.run(arguments, input: "")
            #expect(result.status != 0)
            #expect(result.stderr.contains("postgresql://readout@127.0.0.1:\(port)/nowhere") && result.stderr.contains("nowhere"), "\(arguments[0]): \(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("hunter2"))
        }
        // A database that is not there: a clear error naming the URL without its password.
        let missing = try cli.run(["query", "--warehouse", url, "--sql", "SELECT 1"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Cannot reach the PostgreSQL warehouse at postgresql://readout@127.0.0.1"), "\(missing.stderr)")
        #expect(!(missing.stdout + missing.stderr).contains("hunter2"))
        let unreachable = try cli.run(["check", "--warehouse", "postgresql://readout:hunter2@127.0.0.1:1/x"])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("Cannot reach PostgreSQL at postgresql://readout@127.0.0.1:1/x"), "\(unreachable.stderr)")
        #expect(!unreachable.stderr.contains("hunter2"))
        let shown = try cli.run(["config", "show"], environment: ["READOUT_WAREHOUSE": url])
        #expect(shown.stdout.contains("postgresql://readout:***@127.0.0.1"))
        #expect(!shown.stdout.contains("hunter2"))
    }

    /// Equal JSON, numbers to 1e-9 relative.
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0] as Any, y[$0] as Any) }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as NSNumber, let y as NSNumber):
            let p = x.doubleValue, q = y.doubleValue
            return p == q || abs(p - q) <= 1e-9 * max(1, abs(p), abs(q))
        case (let x as String, let y as String):
            return x == y
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }
}

extension PostgresCLITests {
    /// sslmode as psql reads it: the test server offers TLS with a self-signed certificate for localhost.
    @Test("sslmode: encrypted when the server offers TLS, verified when asked, refused clearly otherwise")
    func sslModes() throws {
        let server = try PostgresServer.shared()
        let url = try server.newDatabase("tls")
        #expect(try cli.run(["demo", "--warehouse", url, "--users", "500"]).status == 0)
        func encrypted(_ address: String) throws -> Bool {
            let session = try PostgresSession(url: try PostgresURL(parsing: address))
            return try session.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").int64 == 1
        }
        #expect(try encrypted(url))  // prefer, psql's default
        #expect(try encrypted(url + "?sslmode=require"))
        #expect(try !encrypted(url + "?sslmode=disable"))
        let localhost = url.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        #expect(try encrypted(localhost + "?sslmode=verify-full&sslrootcert=\(server.certificate.path)"))
        // The certificate names localhost, not 127.0.0.1; and without the root it is not trusted.
        #expect(throws: WarehouseError.self) { _ = try encrypted(url + "?sslmode=verify-full&sslrootcert=\(server.certificate.path)") }
        #expect(throws: WarehouseError.self) { _ = try encrypted(localhost + "?sslmode=verify-full") }
        #expect(try encrypted(url + "?sslmode=verify-ca&sslrootcert=\(server.certificate.path)"))
        // Through the CLI too, with PGSSLMODE; a bad mode is one clear line.
        let query = try cli.run(["query", "--warehouse", localhost, "--sql", "SELECT count(*) AS n FROM experiments"],
                                environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": server.certificate.path, "READOUT_AUDIT": TestScratch.file("tls-audit.db")])
        #expect(query.status == 0, "\(query.stderr)")
        let bad = try cli.run(["check", "--warehouse", url + "?sslmode=sometimes"])
        #expect(bad.status != 0 && bad.stderr.contains("sslmode sometimes is not one of"), "\(bad.stderr)")
    }
}
