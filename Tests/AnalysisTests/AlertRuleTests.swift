import Foundation
import Testing
@testable import Analysis

/// Which conditions raise an alert, from the engine's report: significance only under the
/// always-valid sequential test, SRM, guardrails, exposure drops, silence.
@Suite("Alert rules")
struct AlertRuleTests {
    var sequential: Analyzer {
        var configuration = AnalysisConfiguration()
        configuration.sequential = true
        return Analyzer(configuration: configuration)
    }
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func kinds(_ report: AnalysisReport, latest: (day: String, exposureRate: Double)? = nil, lastEvent: Date? = nil, running: Bool = true) -> [AlertCondition.Kind] {
        AlertRules.conditions(experiment: "exp_test", report: report, latestDay: latest, lastEvent: lastEvent, running: running, now: now, settings: AlertSettings()).map(\.kind)
    }

    @Test("a lift significant under the fixed-horizon test but not the sequential one raises nothing; a clear one does")
    func significanceIsSequential() throws {
        // 10.0% vs 10.9% on 10k per arm: fixed-horizon p ≈ 0.04, the always-valid p is well above 0.05.
        let input = twoArm(control: (10000, 1000), treatment: (10000, 1090))
        let fixed = try #require(Analyzer().analyze(input).comparisons.first { $0.role == .primary })
        let borderline = sequential.analyze(input)
        let comparison = try #require(borderline.comparisons.first { $0.role == .primary })
        #expect((fixed.relPValue ?? 1) < 0.05 && (comparison.sequential?.pValue ?? 0) > 0.05, "\(fixed.relPValue ?? -1) \(comparison.sequential?.pValue ?? -1)")
        #expect(kinds(borderline).isEmpty)
        let clear = sequential.analyze(twoArm(control: (10000, 1000), treatment: (10000, 1300)))
        let alert = try #require(AlertRules.conditions(experiment: "exp_test", report: clear, latestDay: nil, lastEvent: nil, running: true, now: now, settings: AlertSettings()).first)
        #expect(alert.kind == .significant && alert.details["metric"] == "conversion" && alert.details["variant"] == "treatment")
        #expect(alert.message.contains("always-valid sequential test"))
    }

    @Test("a sample-ratio mismatch, a worse guardrail, a low exposure day and silence each raise their own")
    func otherConditions() {
        #expect(kinds(sequential.analyze(twoArm(control: (10000, 1000), treatment: (10500, 1050)))) == [.srm])
        let guardrail = twoArm(control: (10000, 1000), treatment: (10000, 1000), guardrails: [binaryGuardrail("refunds", control: (10000, 100), treatment: (10000, 200))])
        #expect(kinds(sequential.analyze(guardrail)) == [.guardrail])
        let calm = sequential.analyze(twoArm(control: (10000, 1000), treatment: (10000, 1000)))
        #expect(kinds(calm, latest: ("2026-10-08", 0.35)) == [.exposureDrop])
        #expect(kinds(calm, latest: ("2026-10-08", 0.95)).isEmpty)
        #expect(kinds(calm, lastEvent: now.addingTimeInterval(-25 * 3600)) == [.noEvents])
        #expect(kinds(calm, lastEvent: now.addingTimeInterval(-23 * 3600)).isEmpty)
        #expect(kinds(calm, lastEvent: now.addingTimeInterval(-25 * 3600), running: false).isEmpty)  // ended: silence is expected
    }
}
