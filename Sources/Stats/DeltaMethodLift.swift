import Foundation

/// Treatment against control on the absolute or relative scale, as GrowthBook's
/// frequentist engine computes it: a Student t statistic with Welch–Satterthwaite
/// degrees of freedom, and for the relative lift the delta-method variance
///
///     σ²_Δ = σ²_T / (μ_C² n_T) + σ²_C μ_T² / (μ_C⁴ n_C)
public struct DeltaMethodLift: Sendable, Hashable {
    public enum Scale: String, Sendable, Codable { case absolute, relative }

    public var control: ArmMoments
    public var treatment: ArmMoments
    public var scale: Scale
    public var alternative: Alternative
    public var confidenceLevel: Double

    public init(control: ArmMoments, treatment: ArmMoments, scale: Scale = .relative, alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95) {
        self.control = control
        self.treatment = treatment
        self.scale = scale
        self.alternative = alternative
        self.confidenceLevel = confidenceLevel
    }

    public struct Result: Sendable, Hashable {
        public var estimate: Double
        public var standardError: Double
        public var degreesOfFreedom: Double
        public var tStatistic: Double
        public var pValue: Double
        /// -∞ / +∞ for the open side of a one-sided interval.
        public var ciLow: Double
        public var ciHigh: Double
    }

    /// Why no result can be computed, if so: a reason to show, never a 0 or NaN.
    public var undefinedReason: String? {
        if control.count < 2 || treatment.count < 2 { return "fewer than 2 units in an arm" }
        if scale == .relative && control.unadjustedMean == 0 { return "relative lift undefined: control mean is 0" }
        if control.variance <= 0 && treatment.variance <= 0 { return "no variance in either arm" }
        return nil
    }

    /// nil when ``undefinedReason`` is set.
    public func run() -> Result? {
        guard undefinedReason == nil else { return nil }
        let nC = Double(control.count), nT = Double(treatment.count)
        let estimate: Double
        let variance: Double
        switch scale {
        case .absolute:
            estimate = treatment.mean - control.mean
            variance = treatment.variance / nT + control.variance / nC
        case .relative:
            let baseline = control.unadjustedMean
            estimate = (treatment.mean - control.mean) / baseline
            variance = treatment.variance / (baseline * baseline * nT)
                + control.variance * treatment.unadjustedMean * treatment.unadjustedMean / (pow(baseline, 4) * nC)
        }
        let se = variance.squareRoot()
        let df = DeltaMethodLift.welchDegreesOfFreedom(control: control, treatment: treatment)
        let t = estimate / se
        let distribution = StudentTDistribution(degreesOfFreedom: df)
        let pValue: Double, ciLow: Double, ciHigh: Double
        switch alternative {
        case .twoSided:
            let q = distribution.quantile(1 - (1 - confidenceLevel) / 2)
            (pValue, ciLow, ciHigh) = (distribution.twoSidedPValue(t), estimate - q * se, estimate + q * se)
        case .greater:
            let q = distribution.quantile(confidenceLevel)
            (pValue, ciLow, ciHigh) = (distribution.survival(t), estimate - q * se, .infinity)
        case .less:
            let q = distribution.quantile(confidenceLevel)
            (pValue, ciLow, ciHigh) = (distribution.cdf(t), -.infinity, estimate + q * se)
        }
        return Result(estimate: estimate, standardError: se, degreesOfFreedom: df, tStatistic: t, pValue: pValue, ciLow: ciLow, ciHigh: ciHigh)
    }

    /// Welch–Satterthwaite degrees of freedom of the difference of two means.
    public static func welchDegreesOfFreedom(control: ArmMoments, treatment: ArmMoments) -> Double {
        let nC = Double(control.count), nT = Double(treatment.count)
        let a = treatment.variance / nT, b = control.variance / nC
        let denominator = a * a / (nT - 1) + b * b / (nC - 1)
        return denominator > 0 ? (a + b) * (a + b) / denominator : nC + nT - 2
    }
}
