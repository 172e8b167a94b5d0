import ArgumentParser
import Analysis
import Stats
import Yams

/// The `analysis:` section of readout.yaml: the one configuration of the statistics
/// engine. `build`, `demo`, the server's refresh (the results tables), `analyze`,
/// `memo` and the HTTP results all use it; `analyze`/`memo` flags override it.
///
/// ```yaml
/// analysis:
///   alpha: 0.05
///   correction: holm            # none | holm | bh
///   sequential: false           # always-valid decision test (safe to peek)
///   sequential_tuning: 5000
///   proper_prior: false         # GrowthBook's N(0, 0.3²) prior on the relative lift
///   beta_binomial: false
///   cuped: true                 # CUPED wherever a pre-experiment covariate exists
///   minimum_detectable_effect: 0.10
///   target_power: 0.8
///   srm_warning_p: 0.001
///   srm_blocked_p: 0.00001
///   minimum_users_per_arm: 100
/// ```
enum AnalysisSettings {
    /// Each key, how it is read and how it is shown.
    static let keys: [(name: String, apply: @Sendable (inout AnalysisConfiguration, Node, String) throws -> Void, show: @Sendable (AnalysisConfiguration) -> String)] = [
        ("alpha", { c, n, at in c.alpha = try fraction(n, at, open: 0.5) }, { "\($0.alpha)" }),
        ("correction", { c, n, at in
            guard let value = n.string, let correction = PValueAdjustment(rawValue: value) else {
                throw ValidationError("\(at): none, holm or bh.")
            }
            c.correction = correction
        }, { $0.correction.rawValue }),
        ("sequential", { c, n, at in c.sequential = try bool(n, at) }, { "\($0.sequential)" }),
        ("sequential_tuning", { c, n, at in c.sequentialTuning = try positive(n, at) }, { "\($0.sequentialTuning)" }),
        ("proper_prior", { c, n, at in c.prior = try bool(n, at) ? .growthBookDefault : nil }, { "\($0.prior != nil)" }),
        ("beta_binomial", { c, n, at in c.betaBinomial = try bool(n, at) }, { "\($0.betaBinomial)" }),
        ("cuped", { c, n, at in c.cuped = try bool(n, at) }, { "\($0.cuped)" }),
        ("minimum_detectable_effect", { c, n, at in c.minimumDetectableEffect = try positive(n, at) }, { "\($0.minimumDetectableEffect)" }),
        ("target_power", { c, n, at in c.targetPower = try fraction(n, at, open: 1) }, { "\($0.targetPower)" }),
        ("srm_warning_p", { c, n, at in c.srmWarningP = try fraction(n, at, open: 1) }, { "\($0.srmWarningP)" }),
        ("srm_blocked_p", { c, n, at in c.srmBlockedP = try fraction(n, at, open: 1) }, { "\($0.srmBlockedP)" }),
        ("minimum_users_per_arm", { c, n, at in
            guard let value = n.int, value >= 0 else { throw ValidationError("\(at): a whole number of users, 0 or more.") }
            c.minimumUsersPerArm = value
        }, { "\($0.minimumUsersPerArm)" }),
    ]

    /// Reads the section; unknown keys and bad values are errors naming file, line and key.
    static func parse(_ node: Node, file: String) throws -> (AnalysisConfiguration, Set<String>) {
        guard case .mapping(let mapping) = node else { throw ValidationError("\(file):\(node.mark?.line ?? 0) (analysis): expected key: value settings.") }
        var configuration = AnalysisConfiguration()
        var given: Set<String> = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            let at = "\(file):\(key.mark?.line ?? 0) (analysis.\(name))"
            guard let entry = keys.first(where: { $0.name == name }) else {
                throw ValidationError("\(at): unknown analysis setting; expected one of \(keys.map(\.name).joined(separator: ", ")).")
            }
            try entry.apply(&configuration, value, at)
            given.insert(name)
        }
        return (configuration, given)
    }

    private static func bool(_ node: Node, _ at: String) throws -> Bool {
        guard let value = node.bool else { throw ValidationError("\(at): true or false.") }
        return value
    }

    private static func positive(_ node: Node, _ at: String) throws -> Double {
        guard let value = node.float, value > 0 else { throw ValidationError("\(at): a positive number.") }
        return value
    }

    private static func fraction(_ node: Node, _ at: String, open upper: Double) throws -> Double {
        guard let value = node.float, value > 0, value < upper else { throw ValidationError("\(at): a number between 0 and \(upper), exclusive.") }
        return value
    }
}
