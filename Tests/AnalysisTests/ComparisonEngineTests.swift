import Foundation
import Stats
import Testing
@testable import Analysis

/// `fixtures/stats/reference.json`'s `engine` and `lifts` sections (gbstats 0.8.0).
private struct EngineCases: Decodable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var kind: String
        var control: [Double?]
        var treatment: [Double?]
        var relativeLift: Double
        var relPValue: Double
        var relCiLow: Double
        var relCiHigh: Double
        var theta: Double?
        var testDescription: String { name }
    }

    struct Lift: Decodable, Sendable {
        struct Scale: Decodable, Sendable { var gbstatsPValue: Double }
        var name: String
        var kind: String
        var control: [Double?]
        var treatment: [Double?]
        var relative: Scale
    }

    var engine: [Case]
    var lifts: [Lift]

    static let shared: EngineCases = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/stats/reference.json")
        do { return try JSONDecoder().decode(EngineCases.self, from: Data(contentsOf: url)) } catch { fatalError("reference.json: \(error)") }
    }()
}

/// gbstats computes its p-value as 1 − cdf, so below ~1e-12 it carries an absolute error of ~1e-16.
private func close(_ a: Double?, _ b: Double, relative: Double = 1e-9, absolute: Double = 0) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b), 1e-300))
}

@Suite("The one comparison engine")
struct ComparisonEngineTests {
    static func metric(_ kind: String, _ arms: [[Double?]]) -> ExperimentInput.Metric {
        let binary = kind == "binary"
        let values = arms.map { arm -> ExperimentInput.Value in
            let n = Int(arm[0] ?? 0), sum = arm[1] ?? 0
            let covariate = arm.count > 5 && arm[3] != nil
                ? ExperimentInput.Covariate(sum: arm[3] ?? 0, sumOfSquares: arm[4] ?? 0, sumOfProducts: arm[5] ?? 0) : nil
            return binary ? .init(units: n, sum: sum, covariate: covariate) : .init(units: n, sum: sum, sumOfSquares: arm[2] ?? 0, covariate: covariate)
        }
        return .init(id: "m", kind: binary ? .binary : .continuous, role: .primary, higherIsBetter: true, values: values)
    }

    @Test("relative lift, relPValue and interval equal gbstats, with and without CUPED", arguments: EngineCases.shared.engine)
    fileprivate func gbstats(_ c: EngineCases.Case) throws {
        let comparison = try #require(ComparisonEngine(configuration: AnalysisConfiguration()).compare(Self.metric(c.kind, [c.control, c.treatment]), variants: ["control", "treatment"]).first)
        #expect(close(comparison.relativeLift, c.relativeLift))
        #expect(close(comparison.relPValue, c.relPValue, relative: 1e-8, absolute: 1e-15))
        #expect(close(comparison.relCiLow, c.relCiLow))
        #expect(close(comparison.relCiHigh, c.relCiHigh))
        #expect(comparison.adjustedPValue == comparison.relPValue)
        if let theta = c.theta {
            let cuped = try #require(comparison.cuped)
            #expect(close(cuped.theta, theta))
            #expect(cuped.varianceReduction > 0 && cuped.varianceReduction < 1)
        } else {
            #expect(comparison.cuped == nil)
        }
    }

    @Test("relPValue is gbstats' own frequentist relative p-value", arguments: EngineCases.shared.lifts.indices)
    func relPValue(index: Int) throws {
        let c = EngineCases.shared.lifts[index]
        let control = c.kind == "binary" ? [c.control[0], c.control[1], c.control[1]] : c.control
        let treatment = c.kind == "binary" ? [c.treatment[0], c.treatment[1], c.treatment[1]] : c.treatment
        let comparison = try #require(ComparisonEngine(configuration: AnalysisConfiguration()).compare(Self.metric(c.kind, [control, treatment]), variants: ["control", "treatment"]).first)
        #expect(close(comparison.relPValue, c.relative.gbstatsPValue, relative: 1e-7, absolute: 1e-15), "\(c.name)")
    }

    /// A small deterministic generator, so the property test is the same on every run.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    @Test("significant ⇔ the interval excludes 0 ⇔ adjusted p < α, over thousands of random experiments",
          arguments: [PValueAdjustment.none, .holm, .benjaminiHochberg], [false, true])
    func consistentByConstruction(correction: PValueAdjustment, sequential: Bool) {
        var random = SplitMix(state: 42 &+ UInt64(correction.hashValue & 0xFF) &+ (sequential ? 7 : 0))
        var configuration = AnalysisConfiguration()
        configuration.correction = correction
        configuration.sequential = sequential
        var checked = 0
        for round in 0..<1_500 {
            configuration.alpha = [0.01, 0.05, 0.1][round % 3]
            let arms = random.int(2...4)
            let binary = random.uniform() < 0.6
            let base = random.uniform() < 0.1 ? [0.0, 1.0][random.int(0...1)] : random.uniform() * 0.6 + 0.01
            let values: [[Double?]] = (0..<arms).map { _ in
                let n = [2, 3, 5, 20, 200, 5_000, 80_000][random.int(0...6)]
                let rate = min(1, max(0, base * (0.8 + random.uniform() * 0.4)))
                if binary { return [Double(n), (Double(n) * rate).rounded()] }
                let mean = 10 + random.uniform() * 5
                let sd = 1 + random.uniform() * 20
                let sum = mean * Double(n)
                return [Double(n), sum, sum * sum / Double(n) + sd * sd * Double(n - 1)]
            }
            let variants = (0..<arms).map { $0 == 0 ? "control" : "t\($0)" }
            for c in ComparisonEngine(configuration: configuration).compare(Self.metric(binary ? "binary" : "continuous", values), variants: variants) {
                guard let p = c.adjustedPValue, let low = c.relCiLow, let high = c.relCiHigh else {
                    #expect(!c.significant, "an undefined test is never significant")
                    continue
                }
                let excludesZero = low > 0 || high < 0
                #expect(c.significant == (p < configuration.alpha))
                #expect(c.significant == excludesZero, "\(c.variant): p \(p), interval [\(low), \(high)], α \(configuration.alpha)")
                if correction == .none { #expect(p == c.relPValue) }
                checked += 1
            }
        }
        #expect(checked > 1_500)
    }

    @Test("a guardrail with no data is not checked — and never 'fine'")
    func guardrailWithoutData() {
        let input = ExperimentInput(
            arms: [.init(variant: "control", users: 5_000), .init(variant: "treatment", users: 5_000)],
            metrics: [
                .init(id: "conversion", kind: .binary, role: .primary, higherIsBetter: true, values: [.init(units: 5_000, sum: 500), .init(units: 5_000, sum: 620)]),
                .init(id: "latency_ms", kind: .continuous, role: .guardrail, higherIsBetter: false,
                      values: [.init(units: 5_000, sum: 0, sumOfSquares: 0), .init(units: 5_000, sum: 0, sumOfSquares: 0)]),
            ]
        )
        let report = Analyzer().analyze(input)
        #expect(report.guardrails.map(\.status) == [.noData])
        #expect(report.health.status == .warning)
        #expect(report.health.reasons.contains("guardrail latency_ms not checked for treatment: no data"))
        #expect(report.decision.verdict == .launch)
        #expect(report.decision.reasons.contains("guardrail latency_ms not checked: no data"))
        #expect(!report.decision.reasons.contains { $0.hasPrefix("guardrails fine") })
        #expect(report.guardrailsStatus == "not_checked")
    }
}
