import ArgumentParser
import Foundation
import Governance

extension Readout {
    /// `readout guard`: the guard's verdict on SQL, without running it.
    struct Guard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "guard",
            abstract: "Check SQL against the semantic contract without running it.",
            discussion: """
                Prints the decision, the physical tables and columns the query reads, the \
                functions it calls, every reason for a refusal and the normalised SQL that would \
                run. Exit status: 0 approved, 3 blocked. Works from the contract alone when there \
                is no warehouse file. With --warehouse postgresql://…, the SQL is read as \
                PostgreSQL's (without connecting to the server).

                With --file, every line of the file (split on \\n only, nothing trimmed; an empty \
                line is an empty query) is one query, and one JSON object is printed per line, in \
                order. The exit status is 3 if any line was blocked.
                """
        )

        @Option(help: "The SQL to check.")
        var sql: String?

        @Option(help: ArgumentHelp("Check every line of this file as one query.", valueName: "path"))
        var file: String?

        @Option(help: "json (one object per query) or table.")
        var format: GuardFormat = .json

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        enum GuardFormat: String, ExpressibleByArgument, CaseIterable { case json, table }

        func validate() throws {
            guard (sql == nil) != (file == nil) else { throw ValidationError("Pass exactly one of --sql or --file.") }
        }

        func run() async throws {
            let contract = try options.contract()
            let queryGuard = try options.queryGuard(contract, governance: governance)
            let role = governance.resolvedRole
            var anyBlocked = false
            if let sql {
                let decision = queryGuard.check(sql, role: role)
                anyBlocked = !decision.isApproved
                print(render(decision))
            } else if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("Cannot read \(file); check the path.")
                }
                let lines = data.isEmpty ? [] : data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast(data.last == UInt8(ascii: "\n") ? 1 : 0)
                // Output is streamed: decisions are appended to one buffer, written out every 64 KiB.
                var output = StreamedOutput()
                for line in lines {
                    let decision: GuardDecision
                    if let text = String(validating: line, as: UTF8.self) {
                        decision = queryGuard.check(text, role: role)
                    } else {
                        decision = GuardDecision(decision: .blocked, tables: [], columns: [:], functions: [], reasons: [GuardReason(.syntaxError, "The query is not valid UTF-8 text.")], sql: "")
                    }
                    anyBlocked = anyBlocked || !decision.isApproved
                    switch format {
                    case .json: decision.appendJSON(to: &output.buffer)
                    case .table: output.buffer.append(contentsOf: render(decision).utf8)
                    }
                    output.buffer.append(UInt8(ascii: "\n"))
                    try output.flushIfFull()
                }
                try output.flush()
            }
            if anyBlocked { throw ExitCode(3) }
        }

        func render(_ decision: GuardDecision) -> String {
            switch format {
            case .json:
                return decision.jsonLine
            case .table:
                var lines = ["decision:  \(decision.decision.rawValue)", "tables:    \(decision.tables.joined(separator: ", "))"]
                for table in decision.columns.keys.sorted() {
                    lines.append("columns:   \(table): \(decision.columns[table, default: []].joined(separator: ", "))")
                }
                if !decision.functions.isEmpty { lines.append("functions: \(decision.functions.joined(separator: ", "))") }
                for reason in decision.reasons { lines.append("reason:    \(reason.code.rawValue): \(reason.message)") }
                if let sql = decision.sql { lines.append("sql:       \(sql)") }
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }
}

enum GuardJSON {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Standard output written in large pieces (not a `print` per line).
struct StreamedOutput {
    var buffer: [UInt8] = []
    static let threshold = 64 << 10

    init() {
        buffer.reserveCapacity(Self.threshold + 4096)
    }

    mutating func flushIfFull() throws {
        if buffer.count >= Self.threshold { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try FileHandle.standardOutput.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
