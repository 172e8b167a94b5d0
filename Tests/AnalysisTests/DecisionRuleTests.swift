import Testing
@testable import Analysis
import Stats

/// A two-arm input: primary conversion plus optional guardrails.
func twoArm(control: (Int, Int), treatment: (Int, Int), guardrails: [ExperimentInput.Metric] = [], allocation: [Double]? = nil,
            quality: ExperimentInput.ExposureQuality? = nil) -> ExperimentInput {
    ExperimentInput(
        experimentID: "exp_test",
        arms: [.init(variant: "control", users: control.0, allocation: allocation?[0]), .init(variant: "treatment", users: treatment.0, allocation: allocation?[1])],
        metrics: [.init(id: "conversion", kind: .binary, role: .primary, higherIsBetter: true,
                        values: [.init(units: control.0, sum: Double(control.1)), .init(units: treatment.0, sum: Double(treatment.1))])] + guardrails,
        exposureQuality: quality
    )
}

func binaryGuardrail(_ id: String, control: (Int, Int), treatment: (Int, Int)) -> ExperimentInput.Metric {
    .init(id: id, kind: .binary, role: .guardrail, higherIsBetter: false,
          values: [.init(units: control.0, sum: Double(control.1)), .init(units: treatment.0, sum: Double(treatment.1))])
}

func latency(control: (Int, Double, Double), treatment: (Int, Double, Double)) -> ExperimentInput.Metric {
    .init(id: "latency_ms", kind: .continuous, role: .guardrail, higherIsBetter: false,
          values: [.init(units: control.0, sum: control.1, sumOfSquares: control.2), .init(units: treatment.0, sum: treatment.1, sumOfSquares: treatment.2)])
}

@Suite("Decision rules, in order")
struct DecisionRuleTests {
    let analyzer = Analyzer()

    @Test("1. input errors → Blocked → Hold, with the error as a reason")
    func blocked() {
        let report = analyzer.analyze(twoArm(control: (1000, 1200), treatment: (1000, 100)))
        #expect(report.health.status == .blocked)
        #expect(report.decision.verdict == .hold)
        #expect(report.decision.reasons.contains { $0.contains("exceed users") })
        #expect(report.comparisons.isEmpty)
    }

    @Test("2. SRM warning → Hold; severe SRM → Blocked")
    func srm() throws {
        // 10000 vs 10450: p ≈ 0.0017? use 10000 vs 10500 → p ≈ 4.7e-4 (warning, not blocked).
        let warning = analyzer.analyze(twoArm(control: (10000, 1000), treatment: (10500, 1400)))
        let srm = try #require(warning.srm)
        #expect(srm.pValue < 0.001 && srm.pValue > 0.00001)
        #expect(warning.health.status == .warning)
        #expect(warning.decision.verdict == .hold)
        #expect(warning.decision.reasons.first?.contains("sample-ratio mismatch") == true)
        let blocked = analyzer.analyze(twoArm(control: (10000, 1000), treatment: (11000, 1400)))
        #expect(blocked.health.status == .blocked)
        #expect(blocked.decision.verdict == .hold)
    }

    @Test("configured allocation: 80/20 traffic is not a mismatch")
    func allocation() throws {
        let report = analyzer.analyze(twoArm(control: (8000, 800), treatment: (2010, 200), allocation: [0.8, 0.2]))
        #expect(try #require(report.srm).pValue > 0.5)
        #expect(report.health.status == .healthy)
    }

    @Test("3. not significant and underpowered → Hold (underpowered)")
    func underpowered() {
        let report = analyzer.analyze(twoArm(control: (2000, 200), treatment: (2000, 215)))
        #expect(report.decision.verdict == .holdUnderpowered)
        #expect((report.power.achievedPower ?? 1) < 0.8)
        #expect(report.power.requiredPerArm != nil)
    }

    @Test("4. significant + severe guardrail → Rollback")
    func severeGuardrail() {
        let report = analyzer.analyze(twoArm(control: (20000, 2000), treatment: (20000, 2400),
                                             guardrails: [latency(control: (20000, 2_400_000, 3.0e8), treatment: (20000, 3_200_000, 5.3e8))]))
        #expect(report.guardrails.first?.status == .severe)
        #expect(report.decision.verdict == .rollback)
        #expect(report.decision.reasons.contains { $0.contains("severe guardrail regression: latency_ms") })
    }

    @Test("5. significant + worsened guardrail → Hold")
    func worsenedGuardrail() {
        // refunds 1.0% → 1.5%: +0.5 pp is severe; 1.0% → 1.25% (+0.25 pp) is worsened.
        let report = analyzer.analyze(twoArm(control: (40000, 4000), treatment: (40000, 4600),
                                             guardrails: [binaryGuardrail("refund", control: (40000, 400), treatment: (40000, 500))]))
        #expect(report.guardrails.first?.status == .worsened)
        #expect(report.decision.verdict == .hold)
        #expect(report.decision.reasons.contains { $0.contains("guardrail worsened: refund") })
    }

    @Test("6. significant and better, guardrails fine → Launch")
    func launch() {
        let report = analyzer.analyze(twoArm(control: (20000, 2000), treatment: (20000, 2300),
                                             guardrails: [binaryGuardrail("refund", control: (20000, 200), treatment: (20000, 205))]))
        #expect(report.decision.verdict == .launch)
        #expect(report.decision.variant == "treatment")
    }

    @Test("7. significantly worse → Rollback")
    func worse() {
        let report = analyzer.analyze(twoArm(control: (20000, 2300), treatment: (20000, 2000)))
        #expect(report.decision.verdict == .rollback)
    }

    @Test("8. not significant with enough power → Hold")
    func hold() {
        let report = analyzer.analyze(twoArm(control: (50000, 5000), treatment: (50000, 5010)))
        #expect(report.decision.verdict == .hold)
        #expect((report.power.achievedPower ?? 0) >= 0.8)
    }

    @Test("noise below significance never flags a guardrail")
    func noisyGuardrail() {
        let report = analyzer.analyze(twoArm(control: (20000, 2000), treatment: (20000, 2300),
                                             guardrails: [binaryGuardrail("refund", control: (2000, 20), treatment: (2000, 24))]))
        #expect(report.guardrails.first?.status == .ok)
        var strict = AnalysisConfiguration()
        strict.guardrailRequiresSignificance = false
        let flagged = Analyzer(configuration: strict).analyze(twoArm(control: (20000, 2000), treatment: (20000, 2300),
                                             guardrails: [binaryGuardrail("refund", control: (2000, 20), treatment: (2000, 24))]))
        #expect(flagged.guardrails.first?.status == .worsened)
    }

    @Test("three arms: launches the best launchable arm, adjusts p-values")
    func threeArms() {
        let input = ExperimentInput(
            arms: [.init(variant: "control", users: 20000), .init(variant: "treatment", users: 20000), .init(variant: "treatment_b", users: 20000)],
            metrics: [.init(id: "conversion", kind: .binary, role: .primary, higherIsBetter: true,
                            values: [.init(units: 20000, sum: 2000), .init(units: 20000, sum: 2150), .init(units: 20000, sum: 2350)])]
        )
        let report = analyzer.analyze(input)
        #expect(report.decision.verdict == .launch)
        #expect(report.decision.variant == "treatment_b")
        let adjusted = report.comparisons.compactMap(\.adjustedPValue), raw = report.comparisons.compactMap(\.pValue)
        #expect(zip(adjusted, raw).allSatisfy { $0 >= $1 })
    }

    @Test("health warnings: small arms and exposure quality")
    func warnings() {
        let small = analyzer.analyze(twoArm(control: (60, 6), treatment: (58, 9)))
        #expect(small.health.status == .warning)
        #expect(small.health.reasons.contains { $0.contains("small sample") })
        let quality = analyzer.analyze(twoArm(control: (5000, 500), treatment: (5000, 520),
                                              quality: .init(exposedUnits: 9000, mismatchRate: 0.02, preAssignmentRate: 0, multiVariationRate: 0, outsideWindowRate: 0)))
        #expect(quality.health.status == .warning)
        #expect(quality.health.reasons.contains { $0.contains("variant-mismatch") })
    }
}
