/// Which alternative hypothesis a test answers.
public enum Alternative: String, Sendable, CaseIterable {
    /// Treatment differs from control (either direction).
    case twoSided = "two-sided"
    /// Treatment is greater than control.
    case greater
    /// Treatment is less than control.
    case less
}

/// Conversions out of users, for one arm of an experiment.
public struct ProportionSample: Sendable, Hashable {
    public var users: Int
    public var conversions: Int

    public init(users: Int, conversions: Int) {
        self.users = users
        self.conversions = conversions
    }

    /// conversions / users, nil when there are no users.
    public var rate: Double? { users > 0 ? Double(conversions) / Double(users) : nil }
}

/// A two-proportion z-test of treatment against control.
///
/// The p-value uses the pooled standard error (the test statsmodels'
/// `proportions_ztest` runs); the confidence interval of the absolute
/// difference uses the unpooled (Wald) standard error. Undefined quantities
/// are nil with a reason, never NaN.
public struct TwoProportionTest: Sendable, Hashable {
    public var control: ProportionSample
    public var treatment: ProportionSample
    public var alternative: Alternative
    public var confidenceLevel: Double

    public init(control: ProportionSample, treatment: ProportionSample, alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95) {
        self.control = control
        self.treatment = treatment
        self.alternative = alternative
        self.confidenceLevel = confidenceLevel
    }

    /// The test's output.
    public struct Result: Sendable, Hashable {
        public var controlRate: Double?
        public var treatmentRate: Double?
        /// treatment rate − control rate.
        public var absoluteLift: Double?
        /// (treatment − control) / control; nil when the control rate is 0.
        public var relativeLift: Double?
        public var zScore: Double?
        public var pValue: Double?
        /// Bounds of the confidence interval of the absolute difference.
        public var ciLow: Double?
        public var ciHigh: Double?
        /// Why a field is nil, when one is.
        public var notes: [String]
    }

    public func run() -> Result {
        var result = Result(notes: [])
        guard let pc = control.rate, let pt = treatment.rate else {
            result.notes.append("rate undefined: 0 users in \(control.users == 0 ? "control" : "treatment")")
            result.controlRate = control.rate
            result.treatmentRate = treatment.rate
            return result
        }
        result.controlRate = pc
        result.treatmentRate = pt
        let difference = pt - pc
        result.absoluteLift = difference
        if pc > 0 {
            result.relativeLift = difference / pc
        } else {
            result.notes.append("relative lift undefined: control rate is 0")
        }

        let nc = Double(control.users), nt = Double(treatment.users)
        let pooled = Double(control.conversions + treatment.conversions) / (nc + nt)
        let pooledSE = (pooled * (1 - pooled) * (1 / nc + 1 / nt)).squareRoot()
        if pooledSE > 0 {
            let z = difference / pooledSE
            result.zScore = z
            switch alternative {
            case .twoSided: result.pValue = NormalDistribution.twoSidedPValue(z)
            case .greater: result.pValue = NormalDistribution.survival(z)
            case .less: result.pValue = NormalDistribution.cdf(z)
            }
        } else {
            result.notes.append("p-value undefined: both arms convert at \(pooled == 0 ? "0%" : "100%")")
        }

        let unpooledSE = (pc * (1 - pc) / nc + pt * (1 - pt) / nt).squareRoot()
        let critical = NormalDistribution.quantile(1 - (1 - confidenceLevel) / 2)
        result.ciLow = difference - critical * unpooledSE
        result.ciHigh = difference + critical * unpooledSE
        return result
    }
}
