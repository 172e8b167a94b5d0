import ArgumentParser
import Analysis
import Foundation
import MLflow
import Stats
import Warehouse

/// The report formats of `analyze` and `memo`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown, html
}


/// Options that tune the analysis (shared by `analyze` and `memo`).
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Analysis population for --experiment: itt (every assigned unit) or exposed (units with a valid exposure).")
    var mode: WarehouseExperiment.Mode = .itt

    @Option(help: "Significance level (default: readout.yaml analysis.alpha, else 0.05).")
    var alpha: Double?

    @Option(help: "Multiple-comparison correction across treatment arms: none, holm, bh (default: analysis.correction, else holm).")
    var correction: PValueAdjustment?

    @Option(help: "Minimum detectable effect (relative) for the power check (default: analysis.minimum_detectable_effect, else 0.10).")
    var mde: Double?

    @Flag(help: "Use GrowthBook's proper prior N(0, 0.3²) on the relative lift instead of a flat prior.")
    var properPrior = false

    @Flag(help: "Decide with the always-valid sequential test (safe to peek); its p-value and interval replace the fixed-horizon ones.")
    var sequential = false

    @Flag(help: "Add the exact Beta-Binomial chance to beat control for binary metrics.")
    var betaBinomial = false

    @Flag(help: "Turn CUPED off even where a pre-experiment covariate exists.")
    var noCuped = false

    /// readout.yaml's `analysis:` settings with these flags on top.
    func configuration() throws -> AnalysisConfiguration {
        var configuration = try Settings.resolve(warehouse: nil).analysis
        if let alpha { configuration.alpha = alpha }
        if let correction { configuration.correction = correction }
        if let mde { configuration.minimumDetectableEffect = mde }
        if properPrior { configuration.prior = .growthBookDefault }
        if sequential { configuration.sequential = true }
        if betaBinomial { configuration.betaBinomial = true }
        if noCuped { configuration.cuped = false }
        return configuration
    }

    func validate() throws {
        if let alpha, !(alpha > 0 && alpha < 0.5) { throw ValidationError("--alpha must be between 0 and 0.5 (got \(alpha)).") }
        if let mde, !(mde > 0) { throw ValidationError("--mde must be positive, e.g. 0.1 for a 10% relative effect (got \(mde)).") }
    }
}

/// Where the experiment comes from: the warehouse (`--experiment`) or a CSV export (`--csv`).
struct ExperimentSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Experiment id in the warehouse.", valueName: "id"))
    var experiment: String?

    @Option(help: ArgumentHelp("Aggregated results CSV instead of the warehouse.", valueName: "file"))
    var csv: String?

    func validate() throws {
        if (experiment == nil) == (csv == nil) { throw ValidationError("Give exactly one of --experiment ID or --csv FILE.") }
    }

    func load(mode: WarehouseExperiment.Mode, options: WarehouseOptions) throws -> ExperimentInput {
        if let csv {
            guard let data = FileManager.default.contents(atPath: csv), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("Cannot read \(csv): no such file, or not UTF-8 text.")
            }
            do {
                return try ResultsCSV.parse(text, file: csv)
            } catch {
                throw ValidationError(error.description)
            }
        }
        let connection = try options.openSession(mode: .readOnly)
        return try WarehouseExperiment.load(experiment ?? "", mode: mode, from: connection)
    }
}

extension Readout {
    /// `readout analyze`: health, effects, guardrails, power and the decision.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse an experiment: health, lifts, guardrails, power and a Launch/Hold/Rollback decision.",
            discussion: """
                From the warehouse (--experiment ID, with --mode itt|exposed) or from an aggregated \
                CSV (--csv FILE) in the common export format:

                  variant,users,conversions[,guardrail_<name>...][,<metric>_sum,<metric>_sum_sq...]

                with the control arm first. The JSON (--format json) is a stable contract, \
                documented in docs/stats.md.
                """
        )

        @OptionGroup var options: WarehouseOptions
        @OptionGroup var source: ExperimentSourceOptions
        @OptionGroup var analysis: AnalysisOptions

        @Option(help: "Output format: table, json, markdown, html.")
        var format: ReportFormat = .table

        @Option(help: ArgumentHelp("Also log the analysis as a run of MLflow experiment readout/<id> on this tracking server (default: $READOUT_MLFLOW, else readout.yaml mlflow.tracking_uri).", valueName: "uri"))
        var mlflow: String?

        func run() async throws {
            let input = try source.load(mode: analysis.mode, options: options)
            let report = Analyzer(configuration: try analysis.configuration()).analyze(input)
            print(try render(report, input: input, format: format), terminator: "")
            let configured = try ReadoutConfiguration.current().mlflowTrackingURI
            guard let uri = mlflow ?? ReadoutConfiguration.env("READOUT_MLFLOW") ?? configured else { return }
            guard let trackingURI = URL(string: uri), ["http", "https"].contains(trackingURI.scheme?.lowercased() ?? "") else {
                throw ValidationError("--mlflow \(uri) is not an http(s) URL; give the tracking server's address, e.g. http://127.0.0.1:5000.")
            }
            let experimentID = source.experiment ?? source.csv.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "analysis"
            let client = MLflowClient(trackingURI: trackingURI)
            do {
                let logged = try await client.log(MLflowRun(report: report, experimentID: experimentID))
                Terminal.printError("Logged to MLflow: run \(logged.runID) of experiment readout/\(experimentID) (\(client.redactedURI)/#/experiments/\(logged.experimentID)/runs/\(logged.runID)).")
            } catch {
                // The analysis above is complete; only the logging failed.
                Terminal.printError("Error: \(error.message)")
                throw ExitCode(1)
            }
        }
    }
}

func render(_ report: AnalysisReport, input: ExperimentInput, format: ReportFormat) throws -> String {
    switch format {
    case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    case .markdown:
        return DecisionMemo(report: report, input: input).markdown()
    case .html:
        return DecisionMemo(report: report, input: input).html()
    case .table:
        return AnalysisTable(report: report).render()
    }
}
