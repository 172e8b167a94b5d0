import Foundation

/// Sample size and power for comparing two conversion rates, on Cohen's h
/// (the arcsine-transformed difference), as statsmodels' `NormalIndPower`
/// with equal arms does.
public struct PowerAnalysis: Sendable, Hashable {
    public var alpha: Double
    public var power: Double
    public var alternative: Alternative

    public init(alpha: Double = 0.05, power: Double = 0.8, alternative: Alternative = .twoSided) {
        self.alpha = alpha
        self.power = power
        self.alternative = alternative
    }

    /// Cohen's h between a baseline rate and a target rate: 2·asin√p₂ − 2·asin√p₁.
    public static func cohensH(baseline: Double, target: Double) -> Double {
        2 * asin(target.squareRoot()) - 2 * asin(baseline.squareRoot())
    }

    /// The target rate of a minimum detectable effect, absolute (rate points) or relative.
    public static func targetRate(baseline: Double, effect: Double, relative: Bool) -> Double {
        relative ? baseline * (1 + effect) : baseline + effect
    }

    /// Power to detect effect size `h` with `perArm` units in each of two arms.
    public func achievedPower(effectSize h: Double, perArm: Double) -> Double {
        guard perArm > 0 else { return 0 }
        let shift = abs(h) * (perArm / 2).squareRoot()
        switch alternative {
        case .twoSided:
            let critical = NormalDistribution.quantile(1 - alpha / 2)
            return NormalDistribution.survival(critical - shift) + NormalDistribution.cdf(-critical - shift)
        case .greater, .less:
            let critical = NormalDistribution.quantile(1 - alpha)
            return NormalDistribution.survival(critical - shift)
        }
    }

    /// Units needed per arm (not rounded) to reach `power` for effect size `h`; nil when h is 0.
    public func requiredPerArm(effectSize h: Double) -> Double? {
        guard h != 0, h.isFinite, power > alpha, power < 1 else { return nil }
        // Start from the closed form, then solve the exact two-tail equation by bisection.
        let critical = NormalDistribution.quantile(1 - (alternative == .twoSided ? alpha / 2 : alpha))
        let guess = 2 * pow((critical + NormalDistribution.quantile(power)) / h, 2)
        var low = guess * 0.5, high = guess * 1.5
        while achievedPower(effectSize: h, perArm: high) < power { high *= 2 }
        while achievedPower(effectSize: h, perArm: low) > power && low > 1e-9 { low /= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if achievedPower(effectSize: h, perArm: mid) < power { low = mid } else { high = mid }
            if high - low <= 1e-10 * high { break }
        }
        return (low + high) / 2
    }

    /// The smallest |h| detectable with `perArm` units per arm at this power.
    public func detectableEffectSize(perArm: Double) -> Double? {
        guard perArm > 0, power > alpha, power < 1 else { return nil }
        var low = 0.0, high = 4.0
        guard achievedPower(effectSize: high, perArm: perArm) >= power else { return nil }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if achievedPower(effectSize: mid, perArm: perArm) < power { low = mid } else { high = mid }
        }
        return high
    }

    /// The rate reachable upward from `baseline` for an effect size h (inverse of ``cohensH``).
    public static func rate(baseline: Double, plusEffectSize h: Double) -> Double? {
        let angle = asin(baseline.squareRoot()) + h / 2
        guard angle >= 0, angle <= Double.pi / 2 else { return nil }
        return pow(sin(angle), 2)
    }

    /// Whole days to collect `perArm` units in each of `arms` arms at `dailyTraffic` units a day.
    public static func days(perArm: Double, arms: Int = 2, dailyTraffic: Double) -> Int? {
        guard dailyTraffic > 0, arms > 0 else { return nil }
        return Int((perArm.rounded(.up) * Double(arms) / dailyTraffic).rounded(.up))
    }
}
