import Stats

/// Sizing an experiment with the engine's power analysis: the users per arm a binary metric needs
/// to detect an effect at a power and level, and the days that takes at the experiment's traffic.
/// The same `PowerAnalysis` computes the analysis's own power check (``Analyzer``).
public struct Sizing: Sendable, Equatable {
    public var baselineRate: Double
    public var effect: Double
    public var relative: Bool
    public var targetRate: Double
    public var alpha: Double
    public var power: Double
    /// Users needed in each arm (rounded up); nil when the effect cannot be detected (0, or beyond 100%).
    public var requiredPerArm: Int?
    /// Power reached now with the smallest arm's users.
    public var achievedPower: Double?
    /// Days needed in total at the experiment's daily traffic; nil without traffic.
    public var daysNeeded: Int?

    /// - Parameters:
    ///   - dailyUnits: units assigned per day across every arm.
    public static func compute(baselineRate: Double, effect: Double, relative: Bool, alpha: Double, power: Double,
                               arms: Int, dailyUnits: Double?, smallestArm: Int?) -> Sizing {
        let target = PowerAnalysis.targetRate(baseline: baselineRate, effect: effect, relative: relative)
        var sizing = Sizing(baselineRate: baselineRate, effect: effect, relative: relative, targetRate: target, alpha: alpha, power: power,
                            requiredPerArm: nil, achievedPower: nil, daysNeeded: nil)
        guard baselineRate > 0, baselineRate < 1, target > 0, target < 1, effect != 0 else { return sizing }
        let analysis = PowerAnalysis(alpha: alpha, power: power)
        let h = PowerAnalysis.cohensH(baseline: baselineRate, target: target)
        guard let perArm = analysis.requiredPerArm(effectSize: h) else { return sizing }
        sizing.requiredPerArm = Int(perArm.rounded(.up))
        if let smallestArm { sizing.achievedPower = analysis.achievedPower(effectSize: h, perArm: Double(smallestArm)) }
        if let dailyUnits, dailyUnits > 0 { sizing.daysNeeded = PowerAnalysis.days(perArm: perArm, arms: max(arms, 2), dailyTraffic: dailyUnits) }
        return sizing
    }
}
