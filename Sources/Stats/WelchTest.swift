/// Sufficient statistics of a continuous metric in one arm: n, Σx and Σx².
public struct MeanSample: Sendable, Hashable {
    public var count: Int
    public var sum: Double
    public var sumOfSquares: Double

    public init(count: Int, sum: Double, sumOfSquares: Double) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    /// Σx / n, nil with no observations.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// The sample variance (n − 1 denominator), nil below two observations.
    public var variance: Double? {
        guard count > 1 else { return nil }
        let n = Double(count)
        return Swift.max(0, (sumOfSquares - sum * sum / n) / (n - 1))
    }
}

/// Welch's unequal-variance t-test of the treatment mean against control,
/// with Welch–Satterthwaite degrees of freedom.
public struct WelchTest: Sendable, Hashable {
    public var control: MeanSample
    public var treatment: MeanSample
    public var alternative: Alternative
    public var confidenceLevel: Double

    public init(control: MeanSample, treatment: MeanSample, alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95) {
        self.control = control
        self.treatment = treatment
        self.alternative = alternative
        self.confidenceLevel = confidenceLevel
    }

    public struct Result: Sendable, Hashable {
        public var controlMean: Double?
        public var treatmentMean: Double?
        public var absoluteLift: Double?
        public var relativeLift: Double?
        public var tStatistic: Double?
        public var degreesOfFreedom: Double?
        public var pValue: Double?
        public var ciLow: Double?
        public var ciHigh: Double?
        public var notes: [String]
    }

    public func run() -> Result {
        var result = Result(notes: [])
        result.controlMean = control.mean
        result.treatmentMean = treatment.mean
        guard let meanC = control.mean, let meanT = treatment.mean else {
            result.notes.append("mean undefined: 0 users in \(control.count == 0 ? "control" : "treatment")")
            return result
        }
        let difference = meanT - meanC
        result.absoluteLift = difference
        if meanC != 0 {
            result.relativeLift = difference / meanC
        } else {
            result.notes.append("relative lift undefined: control mean is 0")
        }
        guard let varC = control.variance, let varT = treatment.variance else {
            result.notes.append("variance undefined: fewer than 2 users in an arm")
            return result
        }
        let nC = Double(control.count), nT = Double(treatment.count)
        let termC = varC / nC, termT = varT / nT
        let standardError = (termC + termT).squareRoot()
        guard standardError > 0 else {
            result.notes.append("p-value undefined: no variance in either arm")
            return result
        }
        let df = (termC + termT) * (termC + termT) / (termC * termC / (nC - 1) + termT * termT / (nT - 1))
        let t = difference / standardError
        let distribution = StudentTDistribution(degreesOfFreedom: df)
        result.tStatistic = t
        result.degreesOfFreedom = df
        switch alternative {
        case .twoSided: result.pValue = distribution.twoSidedPValue(t)
        case .greater: result.pValue = distribution.survival(t)
        case .less: result.pValue = distribution.cdf(t)
        }
        let critical = distribution.quantile(1 - (1 - confidenceLevel) / 2)
        result.ciLow = difference - critical * standardError
        result.ciHigh = difference + critical * standardError
        return result
    }
}
