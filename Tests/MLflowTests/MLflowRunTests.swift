import Analysis
import Foundation
import MLflow
import ReadoutTesting
import Testing

@Suite("MLflow run payload and client")
struct MLflowRunTests {
    static func report() throws -> AnalysisReport {
        let input = try ResultsCSV.parse("""
            variant,users,conversions,guardrail_cancel,revenue_sum,revenue_sum_sq
            control,10000,1200,120,52000.5,1.1e6
            treatment,10050,1320,118,54000,1.2e6
            """)
        return Analyzer(configuration: AnalysisConfiguration()).analyze(input)
    }

    @Test("Params, metrics <metric>.<variant>.<measure> and tags come from the analysis, numbers unchanged")
    func payload() throws {
        let report = try Self.report()
        let run = MLflowRun(report: report, experimentID: "exp_checkout_button")
        #expect(run.experimentName == "readout/exp_checkout_button")
        let params = Dictionary(uniqueKeysWithValues: run.params)
        #expect(params["alpha"] == "0.05")
        #expect(params["decision_test"] == "relative_t")
        #expect(params["analysis_mode"] == "itt")
        #expect(params["minimum_detectable_effect"] == "0.1")
        let metrics = Dictionary(uniqueKeysWithValues: run.metrics.map { ($0.key, $0.value) })
        let conversion = try #require(report.comparisons.first { $0.metric == "conversion" })
        #expect(metrics["conversion.treatment.rel_lift"] == conversion.relativeLift)
        #expect(metrics["conversion.treatment.rel_p_value"] == conversion.relPValue)
        #expect(metrics["conversion.treatment.ci_low"] == conversion.relCiLow)
        #expect(metrics["conversion.treatment.ci_high"] == conversion.relCiHigh)
        #expect(metrics["conversion.control.users"] == 10_000)
        #expect(metrics["conversion.treatment.rate"] == 0.13134328358208955)
        #expect(metrics["revenue.treatment.mean"] != nil)
        #expect(metrics["revenue.control.mean"] != nil)
        #expect(Set(run.metrics.map(\.key)).count == run.metrics.count, "keys are unique")
        let tags = Dictionary(uniqueKeysWithValues: run.tags)
        #expect(tags["readout.experiment_id"] == "exp_checkout_button")
        #expect(tags["readout.decision"] == report.decision.verdict.rawValue)
        #expect(["ok", "failing", "not_checked", "none"].contains(tags["readout.guardrails"] ?? ""))
        #expect(tags["readout.srm"] == "ok")
    }

    @Test("An unreachable tracking server is a clear error after its retries, without the URI's password")
    func unreachable() async throws {
        let port = try LoopbackPort.free()
        let uri = try #require(URL(string: "http://user:hunter2@127.0.0.1:\(port)"))
        let client = MLflowClient(trackingURI: uri, attempts: 2, timeout: 5, firstDelay: .milliseconds(10))
        do {
            _ = try await client.log(MLflowRun(report: try Self.report(), experimentID: "exp"))
            Issue.record("logging to a closed port succeeded")
        } catch let error as MLflowError {
            #expect(error.message.contains("could not be reached after 2 attempts"))
            #expect(error.message.contains("The analysis itself was not affected"))
            #expect(!error.message.contains("hunter2"))
        }
    }
}

@Suite("Decision changes between refreshes")
struct DecisionSnapshotTests {
    @Test("Only a new or different verdict (or named arm) is a change, per experiment and mode")
    func changes() {
        typealias Key = DecisionSnapshot.Key
        let before = DecisionSnapshot(decisions: [
            Key(experimentID: "a", mode: "itt"): "Hold (underpowered) ",
            Key(experimentID: "a", mode: "exposed"): "Launch treatment",
            Key(experimentID: "b", mode: "itt"): "Rollback treatment",
        ])
        let after = DecisionSnapshot(decisions: [
            Key(experimentID: "a", mode: "itt"): "Launch treatment",
            Key(experimentID: "a", mode: "exposed"): "Launch treatment",
            Key(experimentID: "b", mode: "itt"): "Rollback treatment_b",
            Key(experimentID: "c", mode: "itt"): "Hold ",
        ])
        #expect(before.changes(to: after) == [Key(experimentID: "a", mode: "itt"), Key(experimentID: "b", mode: "itt"), Key(experimentID: "c", mode: "itt")])
        #expect(after.changes(to: after).isEmpty)
    }
}
