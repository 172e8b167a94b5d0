import Foundation

extension SpecialFunctions {
    /// The regularised lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a).
    ///
    /// Series expansion below x < a + 1, Lentz continued fraction for Q above
    /// (Numerical Recipes §6.2); relative accuracy ~1e-15.
    public static func regularizedLowerGamma(a: Double, x: Double) -> Double {
        guard a > 0, x > 0 else { return x <= 0 ? 0 : .nan }
        if x.isInfinite { return 1 }
        return x < a + 1 ? gammaSeries(a: a, x: x) : 1 - gammaContinuedFraction(a: a, x: x)
    }

    /// The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x),
    /// computed directly in the upper tail so tiny values keep their precision.
    public static func regularizedUpperGamma(a: Double, x: Double) -> Double {
        guard a > 0, x > 0 else { return x <= 0 ? 1 : .nan }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - gammaSeries(a: a, x: x) : gammaContinuedFraction(a: a, x: x)
    }

    private static func gammaPrefactor(a: Double, x: Double) -> Double {
        exp(a * log(x) - x - lgamma(a))
    }

    private static func gammaSeries(a: Double, x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * gammaPrefactor(a: a, x: x)
    }

    private static func gammaContinuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return gammaPrefactor(a: a, x: x) * h
    }
}
