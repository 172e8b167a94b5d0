import Testing
@testable import Stats

@Suite("Incomplete gamma and chi-square against scipy")
struct ChiSquareTests {
    @Test("regularised incomplete gamma P and Q", arguments: EngineReference.shared.gamma.indices)
    func gamma(index: Int) {
        let c = EngineReference.shared.gamma[index]
        #expect(isClose(SpecialFunctions.regularizedLowerGamma(a: c.a, x: c.x), c.lower, relative: 1e-10, absolute: 1e-300))
        #expect(isClose(SpecialFunctions.regularizedUpperGamma(a: c.a, x: c.x), c.upper, relative: 1e-10, absolute: 1e-300))
    }

    @Test("chi-square survival, including far tails", arguments: EngineReference.shared.chiSquare.indices)
    func chiSquare(index: Int) {
        let c = EngineReference.shared.chiSquare[index]
        let distribution = ChiSquareDistribution(degreesOfFreedom: c.df)
        #expect(isClose(distribution.survival(c.x), c.survival, relative: 1e-10, absolute: 1e-300))
        #expect(isClose(distribution.cdf(c.x), c.cdf, relative: 1e-10, absolute: 1e-300))
        #expect(distribution.survival(c.x) > 0)
    }
}

@Suite("Sample-ratio mismatch against gbstats' check_srm")
struct SampleRatioTests {
    @Test("chi-square and p-value", arguments: EngineReference.shared.srm)
    func srm(c: EngineReference.SRM) throws {
        let result = try #require(SampleRatioTest(observed: c.observed, weights: c.weights).run())
        #expect(isClose(result.chiSquare, c.chiSquare, relative: 1e-10))
        #expect(isClose(result.pValue, c.pValue, relative: 1e-9, absolute: 1e-300))
        #expect(result.degreesOfFreedom == c.observed.count - 1)
    }

    @Test("nothing to test: one arm, no users, mismatched weights")
    func undefined() {
        #expect(SampleRatioTest(observed: [10]).run() == nil)
        #expect(SampleRatioTest(observed: [0, 0]).run() == nil)
        #expect(SampleRatioTest(observed: [10, 12], weights: [1]).run() == nil)
    }
}

@Suite("Holm and Benjamini–Hochberg against statsmodels' multipletests")
struct AdjustmentTests {
    @Test("adjusted p-values keep input order", arguments: EngineReference.shared.adjustments.indices)
    func adjust(index: Int) {
        let c = EngineReference.shared.adjustments[index]
        for (ours, theirs) in zip(PValueAdjustment.holm.adjust(c.pValues), c.holm) { #expect(isClose(ours, theirs, relative: 1e-12)) }
        for (ours, theirs) in zip(PValueAdjustment.benjaminiHochberg.adjust(c.pValues), c.bh) { #expect(isClose(ours, theirs, relative: 1e-12)) }
        #expect(PValueAdjustment.none.adjust(c.pValues) == c.pValues)
    }
}

func moments(_ kind: String, _ values: [Double?]) -> ArmMoments? {
    let n = Int(values[0] ?? 0)
    if kind == "binary" { return .proportion(users: n, conversions: Int(values[1] ?? 0)) }
    return .sample(MeanSample(count: n, sum: values[1] ?? 0, sumOfSquares: values[2] ?? 0))
}

@Suite("Lifts, Bayesian and sequential results against GrowthBook's gbstats")
struct LiftTests {
    @Test("absolute and relative (delta method) lifts with Welch df", arguments: EngineReference.shared.lifts)
    func frequentist(c: EngineReference.Lift) throws {
        let control = try #require(moments(c.kind, c.control)), treatment = try #require(moments(c.kind, c.treatment))
        for (scale, reference) in [(DeltaMethodLift.Scale.relative, c.relative), (.absolute, c.absolute)] {
            let r = try #require(DeltaMethodLift(control: control, treatment: treatment, scale: scale).run())
            #expect(isClose(r.estimate, reference.estimate, relative: 1e-12))
            #expect(isClose(r.standardError, reference.standardError, relative: 1e-10))
            #expect(isClose(r.degreesOfFreedom, reference.df, relative: 1e-9))
            #expect(isClose(r.pValue, reference.pValue, relative: 1e-6, absolute: 1e-300), "\(scale) p")
            #expect(isClose(r.ciLow, reference.ciLow, relative: 1e-9, absolute: 1e-12))
            #expect(isClose(r.ciHigh, reference.ciHigh, relative: 1e-9, absolute: 1e-12))
        }
        let greater = try #require(DeltaMethodLift(control: control, treatment: treatment, alternative: .greater).run())
        #expect(isClose(greater.pValue, c.relativeGreaterPValue, relative: 1e-6, absolute: 1e-300))
    }

    @Test("Gaussian Bayesian: flat and N(0, 0.3²) priors", arguments: EngineReference.shared.lifts)
    func bayesian(c: EngineReference.Lift) throws {
        let control = try #require(moments(c.kind, c.control)), treatment = try #require(moments(c.kind, c.treatment))
        let lift = DeltaMethodLift(control: control, treatment: treatment).run()
        for (prior, reference) in [(GaussianPrior?.none, c.bayesFlat), (.growthBookDefault, c.bayesProper)] {
            let r = try #require(BayesianLift(lift, prior: prior)?.run())
            #expect(isClose(r.posteriorMean, reference.mean, relative: 1e-10))
            #expect(isClose(r.posteriorStandardDeviation, reference.sd, relative: 1e-10))
            #expect(isClose(r.chanceToBeatControl, reference.chanceToWin, relative: 1e-9, absolute: 1e-15))
            #expect(isClose(r.expectedLoss, reference.riskTreatment, relative: 1e-6, absolute: 1e-15))
            #expect(isClose(r.controlRisk, reference.riskControl, relative: 1e-6, absolute: 1e-15))
            #expect(isClose(r.ciLow, reference.ciLow, relative: 1e-9, absolute: 1e-12))
            #expect(isClose(r.ciHigh, reference.ciHigh, relative: 1e-9, absolute: 1e-12))
        }
    }

    @Test("lower-is-better metrics flip chance and risk")
    func inverse() throws {
        let r = try #require(BayesianLift(estimate: 0.1, variance: 0.0025, higherIsBetter: false).run())
        let up = try #require(BayesianLift(estimate: 0.1, variance: 0.0025).run())
        #expect(isClose(r.chanceToBeatControl, 1 - up.chanceToBeatControl, relative: 1e-12))
        #expect(isClose(r.expectedLoss, up.controlRisk, relative: 1e-12))
    }

    @Test("sequential confidence sequences, N* 5000 and 50000", arguments: EngineReference.shared.lifts)
    func sequential(c: EngineReference.Lift) throws {
        let control = try #require(moments(c.kind, c.control)), treatment = try #require(moments(c.kind, c.treatment))
        let lift = try #require(DeltaMethodLift(control: control, treatment: treatment).run())
        for (tuning, reference) in [(5000.0, c.sequential5000), (50000.0, c.sequential50000)] {
            let r = try #require(SequentialTest(estimate: lift.estimate, variance: lift.standardError * lift.standardError,
                                                totalUnits: control.count + treatment.count, tuning: tuning).run())
            #expect(isClose(r.ciLow, reference.ciLow, relative: 1e-9, absolute: 1e-12))
            #expect(isClose(r.ciHigh, reference.ciHigh, relative: 1e-9, absolute: 1e-12))
            if reference.pValue == 0 {
                // gbstats overflows to exactly 0; ours is computed in logs and is 0 only below Double's range.
                #expect(r.pValue < 1e-100)
            } else {
                #expect(isClose(r.pValue, reference.pValue, relative: 1e-9, absolute: 1e-300))
            }
            // Always wider than the fixed-horizon interval.
            #expect(r.ciHigh - r.ciLow > lift.ciHigh - lift.ciLow)
        }
    }

    @Test("relative lift is undefined, with a reason, when the control mean is 0")
    func zeroControl() throws {
        let control = try #require(ArmMoments.proportion(users: 500, conversions: 0))
        let treatment = try #require(ArmMoments.proportion(users: 500, conversions: 7))
        let lift = DeltaMethodLift(control: control, treatment: treatment)
        #expect(lift.run() == nil)
        #expect(lift.undefinedReason?.contains("control mean is 0") == true)
        #expect(DeltaMethodLift(control: control, treatment: treatment, scale: .absolute).run() != nil)
    }
}

@Suite("Exact Beta-Binomial against numerical integration (scipy)")
struct BetaBinomialTests {
    @Test("chance to beat control and expected losses", arguments: EngineReference.shared.betaBinomial)
    func exact(c: EngineReference.Beta) throws {
        let r = try #require(BetaBinomial(
            control: ProportionSample(users: c.controlUsers, conversions: c.controlConversions),
            treatment: ProportionSample(users: c.treatmentUsers, conversions: c.treatmentConversions)
        ).run())
        #expect(isClose(r.chanceToBeatControl, c.chanceToBeatControl, relative: 1e-8, absolute: 1e-10))
        #expect(isClose(r.expectedLoss, c.expectedLoss, relative: 1e-6, absolute: 1e-10))
        #expect(isClose(r.controlRisk, c.controlRisk, relative: 1e-6, absolute: 1e-10))
    }
}

@Suite("Power on Cohen's h against statsmodels' NormalIndPower")
struct PowerTests {
    @Test("required users per arm, power at n, detectable effect", arguments: EngineReference.shared.power)
    func power(c: EngineReference.Power) throws {
        let analysis = PowerAnalysis(alpha: c.alpha, power: c.power)
        let target = PowerAnalysis.targetRate(baseline: c.baseline, effect: c.mde, relative: c.relative)
        let h = PowerAnalysis.cohensH(baseline: c.baseline, target: target)
        #expect(isClose(h, c.cohensH, relative: 1e-12))
        #expect(isClose(try #require(analysis.requiredPerArm(effectSize: h)), c.requiredPerArm, relative: 1e-7))
        #expect(isClose(analysis.achievedPower(effectSize: h, perArm: 10000), c.powerAt10000, relative: 1e-9))
        #expect(isClose(try #require(analysis.detectableEffectSize(perArm: 10000)), c.detectableHAt10000, relative: 1e-7))
    }

    @Test("days to reach a sample, rounded up")
    func days() {
        #expect(PowerAnalysis.days(perArm: 31_234.2, arms: 2, dailyTraffic: 5000) == 13)
        #expect(PowerAnalysis.days(perArm: 100, dailyTraffic: 0) == nil)
    }
}

@Suite("CUPED against gbstats' regression adjustment")
struct CUPEDTests {
    @Test("theta, adjusted relative lift, p and CI", arguments: EngineReference.shared.cuped)
    func cuped(c: EngineReference.Cuped) throws {
        func sample(_ v: [Double]) -> CovariateSample {
            CovariateSample(count: Int(v[0]), sum: v[1], sumOfSquares: v[2], covariateSum: v[3], covariateSumOfSquares: v[4], sumOfProducts: v[5])
        }
        let cuped = CUPED(control: sample(c.control), treatment: sample(c.treatment))
        #expect(isClose(cuped.theta, c.theta, relative: 1e-10))
        let arms = try #require(cuped.adjusted())
        let r = try #require(DeltaMethodLift(control: arms.control, treatment: arms.treatment).run())
        #expect(isClose(r.estimate, c.estimate, relative: 1e-10))
        #expect(isClose(r.standardError, c.standardError, relative: 1e-9))
        #expect(isClose(r.pValue, c.pValue, relative: 1e-6, absolute: 1e-300))
        #expect(isClose(r.ciLow, c.ciLow, relative: 1e-9, absolute: 1e-12))
        // Variance reduction: tighter than the unadjusted interval.
        let plainControl = try #require(ArmMoments.sample(sample(c.control).metric))
        let plainTreatment = try #require(ArmMoments.sample(sample(c.treatment).metric))
        let plain = try #require(DeltaMethodLift(control: plainControl, treatment: plainTreatment).run())
        #expect(r.standardError <= plain.standardError)
    }
}
