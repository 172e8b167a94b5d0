import SQLParser
import Analysis
import ArgumentParser
import Foundation
import Governance
import PostgresWarehouse
import Warehouse

extension Readout {
    /// `readout demo`: create a warehouse of deterministic synthetic experiment data.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a demo warehouse with realistic, deterministic experiment data.",
            discussion: """
                Generates users, assignments, exposures, purchases, refunds and page loads for eight \
                experiments (exp_checkout_button, exp_pricing_page, exp_onboarding_email, \
                exp_search_ranking, exp_recs_model_v2, exp_signup_flow, exp_dark_mode, \
                exp_free_shipping), then builds every model. The same --seed and --users always \
                produce identical tables. An existing file is replaced only after you confirm, or \
                with --force; the new warehouse is moved into place only once complete.
                """
        )

        @OptionGroup var options: WarehouseOptions

        @Option(help: "How many users to simulate (1 to 50,000,000).")
        var users: Int = 50_000

        @Option(help: "Seed for the random generator; the same seed gives the same data.")
        var seed: UInt64 = 42

        @Flag(help: "Replace an existing warehouse file without asking.")
        var force = false

        func validate() throws {
            guard (1...50_000_000).contains(users) else {
                throw ValidationError("--users must be between 1 and 50,000,000; try --users 50000.")
            }
        }

        func run() async throws {
            let semantic = try options.semanticDirectory()
            let configuration = DemoConfiguration(users: users, seed: seed)
            let build = WarehouseBuild.analysed(semantic, configuration: try Settings.resolve(warehouse: options).analysis)
            let started = Date()
            var bar = ProgressBar()
            func show(_ phase: DemoWarehouse.Phase) {
                switch phase {
                case .generating(let done, let total): bar.update("Generating", done: done, total: total)
                case .building(let model): bar.status("Built \(model.model)")
                }
            }
            let report: DemoWarehouse.Report
            let written: any WritableWarehouseSession
            let location = try options.location
            switch location {
            case .postgres(let url):
                // Replaces only Readout's own tables, in one transaction (see PostgresDemo).
                report = try PostgresDemo.create(at: url, configuration: configuration, build: build, progress: show)
                written = try PostgresSession(url: url)
            case .sqlite(let path):
                if FileManager.default.fileExists(atPath: path) && !force {
                    guard Terminal.standardInputIsTTY else {
                        throw ValidationError("\(path) already exists. Pass --force to replace it, or --db to write elsewhere.")
                    }
                    guard Terminal.confirm("\(path) already exists. Replace it with a new demo warehouse?") else {
                        Terminal.printError("Kept \(path) unchanged.")
                        throw ExitCode(1)
                    }
                }
                report = try DemoWarehouse.create(at: path, configuration: configuration, build: build, progress: show)
                written = try Connection(path: path)
            }
            bar.finish()
            try AllowedAssets.materialise(try options.contract(), into: written)
            try IncrementalBuild.recordFull(written)
            // On PostgreSQL the database enforces the contract too (grants belong to the tables just made).
            if let postgres = written as? PostgresSession { try PostgresContract.apply(try options.contract(), on: postgres) }
            let seconds = Date().timeIntervalSince(started)

            print("Created \(location) in \(String(format: "%.1f", seconds)) s (seed \(seed)): \(report.data.users.formatted()) users, \(report.data.assignments.formatted()) assignments, \(report.data.events.formatted()) events; built \(report.build.models.count) models.\n")
            let results = try written.rows("""
                SELECT r.experiment_id, r.variation_id, r.n_users, r.conversion_rate, r.uplift_rel, r.rel_ci_low, r.rel_ci_high, r.rel_p_value, r.is_significant
                FROM fct_experiment_results AS r
                WHERE r.metric_id = 'conversion_7d' AND r.analysis_mode = 'itt'
                ORDER BY r.experiment_id, r.is_control DESC, r.variation_id
                """)
            print("7-day conversion by variant (intent-to-treat; relative lift with its interval, p-value and significance from the decision test):")
            print(ResultTable(results).aligned())
            switch location {
            case .sqlite(let path): print("Next: `readout check` runs the data contracts; the tables are plain SQLite (sqlite3 \(path)).")
            case .postgres(let url): print("Next: `readout check --warehouse \(url)` runs the data contracts; the tables are plain PostgreSQL (psql).")
            }
        }
    }
}
