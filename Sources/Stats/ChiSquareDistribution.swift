/// The chi-square distribution with `degreesOfFreedom` (k) degrees of freedom.
public struct ChiSquareDistribution: Sendable, Hashable {
    public var degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        SpecialFunctions.regularizedLowerGamma(a: degreesOfFreedom / 2, x: x / 2)
    }

    /// P(X > x), accurate in the far tail (no `1 - cdf` cancellation).
    public func survival(_ x: Double) -> Double {
        SpecialFunctions.regularizedUpperGamma(a: degreesOfFreedom / 2, x: x / 2)
    }
}
