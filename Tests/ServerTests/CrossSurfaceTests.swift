import Analysis
import Foundation
import Testing
@testable import Gateway
import Warehouse

/// Issue 11's promise, checked on a real demo warehouse over real HTTP: for every
/// experiment × metric × arm × mode, `analyze` (the analyzer on the warehouse),
/// `fct_experiment_results` / `fct_experiment_verdicts`, `GET /api/experiments/{id}/results`
/// and the numbers an `ask` readout quotes are the same numbers.
@Suite("One engine behind every number", .serialized)
struct CrossSurfaceTests {
    @Test("analyze, the results tables, the HTTP results and ask agree to the digit")
    func everySurfaceAgrees() async throws {
        let server = try await ServerTests.Harness()
        defer { server.stop() }
        let db = server.warehousePath
        let reader = try Connection(path: db, mode: .readOnly)
        let experiments = try reader.rows("SELECT experiment_id FROM experiments ORDER BY experiment_id").compactMap { $0[0].string }
        #expect(experiments.count == 8)
        var compared = 0
        for id in experiments {
            for mode in WarehouseExperiment.Mode.allCases {
                let report = Analyzer().analyze(try WarehouseExperiment.load(id, mode: mode, from: reader))

                // The HTTP results are the analyze JSON, key for key.
                let (status, api, _) = try await server.request("GET", "/api/experiments/\(id)/results?mode=\(mode.rawValue)", key: server.keys["admin"])
                #expect(status == 200)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let local = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? NSDictionary
                #expect(local == (api as NSDictionary), "\(id) \(mode)")

                // The results table carries the same comparisons.
                let rows = try reader.rows("SELECT * FROM fct_experiment_results WHERE experiment_id = ? AND analysis_mode = ? AND is_control = 0", [id, mode.rawValue])
                #expect(rows.count == report.comparisons.count, "\(id) \(mode)")
                for row in rows {
                    let c = try #require(report.comparisons.first { $0.metric == row["metric_id"].string && $0.variant == row["variation_id"].string })
                    #expect(row["uplift_abs"].double == c.absoluteLift)
                    #expect(row["uplift_rel"].double == c.relativeLift)
                    #expect(row["p_value_two_sided"].double == c.pValue)
                    #expect(row["ci_low"].double == c.ciLow && row["ci_high"].double == c.ciHigh)
                    #expect(row["rel_p_value"].double == c.relPValue)
                    #expect(row["adjusted_p_value"].double == c.adjustedPValue)
                    #expect(row["rel_ci_low"].double == c.relCiLow && row["rel_ci_high"].double == c.relCiHigh)
                    #expect(row["is_significant"].int64 == (c.relPValue == nil ? nil : (c.significant ? 1 : 0)))
                    #expect(row["chance_to_beat_control"].double == c.chanceToBeatControl)
                    #expect(row["cuped_variance_reduction"].double == c.cuped?.varianceReduction)
                    let guardrail = report.guardrails.first { $0.metric == c.metric && $0.variant == c.variant }
                    #expect(row["guardrail_status"].string == guardrail?.status.rawValue)
                    compared += 1
                }
                let verdict = try #require(try reader.rows("SELECT * FROM fct_experiment_verdicts WHERE experiment_id = ? AND analysis_mode = ?", [id, mode.rawValue]).first)
                #expect(verdict["verdict"].string == report.decision.verdict.rawValue)
                #expect(verdict["variation_id"].string == report.decision.variant)
                #expect(verdict["health_status"].string == report.health.status.rawValue)
                #expect(verdict["srm_p_value"].double == report.srm?.pValue)

                // ask quotes the table's numbers, and its rows hold them.
                guard let primary = report.comparisons.first(where: { $0.role == .primary && $0.relPValue != nil }) else { continue }
                let question = "what is the lift on \(id)\(mode == .exposed ? " for exposed users" : "")?"
                let (askStatus, answer, _) = try await server.post("/api/ask", key: server.keys["analyst"], json: ["question": question])
                #expect(askStatus == 200)
                let readout = answer["readout"] as? String ?? ""
                let columns = answer["columns"] as? [String] ?? []
                let answerRows = answer["rows"] as? [[Any]] ?? []
                let lifts = answerRows.compactMap { row in columns.firstIndex(of: "uplift_rel").flatMap { row[$0] as? Double } }
                // (Through JSON text and Foundation's parser a double may come back one ulp off.)
                let lift = try #require(primary.relativeLift)
                #expect(lifts.contains { abs($0 - lift) <= 4 * lift.ulp }, "\(question)")
                for c in report.comparisons where c.metric == primary.metric {
                    guard let lift = c.relativeLift, let p = c.adjustedPValue, let low = c.relCiLow else { continue }
                    #expect(readout.contains(ReadoutFormat.signedPercent(lift)), "\(question): \(readout)")
                    #expect(readout.contains(ReadoutFormat.signedPercent(low)), "\(question): \(readout)")
                    #expect(readout.contains(ReadoutFormat.p(p)), "\(question): \(readout)")
                    #expect(readout.contains(c.significant ? "— significant" : "— not significant"), "\(question): \(readout)")
                }
            }
        }
        #expect(compared > 50)

        // The winning list is exactly the significant, better primary comparisons.
        let (_, winners, _) = try await server.post("/api/ask", key: server.keys["analyst"], json: ["question": "which experiments are winning?"])
        let columns = winners["columns"] as? [String] ?? []
        let listed = Set((winners["rows"] as? [[Any]] ?? []).map { row in
            "\(row[columns.firstIndex(of: "experiment_id") ?? 0]) \(row[columns.firstIndex(of: "variation_id") ?? 1])"
        })
        var expected: Set<String> = []
        for id in experiments {
            let report = Analyzer().analyze(try WarehouseExperiment.load(id, mode: .itt, from: reader))
            for c in report.comparisons where c.role == .primary && c.significant && (c.relativeLift ?? 0) > 0 { expected.insert("\(id) \(c.variant)") }
        }
        #expect(listed == expected)
    }
}
