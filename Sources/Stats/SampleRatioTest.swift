/// Sample-ratio mismatch: a chi-square goodness-of-fit test of the users per
/// arm against the configured allocation.
///
/// Arms with a non-positive weight get no expected users and add nothing to
/// the statistic; degrees of freedom are arms − 1 (as GrowthBook's `check_srm`).
public struct SampleRatioTest: Sendable, Hashable {
    public var observed: [Int]
    public var weights: [Double]

    /// `weights` defaults to an equal split; they need not sum to 1.
    public init(observed: [Int], weights: [Double]? = nil) {
        self.observed = observed
        self.weights = weights ?? Array(repeating: 1, count: observed.count)
    }

    public struct Result: Sendable, Hashable {
        public var chiSquare: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
        /// Expected users per arm under the allocation.
        public var expected: [Double]
    }

    /// nil when there are fewer than two arms, weights do not match the arms,
    /// or no users at all (nothing to test).
    public func run() -> Result? {
        guard observed.count >= 2, weights.count == observed.count else { return nil }
        let total = Double(observed.reduce(0, +))
        let totalWeight = weights.filter { $0 > 0 }.reduce(0, +)
        guard total > 0, totalWeight > 0 else { return nil }
        var chiSquare = 0.0
        var expected: [Double] = []
        for (count, weight) in zip(observed, weights) {
            let e = weight > 0 ? weight / totalWeight * total : 0
            expected.append(e)
            if e > 0 { chiSquare += (Double(count) - e) * (Double(count) - e) / e }
        }
        let df = observed.count - 1
        let p = ChiSquareDistribution(degreesOfFreedom: Double(df)).survival(chiSquare)
        return Result(chiSquare: chiSquare, degreesOfFreedom: df, pValue: p, expected: expected)
    }
}
