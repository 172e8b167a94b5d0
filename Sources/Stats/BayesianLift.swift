import Foundation

/// A Gaussian prior on the lift (relative unless stated otherwise).
public struct GaussianPrior: Sendable, Hashable, Codable {
    public var mean: Double
    public var variance: Double

    public init(mean: Double = 0, variance: Double) {
        self.mean = mean
        self.variance = variance
    }

    /// GrowthBook's optional proper prior: N(0, 0.3²) on the relative lift.
    public static let growthBookDefault = GaussianPrior(mean: 0, variance: 0.09)
}

/// GrowthBook's Bayesian "effect" method: a Gaussian posterior on the lift,
/// centred on the estimate with the delta-method variance (flat prior), or
/// shrunk toward a proper prior. Closed form, so fully deterministic.
public struct BayesianLift: Sendable, Hashable {
    public var estimate: Double
    public var variance: Double
    public var prior: GaussianPrior?
    /// When false (lower is better), "beating control" means a negative lift.
    public var higherIsBetter: Bool
    public var credibleLevel: Double

    public init(estimate: Double, variance: Double, prior: GaussianPrior? = nil, higherIsBetter: Bool = true, credibleLevel: Double = 0.95) {
        self.estimate = estimate
        self.variance = variance
        self.prior = prior
        self.higherIsBetter = higherIsBetter
        self.credibleLevel = credibleLevel
    }

    /// From a frequentist lift's estimate and standard error.
    public init?(_ lift: DeltaMethodLift.Result?, prior: GaussianPrior? = nil, higherIsBetter: Bool = true) {
        guard let lift, lift.standardError > 0 else { return nil }
        self.init(estimate: lift.estimate, variance: lift.standardError * lift.standardError, prior: prior, higherIsBetter: higherIsBetter)
    }

    public struct Result: Sendable, Hashable {
        public var posteriorMean: Double
        public var posteriorStandardDeviation: Double
        public var chanceToBeatControl: Double
        /// Expected loss if treatment is chosen and control was better (same scale as the lift).
        public var expectedLoss: Double
        /// Expected loss if control is kept and treatment was better.
        public var controlRisk: Double
        public var ciLow: Double
        public var ciHigh: Double
    }

    public func run() -> Result? {
        guard variance > 0, variance.isFinite, estimate.isFinite else { return nil }
        var precision = 1 / variance
        var mean = estimate
        if let prior, prior.variance > 0 {
            precision += 1 / prior.variance
            mean = (estimate / variance + prior.mean / prior.variance) / precision
        }
        let sd = (1 / precision).squareRoot()
        // β = (0 − μ)/σ; P(lift < 0) = Φ(β).
        let beta = -mean / sd
        let pNegative = NormalDistribution.cdf(beta)
        let pPositive = NormalDistribution.survival(beta)
        let density = exp(-beta * beta / 2) / (2 * Double.pi).squareRoot()
        // E[max(lift, 0)] and E[max(−lift, 0)], written without dividing by tiny tails.
        let positivePart = mean * pPositive + sd * density
        let negativePart = sd * density - mean * pNegative
        let z = NormalDistribution.quantile(1 - (1 - credibleLevel) / 2)
        return Result(
            posteriorMean: mean,
            posteriorStandardDeviation: sd,
            chanceToBeatControl: higherIsBetter ? pPositive : pNegative,
            expectedLoss: higherIsBetter ? negativePart : positivePart,
            controlRisk: higherIsBetter ? positivePart : negativePart,
            ciLow: mean - z * sd,
            ciHigh: mean + z * sd
        )
    }
}
