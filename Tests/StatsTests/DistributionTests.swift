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
