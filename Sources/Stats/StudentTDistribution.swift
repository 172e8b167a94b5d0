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

    /// From here on the two-sided p-value comes from the asymptotic tail (``asymptoticTwoSided(_:)``).
    static let asymptoticDegrees = 5_000.0

    /// P(|T| ≥ |t|), computed as I_{ν/(ν+t²)}(ν/2, 1/2) with no subtraction from 1; from
    /// ν ≥ 5,000 by the asymptotic tail, which needs no continued fraction (~√ν steps).
    public func twoSidedPValue(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        if t.isInfinite { return 0 }
        if nu >= Self.asymptoticDegrees && nu.isFinite { return asymptoticTwoSided(t) }
        return SpecialFunctions.regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// Hill's normalising transformation of t (G. W. Hill, "Algorithm 395: Student's
    /// t-distribution", CACM 13(10), 1970): with a = ν − ½, y = a·ln(1 + t²/ν) and b = 48a²,
    /// z = √y·(1 + (y + 3 + (−0.4y³ − 3.3y² − 24y − 85.5)/(0.8y² + 100 + b))/b) is standard normal to
    /// order 1/a³, and P(|T| ≥ |t|) = erfc(z/√2). Checked against SciPy for ν from 5,000 to 10⁹
    /// and |t| up to 38: relative error below 4e-11 wherever the p-value is at least 1e-280 (below
    /// 1e-12 from ν = 10,000; `fixtures/stats/t_tail_reference.json`); below 1e-280 it underflows to 0.
    func asymptoticTwoSided(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let a = nu - 0.5
        let b = 48 * a * a
        let y = a * log1p(t * t / nu)
        let z = (((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1) * y.squareRoot()
        return erfc(z / 2.0.squareRoot())
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
