import Foundation
import Testing
@testable import Stats

@Suite("Distributions against scipy")
struct DistributionTests {
    @Test("normal quantile matches scipy.stats.norm.ppf", arguments: ReferenceValues.shared.normalQuantiles.map { ($0.p, $0.z) })
    func normalQuantile(p: Double, z: Double) {
        #expect(isClose(NormalDistribution.quantile(p), z, relative: 1e-13))
    }

    @Test("normal survival keeps precision in the far tail", arguments: ReferenceValues.shared.normalTails.map { ($0.z, $0.survival) })
    func normalSurvival(z: Double, survival: Double) {
        #expect(isClose(NormalDistribution.survival(z), survival, relative: 1e-12, absolute: 1e-300))
    }

    @Test("a z of 10 has a two-sided p of about 1.5e-23, not 0")
    func tinyPValue() {
        let p = NormalDistribution.twoSidedPValue(10)
        #expect(p > 1.5e-23 && p < 1.6e-23)
    }

    @Test("quantile edges are infinite or NaN, never a crash")
    func quantileEdges() {
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(NormalDistribution.quantile(-0.1).isNaN)
    }

    @Test("Student t two-sided p and the 97.5% and 30% quantiles match scipy", arguments: ReferenceValues.shared.studentT.map { ($0.df, $0.t, $0.twoSided, $0.quantile975, $0.quantile03) })
    func studentT(df: Double, t: Double, twoSided: Double, quantile: Double, quantile03: Double) {
        let distribution = StudentTDistribution(degreesOfFreedom: df)
        #expect(isClose(distribution.twoSidedPValue(t), twoSided, relative: 1e-10, absolute: 1e-300))
        #expect(isClose(distribution.quantile(0.975), quantile, relative: 1e-10))
        // Against scipy directly (not through our cdf, which carries ~1e-11 at ν ≥ 10⁴).
        #expect(isClose(distribution.quantile(0.3), quantile03, relative: 1e-12))
    }
}

/// The asymptotic t tail used from 5,000 degrees of freedom agrees with SciPy to 1e-10 relative
/// over the whole grid of `fixtures/stats/t_tail_reference.json` (generate_t_tail.py).
@Suite("Student's t tail for large degrees of freedom")
struct StudentTTailTests {
    struct Reference: Decodable {
        struct Case: Decodable { var df: Double; var t: Double; var twoSided: Double }
        var cases: [Case]
    }

    @Test func asymptoticTailMatchesSciPy() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/stats/t_tail_reference.json")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        #expect(reference.cases.count > 2_000)
        var worst = 0.0
        for item in reference.cases {
            let distribution = StudentTDistribution(degreesOfFreedom: item.df)
            for t in [item.t, -item.t] {
                let got = distribution.twoSidedPValue(t)
                let error = abs(got - item.twoSided) / item.twoSided
                worst = max(worst, error)
                #expect(error <= 1e-10, "ν = \(item.df), t = \(t): \(got) vs SciPy \(item.twoSided)")
            }
        }
        #expect(worst > 0)  // the grid really exercised the asymptotic path against independent values
        // Just below the switch the exact incomplete beta answers; the two agree where they meet.
        let below = StudentTDistribution(degreesOfFreedom: StudentTDistribution.asymptoticDegrees.nextDown)
        let above = StudentTDistribution(degreesOfFreedom: StudentTDistribution.asymptoticDegrees)
        for t in [0.5, 1.96, 4.0, 10.0] {
            #expect(abs(below.twoSidedPValue(t) - above.twoSidedPValue(t)) <= 1e-9 * above.twoSidedPValue(t))
            #expect(abs(above.asymptoticTwoSided(t) - SpecialFunctions.regularizedIncompleteBeta(x: 5_000 / (5_000 + t * t), a: 2_500, b: 0.5))
                    <= 1e-10 * above.twoSidedPValue(t))
        }
    }
}
