import Planner
import Semantic
import ArgumentParser
import Foundation
import Gateway
import Governance
import Warehouse

extension Readout {
    /// `readout eval`: execution accuracy of a planner on fixtures/eval/questions.yaml.
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a planner's execution accuracy on the evaluation questions.",
            discussion: """
                Each question is asked through the full gateway (plan, guard, execute) and its rows \
                compared with the gold SQL's rows as result sets. Out-of-scope and hostile questions \
                must be refused. Run it on the demo warehouse (`readout demo`). Nothing is audited.
                """
        )

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

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        func run() async throws {
            let semantic = try options.semanticDirectory()
            let path = questions.map { URL(fileURLWithPath: $0) } ?? semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/eval/questions.yaml")
            let items: [Evaluation.Item]
            do { items = try Evaluation.load(path) } catch { throw ValidationError("\(error)") }
            _ = try options.openExisting(mode: .readOnly)
            let gateway = try options.gateway(governance, audited: false)
            let result = await gateway.evaluate(items, planner: planner, role: RoleName(governance.resolvedRole))
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
    }
}
