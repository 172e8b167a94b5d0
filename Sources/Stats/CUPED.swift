/// Sufficient statistics of a metric with a pre-period covariate in one arm:
/// n, Σy, Σy², Σx, Σx², Σxy (y the metric, x its pre-period value).
public struct CovariateSample: Sendable, Hashable {
    public var count: Int
    public var sum: Double
    public var sumOfSquares: Double
    public var covariateSum: Double
    public var covariateSumOfSquares: Double
    public var sumOfProducts: Double

    public init(count: Int, sum: Double, sumOfSquares: Double, covariateSum: Double, covariateSumOfSquares: Double, sumOfProducts: Double) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.covariateSum = covariateSum
        self.covariateSumOfSquares = covariateSumOfSquares
        self.sumOfProducts = sumOfProducts
    }

    var metric: MeanSample { MeanSample(count: count, sum: sum, sumOfSquares: sumOfSquares) }
    var covariate: MeanSample { MeanSample(count: count, sum: covariateSum, sumOfSquares: covariateSumOfSquares) }

    func covariance() -> Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        return (sumOfProducts - sum * covariateSum / n) / (n - 1)
    }
}

/// CUPED variance reduction (Deng et al. 2013) as GrowthBook applies it:
/// θ = cov(x, y) / var(x) over both arms pooled; each arm's adjusted mean is
/// ȳ − θ·x̄ with variance var(y) + θ²·var(x) − 2θ·cov(x, y). Relative lifts
/// keep dividing by the unadjusted control mean.
public struct CUPED: Sendable, Hashable {
    public var control: CovariateSample
    public var treatment: CovariateSample

    public init(control: CovariateSample, treatment: CovariateSample) {
        self.control = control
        self.treatment = treatment
    }

    /// θ, or 0 when either pooled variance is 0.
    public var theta: Double {
        let pooled = CovariateSample(
            count: control.count + treatment.count,
            sum: control.sum + treatment.sum,
            sumOfSquares: control.sumOfSquares + treatment.sumOfSquares,
            covariateSum: control.covariateSum + treatment.covariateSum,
            covariateSumOfSquares: control.covariateSumOfSquares + treatment.covariateSumOfSquares,
            sumOfProducts: control.sumOfProducts + treatment.sumOfProducts
        )
        guard let varianceX = pooled.covariate.variance, let varianceY = pooled.metric.variance, varianceX > 0, varianceY > 0 else { return 0 }
        return pooled.covariance() / varianceX
    }

    /// Adjusted moments for (control, treatment); nil when an arm is empty.
    public func adjusted() -> (control: ArmMoments, treatment: ArmMoments)? {
        let theta = self.theta
        func moments(_ arm: CovariateSample) -> ArmMoments? {
            guard let meanY = arm.metric.mean, let meanX = arm.covariate.mean else { return nil }
            let variance = arm.count > 1
                ? (arm.metric.variance ?? 0) + theta * theta * (arm.covariate.variance ?? 0) - 2 * theta * arm.covariance()
                : 0
            return ArmMoments(count: arm.count, mean: meanY - theta * meanX, variance: max(0, variance), unadjustedMean: meanY)
        }
        guard let c = moments(control), let t = moments(treatment) else { return nil }
        return (c, t)
    }
}
