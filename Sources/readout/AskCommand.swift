import Planner
import ArgumentParser
import Foundation
import Gateway
import Governance
import Warehouse

extension Readout {
    /// `readout ask`: a question in plain English → SQL → guard → rows → readout.
    struct Ask: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a question in plain English; get the SQL, the rows and a short readout.",
            discussion: """
                The planner turns the question into SQL (auto: the LLM when configured, else the \
                deterministic rule planner); the SQL goes through the guard and runs read-only; \
                the readout is written from the rows. Every question is audited. \
                Exit status: 0 answered, 3 blocked by the guard, 4 not understood, 1 failed.
                """
        )

        @Argument(help: "The question, e.g. \"what is the lift on checkout button?\"")
        var question: String

        @Option(help: "auto (the LLM when configured, else rule), rule, stub or llm.")
        var planner: PlannerChoice = .auto

        @Option(help: "table, json, csv or markdown.")
        var format: AskFormat = .table

        @Flag(name: .customLong("show-sql"), help: "Print the SQL that ran.")
        var showSQL = false

        @Flag(name: .customLong("llm-readout"), help: "Let the configured LLM word the readout; kept only if every number in it is grounded in the result.")
        var llmReadout = false

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        func run() async throws {
            let gateway = try options.gateway(governance)
            if planner == .llm, try Settings.resolve(warehouse: options, governance: governance).llm == nil {
                Terminal.printError("--planner llm needs an LLM: set llm.provider and llm.model in readout.yaml, or READOUT_LLM_PROVIDER and READOUT_LLM_MODEL (see README, \"LLM\").")
                throw ExitCode(2)
            }
            let answer = await gateway.ask(question, caller: governance.caller(), planner: planner, llmReadout: llmReadout)
            if let fallback = answer.fallback {
                Terminal.printError("note: the LLM planner failed (\(fallback)); the rule planner answered.")
            }
            print(AnswerRenderer.render(answer, format: format, showSQL: showSQL), terminator: "")
            switch answer.outcome {
            case .approved: return
            case .blocked: throw ExitCode(3)
            case .notPlanned: throw ExitCode(4)
            case .error, .auditUnavailable, .busy: throw ExitCode(1)
            }
        }
    }
}

enum AskFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown
}

/// Prints an ``Answer`` for people (table, markdown) or programs (json, csv).
enum AnswerRenderer {
    static func render(_ answer: Answer, format: AskFormat, showSQL: Bool, maxRows: Int = 20) -> String {
        let table = ResultTable(columns: answer.columns, rows: answer.rows.map { $0.map(value) })
        switch format {
        case .json:
            return GuardJSON.encode(answer) + "\n"
        case .csv:
            return table.rendered(as: .csv)
        case .markdown:
            var out = answer.readout + "\n\n"
            if !answer.columns.isEmpty {
                out += "| " + answer.columns.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: answer.columns.count) + "\n"
                for row in answer.rows.prefix(maxRows) {
                    out += "| " + row.map { ResultTable.display(value($0)).replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
                }
                if answer.rows.count > maxRows { out += "\n… \(answer.rows.count - maxRows) more rows\n" }
            }
            if showSQL, let sql = answer.sqlExecuted ?? answer.sql { out += "\n```sql\n\(sql)\n```\n" }
            return out
        case .table:
            var out = ""
            if showSQL, let sql = answer.sqlExecuted ?? answer.sql { out += "SQL (\(answer.planner)): \(sql)\n\n" }
            if !answer.columns.isEmpty {
                let shown = ResultTable(columns: table.columns, rows: Array(table.rows.prefix(maxRows)))
                out += shown.aligned()
                if answer.rows.count > maxRows { out += "… \(answer.rows.count - maxRows) more rows (use --format csv for all)\n" }
                out += "\n"
            }
            out += answer.readout + "\n"
            if let note = answer.readoutNote { out += "(\(note))\n" }
            for reason in answer.reasons { out += "  \(reason.code.rawValue): \(reason.message)\n" }
            if !answer.suggestions.isEmpty {
                out += "Try:\n" + answer.suggestions.prefix(6).map { "  - \($0)\n" }.joined()
            }
            return out
        }
    }

    static func value(_ cell: Cell) -> DatabaseValue {
        switch cell {
        case .null: .null
        case .integer(let n): .integer(n)
        case .real(let x): .real(x)
        case .text(let t): .text(t)
        }
    }
}
