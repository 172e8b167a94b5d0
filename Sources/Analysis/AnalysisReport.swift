import Stats

/// The analysis of one experiment: the stable JSON contract of `readout analyze`
/// (camelCase; every documented key present, undefined values `null`).
public struct AnalysisReport: Sendable, Encodable {
    public struct Experiment: Sendable, Encodable {
        @Nullable public var id: String?
        @Nullable public var name: String?
        @Nullable public var mode: String?
        @Nullable public var primaryMetric: String?
    }

    public enum HealthStatus: String, Sendable, Encodable, Comparable {
        case healthy = "Healthy", warning = "Warning", blocked = "Blocked"
        private var rank: Int { self == .healthy ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: HealthStatus, b: HealthStatus) -> Bool { a.rank < b.rank }
    }

    public struct Health: Sendable, Encodable {
        public var status: HealthStatus
        public var reasons: [String]
    }

    public struct SRM: Sendable, Encodable, Hashable {
        public var chiSquare: Double
        public var pValue: Double
        public var expected: [Double]
        public var observed: [Int]
    }

    public struct Arm: Sendable, Encodable {
        public var variant: String
        public var users: Int
        /// Of the primary metric, when it is binary.
        @Nullable public var conversions: Int?
        /// Primary metric: conversion rate (binary) or mean (continuous).
        @Nullable public var rate: Double?
    }

    public struct Sequential: Sendable, Encodable, Hashable {
        @Nullable public var pValue: Double?
        @Nullable public var relCiLow: Double?
        @Nullable public var relCiHigh: Double?
    }

    public struct BetaBinomial: Sendable, Encodable, Hashable {
        public var chanceToBeatControl: Double
        public var expectedLoss: Double
    }

    /// CUPED's adjustment of one comparison: θ pooled over both arms (as gbstats),
    /// the share of the lift's variance it removed, and the lift before adjusting.
    public struct CUPEDAdjustment: Sendable, Encodable, Hashable {
        public var theta: Double
        public var varianceReduction: Double
        public var unadjustedRelativeLift: Double
    }

    /// One treatment arm against control on one metric (``ComparisonEngine``).
    public struct Comparison: Sendable, Encodable {
        public var variant: String
        public var metric: String
        public var metricKind: ExperimentInput.MetricKind
        public var role: ExperimentInput.MetricRole
        /// The metric's direction: when false (latency, refunds), a negative lift is the good one.
        public var higherIsBetter: Bool
        /// Control's and treatment's rate (binary) or mean (continuous).
        @Nullable public var controlValue: Double?
        @Nullable public var treatmentValue: Double?
        /// Treatment − control (absolute scale).
        @Nullable public var absoluteLift: Double?
        /// The decision test's estimate of (treatment − control) / control (CUPED-adjusted when CUPED applies).
        @Nullable public var relativeLift: Double?
        /// Absolute test: pooled two-proportion z-test (binary) or Welch (continuous), two-sided.
        @Nullable public var pValue: Double?
        /// Absolute test's interval of `absoluteLift` (unpooled Wald or Welch) at 1 − α.
        @Nullable public var ciLow: Double?
        @Nullable public var ciHigh: Double?
        /// The decision test's p-value before correction (gbstats' relative p; the always-valid p with `sequential`).
        @Nullable public var relPValue: Double?
        /// `relPValue` corrected across the metric's treatment arms; `significant` ⇔ this < α.
        @Nullable public var adjustedPValue: Double?
        /// The decision test's interval of `relativeLift`; excludes 0 exactly when `significant`.
        @Nullable public var relCiLow: Double?
        @Nullable public var relCiHigh: Double?
        public var significant: Bool
        @Nullable public var chanceToBeatControl: Double?
        @Nullable public var expectedLoss: Double?
        @Nullable public var sequential: Sequential?
        @Nullable public var betaBinomial: BetaBinomial?
        @Nullable public var cuped: CUPEDAdjustment?
        /// Why a value is null, e.g. "relative lift undefined: control mean is 0".
        public var notes: [String]
    }

    public enum GuardrailStatus: String, Sendable, Encodable {
        case ok, worsened, severe
        case noData = "no_data"
    }

    public struct Guardrail: Sendable, Encodable {
        public var metric: String
        public var variant: String
        /// Absolute rate difference (binary) or relative change of the mean (continuous), treatment − control.
        @Nullable public var delta: Double?
        public var deltaKind: String
        /// The decision test's p-value (`relPValue` of the guardrail's comparison).
        @Nullable public var pValue: Double?
        public var status: GuardrailStatus

        /// "not checked: no data" when there was nothing to test.
        public var isChecked: Bool { status != .noData }
    }

    public struct Power: Sendable, Encodable {
        @Nullable public var baselineRate: Double?
        public var minimumDetectableEffect: Double
        @Nullable public var requiredPerArm: Int?
        @Nullable public var achievedPower: Double?
        public var notes: [String]
    }

    public enum Verdict: String, Sendable, Encodable {
        case launch = "Launch"
        case hold = "Hold"
        case holdUnderpowered = "Hold (underpowered)"
        case rollback = "Rollback"
    }

    public struct Decision: Sendable, Encodable {
        public var verdict: Verdict
        /// The arm to launch or roll back, when one is meant.
        @Nullable public var variant: String?
        public var reasons: [String]
    }

    public var experiment: Experiment
    public var health: Health
    @Nullable public var srm: SRM?
    public var arms: [Arm]
    public var comparisons: [Comparison]
    public var guardrails: [Guardrail]
    public var power: Power
    public var decision: Decision
    public var settings: AnalysisConfiguration
}
