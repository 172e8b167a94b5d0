/// What the effect estimators need from one arm: size, mean and per-unit variance.
///
/// Build it from counts (``proportion(users:conversions:)``: variance p(1 − p)),
/// from sums (``sample(_:)``: the n − 1 sample variance), or from a CUPED
/// adjustment (``CUPED``), where `mean` is adjusted and `unadjustedMean` is
/// the raw mean that relative lifts divide by.
public struct ArmMoments: Sendable, Hashable {
    public var count: Int
    public var mean: Double
    public var variance: Double
    public var unadjustedMean: Double

    public init(count: Int, mean: Double, variance: Double, unadjustedMean: Double? = nil) {
        self.count = count
        self.mean = mean
        self.variance = variance
        self.unadjustedMean = unadjustedMean ?? mean
    }

    /// A binary metric: `conversions` of `users`; nil with no users.
    public static func proportion(users: Int, conversions: Int) -> ArmMoments? {
        guard users > 0 else { return nil }
        let p = Double(conversions) / Double(users)
        return ArmMoments(count: users, mean: p, variance: p * (1 - p))
    }

    /// A continuous metric from its sufficient statistics; nil with no observations.
    public static func sample(_ sample: MeanSample) -> ArmMoments? {
        guard let mean = sample.mean else { return nil }
        return ArmMoments(count: sample.count, mean: mean, variance: sample.variance ?? 0)
    }
}
