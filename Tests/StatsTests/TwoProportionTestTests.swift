import Testing
@testable import Stats

@Suite("Two-proportion z-test against statsmodels")
struct TwoProportionTestTests {
    @Test("p-value, z and Wald CI match statsmodels", arguments: ReferenceValues.shared.twoProportion)
    func matchesReference(_ reference: ReferenceValues.TwoProportion) {
        let result = TwoProportionTest(
            control: ProportionSample(users: reference.controlUsers, conversions: reference.controlConversions),
            treatment: ProportionSample(users: reference.treatmentUsers, conversions: reference.treatmentConversions)
        ).run()
        #expect(isClose(result.absoluteLift, reference.absoluteLift, relative: 1e-12))
        #expect(isClose(result.zScore, reference.z, relative: 1e-10))
        #expect(isClose(result.pValue, reference.pValue, relative: 1e-9, absolute: 1e-300))
        #expect(isClose(result.ciLow, reference.ciLow, relative: 1e-9, absolute: 1e-15))
        #expect(isClose(result.ciHigh, reference.ciHigh, relative: 1e-9, absolute: 1e-15))
    }

    @Test("one-sided 'greater' p matches the normal survival function", arguments: ReferenceValues.shared.twoProportion.filter { $0.pValueGreater != nil })
    func oneSided(_ reference: ReferenceValues.TwoProportion) {
        let result = TwoProportionTest(
            control: ProportionSample(users: reference.controlUsers, conversions: reference.controlConversions),
            treatment: ProportionSample(users: reference.treatmentUsers, conversions: reference.treatmentConversions),
            alternative: .greater
        ).run()
        #expect(isClose(result.pValue, reference.pValueGreater, relative: 1e-9, absolute: 1e-300))
    }

    @Test("relative lift is nil with a reason when control converts at 0")
    func zeroControl() {
        let result = TwoProportionTest(control: ProportionSample(users: 500, conversions: 0), treatment: ProportionSample(users: 500, conversions: 7)).run()
        #expect(result.relativeLift == nil)
        #expect(result.notes.contains("relative lift undefined: control rate is 0"))
        #expect(result.pValue != nil)
    }

    @Test("p-value is nil, not NaN, when both arms convert at 100%")
    func bothFull() {
        let result = TwoProportionTest(control: ProportionSample(users: 40, conversions: 40), treatment: ProportionSample(users: 35, conversions: 35)).run()
        #expect(result.pValue == nil)
        #expect(result.notes.contains("p-value undefined: both arms convert at 100%"))
        #expect(result.absoluteLift == 0)
    }

    @Test("an arm with no users yields no rates and a reason")
    func emptyArm() {
        let result = TwoProportionTest(control: ProportionSample(users: 0, conversions: 0), treatment: ProportionSample(users: 10, conversions: 1)).run()
        #expect(result.absoluteLift == nil && result.pValue == nil && result.ciLow == nil)
        #expect(result.notes == ["rate undefined: 0 users in control"])
    }
}

@Suite("Welch's t-test against scipy")
struct WelchTestTests {
    @Test("t, df, p and CI match scipy.stats.ttest_ind_from_stats", arguments: ReferenceValues.shared.welch)
    func matchesReference(_ reference: ReferenceValues.Welch) {
        let result = WelchTest(
            control: MeanSample(count: reference.controlN, sum: reference.controlSum, sumOfSquares: reference.controlSumSq),
            treatment: MeanSample(count: reference.treatmentN, sum: reference.treatmentSum, sumOfSquares: reference.treatmentSumSq)
        ).run()
        #expect(isClose(result.absoluteLift, reference.absoluteLift, relative: 1e-12))
        #expect(isClose(result.tStatistic, reference.t, relative: 1e-9))
        #expect(isClose(result.degreesOfFreedom, reference.df, relative: 1e-9))
        #expect(isClose(result.pValue, reference.pValue, relative: 1e-9, absolute: 1e-300))
        #expect(isClose(result.ciLow, reference.ciLow, relative: 1e-9))
        #expect(isClose(result.ciHigh, reference.ciHigh, relative: 1e-9))
    }

    @Test("a single user per arm gives no variance, p or CI, with a reason")
    func tooFewUsers() {
        let result = WelchTest(control: MeanSample(count: 1, sum: 3, sumOfSquares: 9), treatment: MeanSample(count: 1, sum: 4, sumOfSquares: 16)).run()
        #expect(result.absoluteLift == 1)
        #expect(result.pValue == nil)
        #expect(result.notes == ["variance undefined: fewer than 2 users in an arm"])
    }
}
