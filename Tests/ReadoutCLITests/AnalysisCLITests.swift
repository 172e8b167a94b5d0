import Foundation
import Testing

/// `analyze`, `memo` and `power` through the real binary.
@Suite("readout analyze, memo, power")
struct AnalysisCLITests {
    let cli = CLITests()

    @Test("analyze --csv prints the decision; --format json is the documented contract")
    func analyzeCSV() throws {
        let table = try cli.run(["analyze", "--csv", "fixtures/analysis/checkout_export.csv"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Decision: Launch treatment"))
        let json = try cli.run(["analyze", "--csv", "fixtures/analysis/checkout_export.csv", "--format", "json", "--sequential"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let decision = try #require(object["decision"] as? [String: Any])
        let comparisons = try #require(object["comparisons"] as? [[String: Any]])
        #expect(comparisons.map { $0["metric"] as? String } == ["conversion", "revenue", "refund"])
        // --sequential decides with the always-valid test: its p and interval replace the fixed-horizon ones.
        let sequential = try #require(comparisons[0]["sequential"] as? [String: Any])
        #expect(comparisons[0]["relPValue"] as? Double == sequential["pValue"] as? Double)
        #expect(comparisons[0]["relCiLow"] as? Double == sequential["relCiLow"] as? Double)
        let significant = try #require(comparisons[0]["significant"] as? Bool)
        #expect(significant == ((sequential["relCiLow"] as? Double ?? 0) > 0))
        #expect((decision["verdict"] as? String == "Launch") == significant)
        #expect((object["settings"] as? [String: Any])?["decisionTest"] as? String == "sequential")
    }

    @Test("a broken CSV is one clear line naming row and column, exit non-zero")
    func brokenCSV() throws {
        let result = try cli.run(["analyze", "--csv", "fixtures/analysis/broken_export.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("row 3, column 'conversions': 1200 exceeds users (1000)"))
        #expect(result.stdout.isEmpty)
    }

    @Test("memo writes Markdown or a self-contained HTML file")
    func memo() throws {
        let dir = try cli.scratch()
        let html = dir.appendingPathComponent("memo.html").path
        let result = try cli.run(["memo", "--csv", "fixtures/analysis/checkout_export.csv", "--format", "html", "-o", html])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("Launch treatment"))
        let markdown = try cli.run(["memo", "--csv", "fixtures/analysis/checkout_export.csv"])
        #expect(markdown.stdout.contains("## Next actions"))
    }

    @Test("memo and analyze read the warehouse by experiment id")
    func warehouse() throws {
        let db = try cli.scratch().appendingPathComponent("w.db").path
        #expect(try cli.run(["demo", "--db", db, "--users", "3000"]).status == 0)
        let result = try cli.run(["analyze", "--db", db, "--experiment", "exp_search_ranking", "--mode", "exposed"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("exp_search_ranking (exposed)"))
        let unknown = try cli.run(["memo", "--db", db, "--experiment", "exp_missing"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No experiment 'exp_missing'"))
    }

    @Test("power: users per arm and days, validated input")
    func power() throws {
        let result = try cli.run(["power", "--baseline", "0.05", "--mde", "0.1", "--relative", "--daily-traffic", "4000", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // statsmodels NormalIndPower: 31,217.4 → 31,218 per arm (fixtures/stats/reference.json, first power case).
        #expect(object["requiredPerArm"] as? Int == 31218)
        #expect(object["days"] as? Int == 16)
        let bad = try cli.run(["power", "--baseline", "1.5", "--mde", "0.1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--baseline must be a rate between 0 and 1"))
    }
}
