import ArgumentParser
import Foundation
import Stats

extension Readout {
    /// `readout power`: sample size for a conversion-rate test.
    struct Power: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Users per arm needed to detect an effect on a conversion rate (Cohen's h), and the days that takes.",
            discussion: "Example: readout power --baseline 0.05 --mde 0.1 --relative --daily-traffic 4000"
        )

        @Option(help: "Baseline conversion rate of control, e.g. 0.05.")
        var baseline: Double

        @Option(help: "Minimum detectable effect: rate points (0.01 = +1 pp) or, with --relative, a fraction of the baseline (0.1 = +10%).")
        var mde: Double

        @Flag(help: "Read --mde as relative to the baseline.")
        var relative = false

        @Option(help: "Significance level (two-sided).")
        var alpha = 0.05

        @Option(help: "Target power.")
        var power = 0.8

        @Option(help: "Arms in the test, control included.")
        var arms = 2

        @Option(help: "Units entering the experiment per day (all arms together), to estimate duration.")
        var dailyTraffic: Double?

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        func validate() throws {
            guard baseline > 0 && baseline < 1 else { throw ValidationError("--baseline must be a rate between 0 and 1 (got \(baseline)).") }
            guard mde != 0 else { throw ValidationError("--mde must not be 0.") }
            let target = PowerAnalysis.targetRate(baseline: baseline, effect: mde, relative: relative)
            guard target > 0 && target < 1 else { throw ValidationError("baseline \(baseline) with MDE \(mde)\(relative ? " (relative)" : "") gives a target rate of \(target), outside (0, 1).") }
            guard alpha > 0 && alpha < 0.5 else { throw ValidationError("--alpha must be between 0 and 0.5.") }
            guard power > alpha && power < 1 else { throw ValidationError("--power must be between --alpha and 1.") }
            guard arms >= 2 else { throw ValidationError("--arms must be at least 2.") }
            if let dailyTraffic, !(dailyTraffic > 0) { throw ValidationError("--daily-traffic must be positive.") }
        }

        func run() async throws {
            let target = PowerAnalysis.targetRate(baseline: baseline, effect: mde, relative: relative)
            let h = PowerAnalysis.cohensH(baseline: baseline, target: target)
            let analysis = PowerAnalysis(alpha: alpha, power: power)
            guard let exact = analysis.requiredPerArm(effectSize: h) else { throw ValidationError("No sample size reaches that power.") }
            let perArm = Int(exact.rounded(.up))
            let days = dailyTraffic.flatMap { PowerAnalysis.days(perArm: exact, arms: arms, dailyTraffic: $0) }
            switch format {
            case .json:
                print("{\"baseline\": \(baseline), \"targetRate\": \(target), \"cohensH\": \(h), \"alpha\": \(alpha), \"power\": \(power), \"requiredPerArm\": \(perArm), \"total\": \(perArm * arms), \"days\": \(days.map(String.init) ?? "null")}")
            case .table, .csv:
                print(String(format: "Baseline %.4g → target %.4g (Cohen's h %.4f), alpha %.3g two-sided, power %.0f%%", baseline, target, h, alpha, power * 100))
                print("Users per arm: \(perArm)  (total \(perArm * arms) over \(arms) arms)")
                if let days, let dailyTraffic { print("Days at \(Int(dailyTraffic)) units/day: \(days)") }
            }
        }
    }
}
