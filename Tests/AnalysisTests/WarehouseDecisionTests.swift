import ReadoutTesting
import Analysis
import Foundation
import Testing
@testable import Analysis
import Warehouse

/// The demo warehouse's planted stories must come out as the decisions an
/// experimentation lead would sign.
@Suite("Decisions on a real demo warehouse", .serialized)
struct WarehouseDecisionTests {
    static let path: String = {
        let path = TestScratch.file("decision.db")
        do {
            let semantic = try SemanticDirectory.locate(explicit: nil)
            _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 50_000, seed: 42), build: .analysed(semantic))
        } catch {
            fatalError("Cannot build the demo warehouse: \(error)")
        }
        return path
    }()

    func analyze(_ id: String, mode: WarehouseExperiment.Mode = .itt) throws -> AnalysisReport {
        let connection = try Connection(path: Self.path, mode: .readOnly)
        return Analyzer().analyze(try WarehouseExperiment.load(id, mode: mode, from: connection))
    }

    @Test("each planted story gets its decision", arguments: [
        ("exp_checkout_button", AnalysisReport.Verdict.launch),
        ("exp_pricing_page", .rollback),
        ("exp_search_ranking", .hold),
        ("exp_recs_model_v2", .rollback),
        ("exp_dark_mode", .hold),
    ])
    func verdicts(id: String, verdict: AnalysisReport.Verdict) throws {
        #expect(try analyze(id).decision.verdict == verdict)
    }

    @Test("search ranking is blocked by SRM; recs treatment_b by its latency regression")
    func reasons() throws {
        let search = try analyze("exp_search_ranking")
        #expect(search.health.status == .blocked)
        #expect((search.srm?.pValue ?? 1) < 1e-5)
        let recs = try analyze("exp_recs_model_v2")
        #expect(recs.decision.variant == "treatment_b")
        #expect(recs.guardrails.contains { $0.metric == "latency_ms" && $0.variant == "treatment_b" && $0.status == .severe })
        #expect(recs.arms.count == 3)
    }

    @Test("signup flow's exposure problems raise a warning; exposed mode is reflected")
    func quality() throws {
        let signup = try analyze("exp_signup_flow")
        #expect(signup.health.status == .warning)
        #expect(signup.health.reasons.contains { $0.contains("exposure quality") })
        let exposed = try analyze("exp_checkout_button", mode: .exposed)
        #expect(exposed.experiment.mode == "exposed")
        #expect(exposed.arms.allSatisfy { $0.users > 0 })
    }

    @Test("an unknown experiment is a clear error listing the known ones")
    func unknown() throws {
        let connection = try Connection(path: Self.path, mode: .readOnly)
        #expect {
            _ = try WarehouseExperiment.load("exp_nope", mode: .itt, from: connection)
        } throws: { error in
            "\(error)".contains("exp_checkout_button")
        }
    }
}
