import Planner
import Semantic
import ArgumentParser
import Foundation
import Gateway
import Governance
import Warehouse

extension Readout {
    /// `readout eval`: execution accuracy of a planner on fixtures/eval/questions.yaml, or
    /// accuracy and precision on a split (`--split dev|test`).
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a planner's execution accuracy on the evaluation questions.",
            discussion: """
                Each question is asked through the full gateway (plan, guard, execute) and its rows \
                compared with the gold SQL's rows. Out-of-scope and hostile questions must be refused. \
                Run it on the demo warehouse (`readout demo`). Nothing is audited.

                Without --split: fixtures/eval/questions.yaml, rows compared as whole result sets. \
                With --split dev or --split test (fixtures/eval/NAME.yaml, or --questions FILE in the \
                split format): each item is to be answered (the answer's rows must contain the gold \
                result), refused (blocked) or not understood (declined); the report gives accuracy and \
                precision (correct among answered) overall, by expectation and, with --by-tag, by \
                category. The test split is sealed: read its totals, not its failures, while building.
                """
        )

        @Option(help: ArgumentHelp("Evaluate a split: dev or test (fixtures/eval/NAME.yaml).", valueName: "name"))
        var split: String?

        @Flag(name: .customLong("by-tag"), help: "With --split: accuracy and precision per tag (measure, dimension, filter, …).")
        var byTag = false

        @Option(help: "With --split: exit with status 1 when precision is below this (0–1).")
        var minPrecision: Double?

        @Option(help: "auto, rule, stub or llm.")
        var planner: PlannerChoice = .rule

        @Option(help: ArgumentHelp("The question set (default: fixtures/eval/questions.yaml).", valueName: "path"))
        var questions: String?

        @Option(help: "Exit with status 1 when accuracy on answerable questions is below this (0–1).")
        var minAccuracy: Double?

        @Flag(help: "List every question with its verdict.")
        var verbose = false

        @Option(help: "table or json.")
        var format: OutputFormat = .table

        @Option(name: .customLong("gold-db"), help: ArgumentHelp(
            "Run the gold SQL (written in SQLite's SQL) on this SQLite warehouse instead; required for a PostgreSQL --warehouse, built from the same demo seed.",
            valueName: "path"))
        var goldDB: String?

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        /// Where the gold SQL runs: the warehouse itself (SQLite) or `--gold-db`.
        func goldGateway() throws -> ReadoutGateway? {
            if let goldDB {
                guard FileManager.default.fileExists(atPath: goldDB) else {
                    throw ValidationError("--gold-db \(goldDB) does not exist; build it with `readout demo --db \(goldDB)` (same --users and --seed as the warehouse).")
                }
                var gold = options
                gold.warehouse = nil
                gold.db = goldDB
                return try gold.gateway(governance, audited: false)
            }
            if case .postgres = try options.location {
                throw ValidationError("The evaluation's gold SQL is written in SQLite's SQL: on a PostgreSQL warehouse, give --gold-db PATH, a SQLite demo built with the same seed (`readout demo --db PATH`).")
            }
            return nil
        }

        func run() async throws {
            let gold = try goldGateway()
            if let split { return try await runSplit(split, gold: gold) }
            let semantic = try options.semanticDirectory()
            let path = questions.map { URL(fileURLWithPath: $0) } ?? semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/eval/questions.yaml")
            let items: [Evaluation.Item]
            do { items = try Evaluation.load(path) } catch { throw ValidationError("\(error)") }
            if case .sqlite = try options.location { _ = try options.openExisting(mode: .readOnly) }
            let gateway = try options.gateway(governance, audited: false)
            let result = await gateway.evaluate(items, planner: planner, role: RoleName(governance.resolvedRole), goldFrom: gold)
            if format == .json {
                print(GuardJSON.encode(result))
            } else {
                var intents: [String] = []
                for outcome in result.outcomes where !intents.contains(outcome.intent) { intents.append(outcome.intent) }
                let rows: [[DatabaseValue]] = intents.map { intent in
                    let group = result.outcomes.filter { $0.intent == intent }
                    let count = { (verdict: Evaluation.Outcome.Verdict) in Int64(group.filter { $0.verdict == verdict }.count) }
                    return [.text(intent), .integer(Int64(group.count)), .integer(count(.correct)), .integer(count(.wrong)),
                            .integer(count(.refused) + count(.notRefused)), .integer(count(.goldFailed))]
                }
                print(ResultTable(columns: ["intent", "questions", "correct", "wrong", "refusal errors", "gold failed"], rows: rows).aligned())
                if verbose {
                    for outcome in result.outcomes where outcome.verdict != .correct || verbose {
                        print("[\(outcome.verdict.rawValue)] \(outcome.question) → \(outcome.plannedIntent ?? "-") \(outcome.detail.prefix(160))")
                    }
                }
                print(String(format: "Execution accuracy (%@ planner): %d/%d = %.1f%%; out-of-scope refused: %d/%d; forbidden assets touched: %d; %.2f s.",
                             planner.rawValue, result.correct, result.answerable, result.accuracy * 100, result.refusalsCorrect, result.refusalsExpected, result.forbiddenTouches, result.seconds))
            }
            if let minAccuracy, result.accuracy < minAccuracy || result.refusalsCorrect < result.refusalsExpected { throw ExitCode(1) }
        }

        func runSplit(_ name: String, gold: ReadoutGateway?) async throws {
            let semantic = try options.semanticDirectory()
            let path = questions.map { URL(fileURLWithPath: $0) } ?? semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/eval/\(name).yaml")
            let items: [SplitEvaluation.Item]
            do { items = try SplitEvaluation.load(path) } catch { throw ValidationError("\(error)") }
            if case .sqlite = try options.location { _ = try options.openExisting(mode: .readOnly) }
            let gateway = try options.gateway(governance, audited: false)
            let result = await gateway.evaluate(split: name, items, planner: planner, role: RoleName(governance.resolvedRole), goldFrom: gold)
            if format == .json {
                print(GuardJSON.encode(result))
            } else {
                func row(_ category: SplitEvaluation.Category) -> [DatabaseValue] {
                    [.text(category.name), .integer(Int64(category.questions)), .integer(Int64(category.correct)),
                     .text(String(format: "%.1f%%", category.accuracy * 100)), .integer(Int64(category.answered)),
                     .text(category.precision.map { String(format: "%.1f%%", $0 * 100) } ?? "—")]
                }
                let categories = [result.overall] + result.byExpect + (byTag ? result.byTag : [])
                print(ResultTable(columns: ["category", "questions", "correct", "accuracy", "answered", "precision"], rows: categories.map(row)).aligned())
                if verbose {
                    for outcome in result.outcomes where !outcome.correct {
                        print("[\(outcome.id) \(outcome.expect.rawValue) → \(outcome.outcome)] \(outcome.question) — \(outcome.detail.prefix(200))")
                    }
                }
                let codes = result.outcomes.filter { $0.codeMatched != nil }
                print(String(format: "%@ split, %@ planner: accuracy %d/%d = %.1f%%; precision %@ (%d answered); refusals with the expected code %d/%d; %.2f s.",
                             name, planner.rawValue, result.overall.correct, result.overall.questions, result.overall.accuracy * 100,
                             result.overall.precision.map { String(format: "%.1f%%", $0 * 100) } ?? "—", result.overall.answered,
                             codes.filter { $0.codeMatched == true }.count, codes.count, result.seconds))
            }
            if let minAccuracy, result.overall.accuracy < minAccuracy { throw ExitCode(1) }
            if let minPrecision, (result.overall.precision ?? 1) < minPrecision { throw ExitCode(1) }
        }
    }
}
