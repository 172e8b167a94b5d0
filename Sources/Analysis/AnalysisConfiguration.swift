public import Stats

/// Every threshold the analysis and the decision rules use, in one place.
/// Defaults are documented in docs/stats.md.
public struct AnalysisConfiguration: Sendable, Hashable, Encodable {
    /// Significance level for every test.
    public var alpha = 0.05
    /// Correction across treatment arms of each metric.
    public var correction: PValueAdjustment = .holm
    /// SRM p-value below which health is Warning / Blocked.
    public var srmWarningP = 0.001
    public var srmBlockedP = 0.00001
    /// Arms with fewer users are a Warning (small sample).
    public var minimumUsersPerArm = 100
    /// Exposure-integrity rates above these are a Warning.
    public var maxMismatchRate = 0.01
    public var maxPreAssignmentRate = 0.01
    public var maxMultiVariationRate = 0.01
    /// Binary guardrails: worsening in absolute rate points (0.001 = 0.1 pp).
    public var guardrailWorsenedPoints = 0.001
    public var guardrailSeverePoints = 0.003
    /// Continuous guardrails: relative worsening; severe at 25% (e.g. latency above 1.25 × control).
    public var guardrailWorsenedRelative = 0.05
    public var guardrailSevereRelative = 0.25
    /// Flag a guardrail only when its worsening is also statistically significant at `alpha`
    /// (two-sided), so noise alone never blocks a launch.
    public var guardrailRequiresSignificance = true
    /// Minimum detectable effect for the power check, relative to the control rate.
    public var minimumDetectableEffect = 0.10
    public var targetPower = 0.8
    /// Bayesian prior on the relative lift: nil = flat (GrowthBook's default).
    public var prior: GaussianPrior?
    /// Report always-valid sequential intervals and p-values too.
    public var sequential = false
    public var sequentialTuning = 5000.0
    /// Report the exact Beta-Binomial chance to beat control for binary metrics.
    public var betaBinomial = false
    /// Apply CUPED (gbstats' pooled θ) wherever the input carries a pre-experiment covariate.
    public var cuped = true

    public init() {}

    /// Which test decides: the fixed-horizon relative t (delta method), or the always-valid sequence.
    public var decisionTest: String { sequential ? "sequential" : "relative_t" }

    enum CodingKeys: String, CodingKey {
        case alpha, correction, srmWarningP, srmBlockedP, minimumUsersPerArm, maxMismatchRate, maxPreAssignmentRate,
             maxMultiVariationRate, guardrailWorsenedPoints, guardrailSeverePoints, guardrailWorsenedRelative,
             guardrailSevereRelative, guardrailRequiresSignificance, minimumDetectableEffect, targetPower, prior,
             sequential, sequentialTuning, betaBinomial, cuped, decisionTest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decisionTest, forKey: .decisionTest)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(correction, forKey: .correction)
        try container.encode(srmWarningP, forKey: .srmWarningP)
        try container.encode(srmBlockedP, forKey: .srmBlockedP)
        try container.encode(minimumUsersPerArm, forKey: .minimumUsersPerArm)
        try container.encode(maxMismatchRate, forKey: .maxMismatchRate)
        try container.encode(maxPreAssignmentRate, forKey: .maxPreAssignmentRate)
        try container.encode(maxMultiVariationRate, forKey: .maxMultiVariationRate)
        try container.encode(guardrailWorsenedPoints, forKey: .guardrailWorsenedPoints)
        try container.encode(guardrailSeverePoints, forKey: .guardrailSeverePoints)
        try container.encode(guardrailWorsenedRelative, forKey: .guardrailWorsenedRelative)
        try container.encode(guardrailSevereRelative, forKey: .guardrailSevereRelative)
        try container.encode(guardrailRequiresSignificance, forKey: .guardrailRequiresSignificance)
        try container.encode(minimumDetectableEffect, forKey: .minimumDetectableEffect)
        try container.encode(targetPower, forKey: .targetPower)
        try container.encode(prior, forKey: .prior)
        try container.encode(sequential, forKey: .sequential)
        try container.encode(sequentialTuning, forKey: .sequentialTuning)
        try container.encode(betaBinomial, forKey: .betaBinomial)
        try container.encode(cuped, forKey: .cuped)
    }
}
