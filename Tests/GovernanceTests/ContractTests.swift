import ReadoutTesting
import Semantic
import Foundation
import Testing
@testable import Governance
import Warehouse

@Suite struct ContractTests {
    /// Writes a contract folder with the given index and asset files.
    private func folder(index: String, assets: [String: String]) throws -> URL {
        let root = TestScratch.directory("contract")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try index.write(to: root.appendingPathComponent("index.yml"), atomically: true, encoding: .utf8)
        for (name, text) in assets {
            try text.write(to: root.appendingPathComponent("assets/\(name).yml"), atomically: true, encoding: .utf8)
        }
        return root
    }

    private let asset = """
        name: things
        description: Things.
        grain: id
        primary_key: [id]
        owner: team-x
        columns:
          - name: id
            type: text
            description: Id.
            pii: false
            allowed: true
          - name: secret
            type: text
            description: A secret.
            pii: true
            allowed: true
        """

    @Test func shippedContractMatchesTheIssue() {
        let contract = Fixtures.contract
        let governed: Set = ["experiments", "experiment_variants", "metrics", "agg_experiment_metric_by_variant", "fct_experiment_results", "fct_experiment_verdicts", "fct_experiment_exposure_quality_daily", "dim_ai_allowed_assets"]
        #expect(contract.roles["analyst"]?.assets == governed)
        #expect(contract.roles["chat"]?.assets == governed)
        #expect(contract.roles["auditor"]?.assets.isEmpty == true)
        #expect(contract.roles["analyst"]?.rowPolicies.isEmpty == true)
        #expect(contract.roles["team_growth"]?.rowPolicies.count == 6)
        // PII lives in users only, and every column of the governed assets is readable.
        let pii = contract.assets.values.flatMap { asset in asset.columns.filter(\.pii).map { "\(asset.name).\($0.name)" } }
        #expect(pii == ["users.email"])
        for name in governed { #expect(contract.asset(name)?.columns.allSatisfy(\.isReadable) == true) }
        #expect(contract.metrics.map(\.id) == ["conversion_7d", "revenue_7d", "refund_7d", "latency_ms"])
    }

    @Test func errorsNameFileLineAndField() throws {
        let broken = asset.replacingOccurrences(of: "    pii: true\n", with: "    pii: maybe\n")
        let root = try folder(index: "version: 1\nroles:\n  analyst:\n    assets: [things]\n", assets: ["things": broken])
        #expect { try ContractLoader.load(directory: root) } throws: { error in
            guard let error = error as? ContractError else { return false }
            return error.file.hasSuffix("assets/things.yml") && error.line == 15 && error.field == "columns[1].pii" && error.message.contains("true or false")
        }
        let typo = try folder(index: "version: 1\nroles:\n  analyst:\n    asets: [things]\n", assets: ["things": asset])
        #expect { try ContractLoader.load(directory: typo) } throws: { error in
            guard let error = error as? ContractError else { return false }
            return error.file.hasSuffix("index.yml") && error.line == 4 && error.message.contains("Unknown key asets")
        }
        let unknownAsset = try folder(index: "version: 1\nroles:\n  analyst:\n    assets: [thing]\n", assets: ["things": asset])
        #expect { try ContractLoader.load(directory: unknownAsset) } throws: { ($0 as? ContractError)?.message.contains("Unknown asset thing") == true }
        let badPolicy = try folder(index: "version: 1\nroles:\n  analyst:\n    assets: [things]\n    row_policies:\n      things: \"id = = 1\"\n", assets: ["things": asset])
        #expect { try ContractLoader.load(directory: badPolicy) } throws: { ($0 as? ContractError)?.field == "roles.analyst.row_policies.things" }
    }

    @Test("measures are checked: a column the asset lacks, or a broken expression, is an error naming the field")
    func measuresAreChecked() throws {
        #expect(Fixtures.contract.measures.map(\.id).contains("value_per_converter"))
        let index = "version: 1\nroles:\n  analyst:\n    assets: [things]\nmeasures:\n  - id: m\n    name: M\n    asset: things\n    expression: \"%@\"\n"
        let good = try folder(index: index.replacingOccurrences(of: "%@", with: "1.0 * id / 2"), assets: ["things": asset])
        #expect(try ContractLoader.load(directory: good).measures.first?.expression == "1.0 * id / 2")
        let column = try folder(index: index.replacingOccurrences(of: "%@", with: "value_sum / n_users"), assets: ["things": asset])
        #expect { try ContractLoader.load(directory: column) } throws: { error in
            guard let error = error as? ContractError else { return false }
            return error.field == "measures[0].expression" && error.message.contains("value_sum is not a column of things")
        }
        let broken = try folder(index: index.replacingOccurrences(of: "%@", with: "1.0 * / id"), assets: ["things": asset])
        #expect { try ContractLoader.load(directory: broken) } throws: { ($0 as? ContractError)?.field == "measures[0].expression" }
    }

    @Test func emptyOrMissingContractDeniesEverything() throws {
        let missing = try ContractLoader.load(directory: URL(fileURLWithPath: "/nonexistent/contract"))
        #expect(missing.isEmpty)
        let decision = QueryGuard(contract: missing).check("SELECT 1", role: "analyst")
        #expect(decision.decision == .blocked)
        #expect(decision.reasons.map(\.code) == [.roleNotAllowed])
        let noRoles = try ContractLoader.load(directory: folder(index: "version: 1\nroles: {}\n", assets: ["things": asset]))
        #expect(QueryGuard(contract: noRoles).check("SELECT id FROM things", role: "analyst").decision == .blocked)
    }

    @Test func piiIsNeverReadableEvenWhenAllowed() throws {
        let root = try folder(index: "version: 1\nroles:\n  analyst:\n    assets: [things]\n", assets: ["things": asset])
        let queryGuard = QueryGuard(contract: try ContractLoader.load(directory: root))
        #expect(queryGuard.check("SELECT id FROM things", role: "analyst").isApproved)
        for sql in ["SELECT secret FROM things", "SELECT * FROM things", "SELECT t.* FROM things t", "SELECT id FROM things WHERE secret LIKE 'a%'",
                    "SELECT id FROM things ORDER BY secret", "SELECT id FROM things GROUP BY secret", "SELECT count(*) FROM things a JOIN things b ON a.secret = b.secret",
                    "SELECT id FROM things NATURAL JOIN things", "SELECT 1 IN things", "SELECT row_number() OVER (PARTITION BY secret) FROM things",
                    "SELECT id FROM (SELECT * FROM things)", "WITH t AS (SELECT * FROM things) SELECT id FROM t", "SELECT id FROM things a JOIN things b USING (secret)"] {
            let decision = queryGuard.check(sql, role: "analyst")
            #expect(decision.reasons.map(\.code).contains(.columnNotAllowed), "\(sql)")
        }
    }

    @Test func lintReportsDriftAgainstTheWarehouse() throws {
        let connection = try Connection(path: Fixtures.warehouse, mode: .readOnly)
        #expect(try ContractLint.run(Fixtures.contract, on: connection).isEmpty)
        var drifted = Fixtures.contract
        drifted.assets["experiments"]?.columns.append(Column(name: "budget", type: "real", description: "", pii: false, allowed: true, synonyms: []))
        drifted.assets["metrics"]?.columns[0].type = "integer"
        drifted.assets["users"] = nil
        let findings = try ContractLint.run(drifted, on: connection)
        #expect(findings.contains { $0.severity == .error && $0.column == "budget" })
        #expect(findings.contains { $0.severity == .error && $0.asset == "metrics" && $0.column == "metric_id" })
        #expect(findings.contains { $0.severity == .warning && $0.asset == "users" })
    }

    @Test func allowedAssetsTableIsFilledFromTheContract() throws {
        let connection = try Connection(path: Fixtures.warehouse, mode: .readOnly)
        let rows = try connection.rows("SELECT asset_name, roles FROM dim_ai_allowed_assets ORDER BY asset_name")
        #expect(rows.count == 8)
        #expect(rows.first?[0].string == "agg_experiment_metric_by_variant")
        #expect(rows.allSatisfy { $0[1].string?.contains("chat") == true })
    }
}
