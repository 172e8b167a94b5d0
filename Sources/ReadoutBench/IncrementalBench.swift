import ArgumentParser
import Foundation
import Semantic
import Warehouse

extension ReadoutBench {
    /// `readout build --incremental` after 1,000 new exposures against a full `readout build`, as
    /// whole processes on copies of a demo (what a user runs).
    struct Incremental: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "readout build --incremental after 1,000 new events vs a full readout build, as processes.",
            discussion: """
                Each run copies DEMO.db twice. Into one copy go exposures of the experiment's first 1,000 \
                assigned units, after the last build's watermark, and `readout build --incremental` is \
                timed; on the other a full `readout build`. Both copies are flushed to disk (sync) before \
                either is timed.
                """
        )

        @Argument(help: "A demo warehouse (readout demo --db FILE).")
        var db: String

        @Option(help: "The experiment the new events belong to (default: the demo's largest).")
        var experiment = "exp_checkout_button"

        @Option(help: "How many times to measure the pair.")
        var runs = 3

        @OptionGroup var binary: ReadoutBinary

        func run() throws {
            let readout = try binary.resolved()
            let scratch = try BenchScratch("incremental")
            var ratios: [Double] = []
            for run in 1...max(runs, 1) {
                let incremental = try scratch.copy(database: db, to: "incremental.db")
                let inserted = try insertExposures(into: incremental)
                guard inserted == 1000 else { throw BenchFailure("\(experiment) has \(inserted) assigned units in \(db); pick one with at least 1,000.") }
                let full = try scratch.copy(database: db, to: "full.db")
                // Written to disk before anything is timed: otherwise the build's first fsync also
                // pays for flushing the freshly copied file.
                sync()
                let incrementalSeconds = try timedRun(readout, ["build", "--incremental", "--db", incremental], log: scratch.file("incremental.log"))
                let fullSeconds = try timedRun(readout, ["build", "--db", full], log: scratch.file("full.log"))
                ratios.append(fullSeconds / incrementalSeconds)
                print(String(format: "run %d: incremental %.3f s, full %.3f s, %.1f×", run, incrementalSeconds, fullSeconds, fullSeconds / incrementalSeconds))
                for path in [incremental, full] {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
            }
            print("incremental vs full (\(db), 1,000 new events in \(experiment)): "
                + String(format: "%.1f× to %.1f× over %d runs", ratios.min() ?? 0, ratios.max() ?? 0, ratios.count))
        }

        /// Exposures of the experiment's first 1,000 assigned units; how many went in. The
        /// connection is closed on return, before any build opens the file.
        private func insertExposures(into path: String) throws -> Int64 {
            let connection = try Connection(path: path)
            try connection.execute("""
                INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props)
                SELECT 'exposure', unit_id, experiment_id, variation_id, NULL, '2026-10-20 12:00:00', NULL
                FROM fct_experiment_assignments WHERE experiment_id = ? ORDER BY unit_id LIMIT 1000
                """, [experiment])
            return try connection.scalar("SELECT changes()").int64 ?? 0
        }
    }
}
