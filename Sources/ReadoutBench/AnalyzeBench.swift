import ArgumentParser
import Analysis
import Foundation
import Warehouse

extension ReadoutBench {
    /// The stats engine on many experiments, compared with fixtures/bench/peer_stats.py.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse N synthetic experiments × 5 metrics × 3 arms against statsmodels + scipy on the same inputs.",
            discussion: """
                The inputs are written as JSON for fixtures/bench/peer_stats.py (statsmodels + scipy), which \
                is run on them after Readout's runs; the ratio is the worst pairing, Readout's slowest run \
                against the peer's fastest. Needs python3 with scipy and statsmodels (on PATH, $VENV/bin, or \
                --python); --no-peer skips it.
                """
        )

        @Option(help: "How many experiments.")
        var experiments = 10_000

        @Option(help: "Also keep the inputs here as JSON (default: a scratch file, removed afterwards).")
        var inputs: String?

        @Option(help: "Runs of Readout's Analyzer over all the experiments.")
        var runs = 3

        @Option(help: "Runs of the Python peer.")
        var peerRuns = 1

        @Option(help: "The Python interpreter with scipy and statsmodels (default: python3 in $VENV/bin, then on PATH).")
        var python: String?

        @Flag(help: "Skip the Python peer.")
        var noPeer = false

        func run() throws {
            // The peer's interpreter is found (or refused) before anything is measured.
            let interpreter = noPeer ? nil : try BenchTools.python(python)
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
            let scratch = try BenchScratch("analyze")
            let inputsFile = inputs ?? scratch.file("inputs.json")
            try JSONSerialization.data(withJSONObject: exported).write(to: URL(fileURLWithPath: inputsFile))
            let analyzer = Analyzer()
            var verdicts: [String: Int] = [:]
            var times: [Double] = []
            for run in 0..<max(runs, 1) {
                var counted: [String: Int] = [:]
                times.append(measure {
                    for input in all {
                        counted[analyzer.analyze(input).decision.verdict.rawValue, default: 0] += 1
                    }
                })
                if run == 0 { verdicts = counted }
            }
            let comparisons = experiments * 5 * 2
            print(String(format: "experiments: %d, comparisons: %d", experiments, comparisons))
            for seconds in times {
                print(String(format: "readout Analyzer: %.3f s total, %.1f µs per experiment, %.2f µs per comparison", seconds, seconds / Double(experiments) * 1e6, seconds / Double(comparisons) * 1e6))
            }
            print("verdicts: \(verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            guard let interpreter else { return }
            let script = try SemanticDirectory.locate(explicit: nil).root.deletingLastPathComponent().appendingPathComponent("fixtures/bench/peer_stats.py").path
            var peerTimes: [Double] = []
            for _ in 0..<max(peerRuns, 1) {
                let output: String
                do { output = try runToEnd(interpreter, [script, inputsFile]) } catch {
                    throw BenchFailure("The peer failed (pip install scipy statsmodels, or --no-peer): \(error)")
                }
                print(output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? "")
                // "statsmodels+scipy: 7.812 s total, …"
                guard let total = output.split(separator: "\n").last(where: { $0.hasPrefix("statsmodels+scipy:") })?
                    .split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else {
                    throw BenchFailure("Cannot read the peer's total from: \(output)")
                }
                peerTimes.append(total)
            }
            let worst = (peerTimes.min() ?? 0) / (times.max() ?? 1)
            let medians = median(peerTimes) / median(times)
            print(String(format: "ratio: %.1f× in the worst pairing (slowest readout run, fastest peer run), %.1f× at the medians", worst, medians))
        }
    }
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
