import Foundation

/// Always-valid inference for peeking: GrowthBook's asymptotic confidence
/// sequences (Waudby-Smith et al. 2023, eq. 9 and 155), tuned by N*.
///
/// The interval is wider than a fixed-horizon one at every N but holds its
/// coverage however often it is looked at.
public struct SequentialTest: Sendable, Hashable {
    public var estimate: Double
    /// Variance of the estimate (the squared standard error).
    public var variance: Double
    /// Units in both arms together.
    public var totalUnits: Int
    public var alpha: Double
    /// N*: the sample size the sequence is tightest around (GrowthBook's default 5000).
    public var tuning: Double

    public init(estimate: Double, variance: Double, totalUnits: Int, alpha: Double = 0.05, tuning: Double = 5000) {
        self.estimate = estimate
        self.variance = variance
        self.totalUnits = totalUnits
        self.alpha = alpha
        self.tuning = tuning
    }

    public struct Result: Sendable, Hashable {
        public var ciLow: Double
        public var ciHigh: Double
        public var pValue: Double
    }

    /// - Parameter intervalAlpha: the level of the interval (1 − intervalAlpha), default `alpha`.
    ///   The mixing parameter ρ stays tuned to `alpha`, so for every level the interval
    ///   excludes 0 exactly when the p-value is below it (a multiple-arm correction
    ///   asks for a narrower level without changing the test).
    public func run(intervalAlpha: Double? = nil) -> Result? {
        let level = intervalAlpha ?? alpha
        guard variance > 0, totalUnits > 0, alpha > 0, alpha < 1, tuning > 0, level > 0, level <= 1 else { return nil }
        let n = Double(totalUnits)
        let rhoSquared = (-2 * log(alpha) + log(-2 * log(alpha) + 1)) / tuning
        let s2 = variance * n
        let nRho2PlusOne = n * rhoSquared + 1
        let width = s2.squareRoot() * (2 * nRho2PlusOne * log(nRho2PlusOne.squareRoot() / level) / (n * n * rhoSquared)).squareRoot()
        let st2 = estimate * estimate * n / variance
        // 1 / e-value, computed in logs so a huge statistic gives a tiny p, not 0/inf.
        let logEValue = rhoSquared * st2 / (2 * nRho2PlusOne) - 0.5 * log(nRho2PlusOne)
        let p = min(1, exp(-logEValue))
        return Result(ciLow: estimate - width, ciHigh: estimate + width, pValue: p)
    }
}
