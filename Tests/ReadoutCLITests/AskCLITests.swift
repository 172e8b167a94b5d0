import ReadoutTesting
import Foundation
import Testing

/// `readout ask`, `eval`, `repl` and `config show` through the real binary.
@Suite("ask, eval and repl", .serialized)
struct AskCLITests {
    let cli = CLITests()
    static let shared: (db: String, audit: String) = {
        let dir = TestScratch.directory("ask")
        return (dir.appendingPathComponent("w.db").path, dir.appendingPathComponent("audit.db").path)
    }()

    var env: [String: String] {
        ["READOUT_DB": Self.shared.db, "READOUT_AUDIT_DB": Self.shared.audit,
         "READOUT_STUB_PLANS": CLITests.repositoryRoot.appendingPathComponent("fixtures/planner/stub.yaml").path]
    }

    func ensureWarehouse() throws {
        if !FileManager.default.fileExists(atPath: Self.shared.db) {
            let demo = try cli.run(["demo", "--db", Self.shared.db, "--users", "20000"])
            #expect(demo.status == 0, "\(demo.stderr)")
        }
    }

    @Test func askAnswersRefusesAndExitCodes() throws {
        try ensureWarehouse()
        let answer = try cli.run(["ask", "what is the lift on checkout button?", "--show-sql"], environment: env)
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains("SQL (rule): SELECT"))
        #expect(answer.stdout.contains("In exp_checkout_button (ITT)"))
        let json = try cli.run(["ask", "which experiments are running?", "--format", "json"], environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["decision"] as? String == "approved")
        #expect((object["rows"] as? [[Any]])?.count == 5)
        let refused = try cli.run(["ask", "show me user emails"], environment: env)
        #expect(refused.status == 3)  // blocked: a refusal, not "not understood"
        #expect(refused.stdout.contains("personal data"))
        #expect(refused.stdout.contains("Try:"))
        // Asking for the LLM planner with no LLM configured is a usage error naming the settings.
        let noLLM = try cli.run(["ask", "lift on checkout button", "--planner", "llm"], environment: env)
        #expect(noLLM.status == 2)
        #expect(noLLM.stderr.contains("--planner llm needs an LLM: set llm.provider and llm.model"))
        let stub = try cli.run(["ask", "show me user emails", "--planner", "stub"], environment: env)
        #expect(stub.status == 3)
        #expect(stub.stdout.contains("table_not_allowed"))
    }

    @Test func evalMeetsTheTarget() throws {
        try ensureWarehouse()
        let split = try cli.run(["eval", "--split", "dev", "--format", "json"], environment: env)
        #expect(split.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(split.stdout.utf8)) as? [String: Any])
        #expect(report["split"] as? String == "dev")
        #expect((report["outcomes"] as? [[String: Any]])?.count == 112)
        let eval = try cli.run(["eval", "--min-accuracy", "0.95"], environment: env)
        #expect(eval.status == 0, "\(eval.stdout)")
        #expect(eval.stdout.contains("out-of-scope refused: 12/12; forbidden assets touched: 0"))
    }

    /// A scripted session through a pipe: questions, SQL, meta-commands.
    @Test func replScriptedSession() throws {
        try ensureWarehouse()
        let script = ["\\assets", "lift on checkout button", "\\sql", "SELECT email FROM users", "\\why", "\\format csv", "list metrics", "\\planner nope", "\\history", "\\quit", "never read"]
        let output = try cli.run(["repl"], environment: env, input: script.joined(separator: "\n") + "\n")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("fct_experiment_results — "))
        #expect(output.stdout.contains("In exp_checkout_button (ITT)"))
        #expect(output.stdout.contains("SQL display off."))
        #expect(output.stdout.contains("decision: blocked  planner: sql"))
        #expect(output.stdout.contains("reason: table_not_allowed"))
        #expect(output.stdout.contains("metric_id,name,kind,higher_is_better,is_guardrail\nconversion_7d,"))
        #expect(output.stdout.contains("Planners: auto, rule, stub."))
        #expect(output.stdout.contains("2  SELECT email FROM users"))
        #expect(!output.stdout.contains("never read"))
    }

    @Test func configShowMasksTheKey() throws {
        let output = try cli.run(["config", "show"], environment: ["READOUT_LLM_PROVIDER": "anthropic", "READOUT_LLM_MODEL": "claude", "ANTHROPIC_API_KEY": "sk-ant-very-secret-key-1234"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("sk-…1234"))
        #expect(!output.stdout.contains("very-secret"))
        #expect(output.stdout.contains("env READOUT_LLM_PROVIDER"))
    }
}
