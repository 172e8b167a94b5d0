import Foundation

/// The exact Beta-Binomial model of a binary metric: each arm's rate has a
/// Beta(1 + conversions, 1 + users − conversions) posterior (uniform prior).
///
/// The chance that treatment beats control is Evan Miller's closed-form sum,
/// and the expected losses follow Chris Stucchio's identities; no simulation.
public struct BetaBinomial: Sendable, Hashable {
    public var control: ProportionSample
    public var treatment: ProportionSample

    public init(control: ProportionSample, treatment: ProportionSample) {
        self.control = control
        self.treatment = treatment
    }

    public struct Result: Sendable, Hashable {
        /// P(p_T > p_C).
        public var chanceToBeatControl: Double
        /// E[max(p_C − p_T, 0)]: absolute rate lost if treatment is chosen wrongly.
        public var expectedLoss: Double
        /// E[max(p_T − p_C, 0)]: absolute rate lost if control is kept wrongly.
        public var controlRisk: Double
    }

    public func run() -> Result? {
        guard control.users > 0, treatment.users > 0,
              (0...control.users).contains(control.conversions),
              (0...treatment.users).contains(treatment.conversions) else { return nil }
        let aC = 1 + Double(control.conversions), bC = 1 + Double(control.users - control.conversions)
        let aT = 1 + Double(treatment.conversions), bT = 1 + Double(treatment.users - treatment.conversions)
        let chance = BetaBinomial.probabilityGreater(aT, bT, than: aC, bC)
        let meanC = aC / (aC + bC), meanT = aT / (aT + bT)
        // E[p_C 1{p_C > p_T}] − E[p_T 1{p_C > p_T}]
        let loss = meanC * BetaBinomial.probabilityGreater(aC + 1, bC, than: aT, bT)
            - meanT * BetaBinomial.probabilityGreater(aC, bC, than: aT + 1, bT)
        let risk = meanT * BetaBinomial.probabilityGreater(aT + 1, bT, than: aC, bC)
            - meanC * BetaBinomial.probabilityGreater(aT, bT, than: aC + 1, bC)
        return Result(chanceToBeatControl: chance, expectedLoss: max(0, loss), controlRisk: max(0, risk))
    }

    /// P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2) with integer-valued a1 or a2.
    ///
    /// Sums over whichever shape parameter is smaller, using
    /// P(X > Y) = 1 − P(Y > X), so the cost is min(a1, a2) terms.
    static func probabilityGreater(_ a1: Double, _ b1: Double, than a2: Double, _ b2: Double) -> Double {
        if a1 <= a2 { return sum(aB: a1, bB: b1, aA: a2, bA: b2) }
        return 1 - sum(aB: a2, bB: b2, aA: a1, bA: b1)
    }

    /// Evan Miller: P(p_B > p_A) = Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B) B(α_A, β_A)).
    private static func sum(aB: Double, bB: Double, aA: Double, bA: Double) -> Double {
        let constant = -logBeta(aA, bA)
        var total = 0.0
        var compensation = 0.0
        var i = 0.0
        while i < aB {
            let term = exp(logBeta(aA + i, bA + bB) - log(bB + i) - logBeta(1 + i, bB) + constant)
            // Kahan summation: up to millions of terms.
            let y = term - compensation
            let t = total + y
            compensation = (t - total) - y
            total = t
            i += 1
        }
        return min(1, max(0, total))
    }

    private static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }
}
