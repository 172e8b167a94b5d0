import ArgumentParser
import Analysis
import Foundation

extension ReadoutBench {
    /// The stats engine on many experiments, compared with fixtures/bench/peer_stats.py.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse N synthetic experiments × 5 metrics × 3 arms; report total and per-call time.",
            discussion: "The same inputs are written as JSON for fixtures/bench/peer_stats.py (statsmodels + scipy)."
        )

        @Option(help: "How many experiments.")
        var experiments = 10_000

        @Option(help: "Write the inputs here as JSON for the Python peer.")
        var inputs: String?

        func run() throws {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            func next() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53)
            }
            var all: [ExperimentInput] = []
            var exported: [[String: Any]] = []
            for index in 0..<experiments {
                let users = (0..<3).map { _ in 5_000 + Int(next() * 20_000) }
                var metrics: [ExperimentInput.Metric] = []
                var exportMetrics: [[String: Any]] = []
                for m in 0..<5 {
                    let binary = m < 3
                    let values = users.map { n -> ExperimentInput.Value in
                        if binary { return .init(units: n, sum: Double(Int(Double(n) * (0.05 + next() * 0.1)))) }
                        let mean = 20 + next() * 5
                        return .init(units: n, sum: mean * Double(n), sumOfSquares: Double(n) * (mean * mean + 100))
                    }
                    metrics.append(.init(id: "m\(m)", kind: binary ? .binary : .continuous, role: m == 0 ? .primary : m == 2 ? .guardrail : .secondary,
                                         higherIsBetter: m != 2, values: values))
                    exportMetrics.append(["kind": binary ? "binary" : "continuous", "values": values.map { [Double($0.units), $0.sum, $0.sumOfSquares ?? 0] }])
                }
                all.append(ExperimentInput(experimentID: "exp_\(index)", arms: users.enumerated().map { .init(variant: $0.offset == 0 ? "control" : "t\($0.offset)", users: $0.element) }, metrics: metrics))
                exported.append(["metrics": exportMetrics])
            }
            if let inputs {
                try JSONSerialization.data(withJSONObject: exported).write(to: URL(fileURLWithPath: inputs))
            }
            let analyzer = Analyzer()
            var verdicts: [String: Int] = [:]
            let seconds = measure {
                for input in all {
                    verdicts[analyzer.analyze(input).decision.verdict.rawValue, default: 0] += 1
                }
            }
            let comparisons = experiments * 5 * 2
            print(String(format: "experiments: %d, comparisons: %d", experiments, comparisons))
            print(String(format: "readout Analyzer: %.3f s total, %.1f µs per experiment, %.2f µs per comparison", seconds, seconds / Double(experiments) * 1e6, seconds / Double(comparisons) * 1e6))
            print("verdicts: \(verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
    }
}
