#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t distribution with `degreesOfFreedom` (> 0, need not be whole).
public struct StudentTDistribution: Sendable, Hashable {
    public var degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(|T| ≥ |t|), computed as I_{ν/(ν+t²)}(ν/2, 1/2) with no subtraction from 1.
    public func twoSidedPValue(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        if t.isInfinite { return 0 }
        return SpecialFunctions.regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// P(T > t).
    public func survival(_ t: Double) -> Double {
        let tail = 0.5 * twoSidedPValue(t)
        return t >= 0 ? tail : 1 - tail
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        survival(-t)
    }

    /// The density at t.
    public func density(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let logDensity = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi) - (nu + 1) / 2 * log1p(t * t / nu)
        return exp(logDensity)
    }

    /// The t with P(T ≤ t) = p: Newton steps from the normal quantile, kept
    /// inside a bisection bracket so they cannot diverge.
    public func quantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p) }
        if degreesOfFreedom >= 100 {
            // Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5, four terms),
            // then Newton steps on the exact cdf: the expansion is already within
            // ~1e-9 here, so one or two steps reach full precision.
            let z = NormalDistribution.quantile(p), v = degreesOfFreedom
            let z2 = z * z
            let g1 = (z2 + 1) * z / 4
            let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
            let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
            let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
            var t = z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
            if degreesOfFreedom > 1e6 { return t }  // the incomplete beta behind cdf is the weaker side here
            // From ν ≥ 10,000 and |z| < 6 the first neglected term (order z¹¹/ν⁵) is below 1e-15 of t,
            // so the exact cdf (the costly part, ~√ν continued-fraction steps) is not needed.
            if degreesOfFreedom >= 10_000 && Swift.abs(z) < 6 { return t }
            for _ in 0..<3 {
                let density = density(t)
                guard density > 0 else { break }
                let step = (cdf(t) - p) / density
                t -= step
                // From ν ≥ 1000 the expansion is within ~1e-12, so one step is exact to rounding.
                if degreesOfFreedom >= 1000 || Swift.abs(step) <= 1e-14 * Swift.max(1, Swift.abs(t)) { return t }
            }
            if t.isFinite { return t }
        }
        var low = 0.0
        var high = Swift.max(1.0, NormalDistribution.quantile(p))
        while cdf(high) < p { low = high; high *= 2 }
        var t = Swift.min(Swift.max(NormalDistribution.quantile(p), low), high)
        for _ in 0..<200 {
            let error = cdf(t) - p
            if error > 0 { high = t } else { low = t }
            let density = density(t)
            var next = density > 0 ? t - error / density : .nan
            if !(next > low && next < high) { next = (low + high) / 2 }
            if Swift.abs(next - t) <= 1e-15 * Swift.max(1, Swift.abs(t)) { return next }
            t = next
        }
        return t
    }
}
