/// Everything the analysis needs about one experiment, whatever it came from
/// (a CSV export, the warehouse). Pure data: no I/O.
public struct ExperimentInput: Sendable, Hashable {
    public struct Arm: Sendable, Hashable {
        public var variant: String
        public var users: Int
        /// Configured share of traffic; nil means an equal split.
        public var allocation: Double?

        public init(variant: String, users: Int, allocation: Double? = nil) {
            self.variant = variant
            self.users = users
            self.allocation = allocation
        }
    }

    public enum MetricKind: String, Sendable, Hashable, Codable { case binary, continuous }
    public enum MetricRole: String, Sendable, Hashable, Codable { case primary, secondary, guardrail }

    /// One arm's sufficient statistics for one metric.
    public struct Value: Sendable, Hashable {
        public var units: Int
        /// Binary: converted units. Continuous: Σy.
        public var sum: Double
        /// Continuous only: Σy².
        public var sumOfSquares: Double?
        /// The pre-experiment covariate x over the same units, for CUPED; nil when there is none.
        public var covariate: Covariate?

        public init(units: Int, sum: Double, sumOfSquares: Double? = nil, covariate: Covariate? = nil) {
            self.units = units
            self.sum = sum
            self.sumOfSquares = sumOfSquares
            self.covariate = covariate
        }
    }

    /// Σx, Σx² and Σxy of a pre-experiment covariate x (e.g. revenue in the 14 days
    /// before assignment) against the metric's per-unit value y.
    public struct Covariate: Sendable, Hashable {
        public var sum: Double
        public var sumOfSquares: Double
        public var sumOfProducts: Double

        public init(sum: Double, sumOfSquares: Double, sumOfProducts: Double) {
            self.sum = sum
            self.sumOfSquares = sumOfSquares
            self.sumOfProducts = sumOfProducts
        }
    }

    public struct Metric: Sendable, Hashable {
        public var id: String
        public var kind: MetricKind
        public var role: MetricRole
        public var higherIsBetter: Bool
        /// In arm order; the first is control's.
        public var values: [Value]

        public init(id: String, kind: MetricKind, role: MetricRole, higherIsBetter: Bool, values: [Value]) {
            self.id = id
            self.kind = kind
            self.role = role
            self.higherIsBetter = higherIsBetter
            self.values = values
        }
    }

    /// Exposure-integrity rates from the warehouse (fractions of exposed units).
    public struct ExposureQuality: Sendable, Hashable {
        public var exposedUnits: Int
        public var mismatchRate: Double
        public var preAssignmentRate: Double
        public var multiVariationRate: Double
        public var outsideWindowRate: Double

        public init(exposedUnits: Int, mismatchRate: Double, preAssignmentRate: Double, multiVariationRate: Double, outsideWindowRate: Double) {
            self.exposedUnits = exposedUnits
            self.mismatchRate = mismatchRate
            self.preAssignmentRate = preAssignmentRate
            self.multiVariationRate = multiVariationRate
            self.outsideWindowRate = outsideWindowRate
        }
    }

    public var experimentID: String?
    public var name: String?
    public var hypothesis: String?
    public var status: String?
    /// `itt` or `exposed` for warehouse input; nil for a CSV.
    public var analysisMode: String?
    /// The first arm is control.
    public var arms: [Arm]
    public var metrics: [Metric]
    public var exposureQuality: ExposureQuality?
    /// Recorded decisions, for the memo: "ship by alice at …: rationale".
    public var recordedDecisions: [String]

    public init(experimentID: String? = nil, name: String? = nil, hypothesis: String? = nil, status: String? = nil, analysisMode: String? = nil,
                arms: [Arm], metrics: [Metric], exposureQuality: ExposureQuality? = nil, recordedDecisions: [String] = []) {
        self.experimentID = experimentID
        self.name = name
        self.hypothesis = hypothesis
        self.status = status
        self.analysisMode = analysisMode
        self.arms = arms
        self.metrics = metrics
        self.exposureQuality = exposureQuality
        self.recordedDecisions = recordedDecisions
    }

    public var primaryMetric: Metric? { metrics.first { $0.role == .primary } }
}
