import Planner
import Semantic
import ArgumentParser
import CLibEdit
import Foundation
import Gateway
import Governance
import Warehouse

extension Readout {
    /// `readout repl`: the analyst's prompt.
    struct Repl: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repl",
            abstract: "An interactive prompt: questions in English or SQL, answered through the guard.",
            discussion: """
                Type a question ("what is the lift on checkout button?") or SQL (it goes through \
                the guard too). On a terminal you get line editing and history (~/.readout_history); \
                with piped input, lines are read as they come, so scripts work. \\help lists the \
                meta-commands.
                """
        )

        @Option(help: "auto, rule, stub or llm.")
        var planner: PlannerChoice = .auto

        @Option(help: "table, json, csv or markdown.")
        var format: AskFormat = .table

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        func run() async throws {
            let gateway = try options.gateway(governance)
            var session = ReplSession(gateway: gateway, role: governance.resolvedRole, principal: governance.principal, planner: planner, format: format)
            let input = LineInput()
            if input.interactive {
                print("Readout — ask about experiments, or type SQL. \\help for commands, \\quit to leave. Role: \(session.role).")
            }
            while let line = input.next(prompt: "readout> ") {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                input.remember(text)
                if await !session.handle(text) { break }
            }
            input.save()
        }
    }
}

/// Reads lines: libedit with history on a terminal, plain `readLine()` otherwise.
final class LineInput {
    let interactive: Bool
    private let historyPath: String

    init() {
        interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        historyPath = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.readout_history"
        if interactive {
            using_history()
            read_history(historyPath)
        }
    }

    func next(prompt: String) -> String? {
        guard interactive else { return readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    func remember(_ line: String) {
        if interactive { add_history(line) }
    }

    func save() {
        if interactive {
            write_history(historyPath)
            stifle_history(1000)
        }
    }
}

/// The REPL's state and commands, separate from terminal handling.
struct ReplSession {
    let gateway: ReadoutGateway
    var role: String
    let principal: String
    var planner: PlannerChoice
    var format: AskFormat
    var showSQL = true
    var last: Answer?
    var history: [String] = []

    static let help = """
        Ask a question in plain English, or type SQL (it is checked by the guard like everything else).
          \\help              this list
          \\assets            the assets your role may query
          \\describe ASSET    columns of one asset
          \\sql               show or hide the SQL of each answer (now: on)
          \\why               the last guard decision in full
          \\format FORMAT     table, json, csv or markdown
          \\planner NAME      auto, rule, stub or llm
          \\history           questions asked in this session
          \\quit              leave (also \\q or Ctrl-D)
        """

    static let sqlStarts: Set<String> = ["select", "with", "values", "insert", "update", "delete", "replace", "create", "drop", "alter", "attach", "detach", "pragma", "vacuum", "explain", "begin", "commit", "rollback", "analyze", "reindex", "savepoint", "release"]

    /// Handles one line; false to leave.
    mutating func handle(_ line: String) async -> Bool {
        if line.hasPrefix("\\") { return command(line) }
        history.append(line)
        let first = line.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" }).first.map { $0.lowercased() } ?? ""
        let answer: Answer
        if Self.sqlStarts.contains(first) {
            answer = gateway.runSQL(line, caller: Caller(principal: principal, role: RoleName(role), channel: .repl))
        } else {
            answer = await gateway.ask(line, caller: Caller(principal: principal, role: RoleName(role), channel: .repl), planner: planner)
        }
        last = answer
        print(AnswerRenderer.render(answer, format: format, showSQL: showSQL), terminator: "")
        return true
    }

    mutating func command(_ line: String) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case "\\q", "\\quit", "\\exit":
            return false
        case "\\help", "\\h", "\\?":
            print(Self.help.replacingOccurrences(of: "(now: on)", with: "(now: \(showSQL ? "on" : "off"))"))
        case "\\assets":
            let assets = gateway.contract.readableAssets(for: role)
            if assets.isEmpty { print("The \(role) role may read no assets.") }
            for asset in assets { print("\(asset.name) — \(asset.description)") }
        case "\\describe", "\\d":
            guard let asset = gateway.contract.readableAssets(for: role).first(where: { $0.name == argument.lowercased() }) else {
                print("No asset \(argument) for the \(role) role; \\assets lists them.")
                break
            }
            print("\(asset.name) (grain: \(asset.grain); key: \(asset.primaryKey.joined(separator: ", ")); owner: \(asset.owner))")
            print(asset.description)
            for column in asset.readableColumns { print("  \(column.name) \(column.type) — \(column.description)") }
        case "\\sql":
            showSQL.toggle()
            print("SQL display \(showSQL ? "on" : "off").")
        case "\\why":
            guard let last else { print("Nothing asked yet."); break }
            print("decision: \(last.outcome.rawValue)  planner: \(last.planner)\(last.fallback.map { " (fallback: \($0))" } ?? "")  audit entry: \(last.auditId.map(String.init) ?? "-")")
            print("tables: \(last.tables.joined(separator: ", "))")
            if let sql = last.sql { print("sql received: \(sql)") }
            if let executed = last.sqlExecuted { print("sql executed: \(executed)") }
            if last.reasons.isEmpty { print("reasons: none (approved)") }
            for reason in last.reasons { print("reason: \(reason.code.rawValue): \(reason.message)") }
        case "\\format":
            guard let value = AskFormat(rawValue: argument) else { print("Formats: table, json, csv, markdown."); break }
            format = value
            print("Format: \(value.rawValue).")
        case "\\planner":
            let choices = [PlannerChoice.auto] + gateway.availablePlanners
            guard let choice = PlannerChoice(rawValue: argument), choices.contains(choice) else {
                print("Planners: \(choices.map(\.rawValue).joined(separator: ", ")).")
                break
            }
            planner = choice
            print("Planner: \(choice.rawValue).")
        case "\\history":
            for (index, entry) in history.enumerated() { print("\(index + 1)  \(entry)") }
        default:
            print("Unknown command \(parts[0]); \\help lists them.")
        }
        return true
    }
}
