import ArgumentParser
import Foundation
import Warehouse

extension Readout {
    /// `readout check`: run the data contracts declared next to the models.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the data checks (unique, not_null, accepted_values, relationships, timing).",
            discussion: """
                Checks are declared in semantic/models/*.yml, plus a uniqueness check on every \
                model's grain. Each check lists pass or fail and up to five failing rows. Exits \
                with status 1 when any check fails.
                """
        )

        @OptionGroup var options: WarehouseOptions

        @Option(help: "Output format.")
        var format: OutputFormat = .table

        @Flag(help: "List only failing checks.")
        var failuresOnly = false

        func run() async throws {
            let checks = try options.semanticDirectory().dataChecks()
            let connection = try options.openSession(mode: .readOnly)
            let results = DataCheckRunner().run(checks, on: connection)
            let shown = failuresOnly ? results.filter { $0.status != .pass } : results
            let failed = results.filter { $0.status != .pass }

            switch format {
            case .table:
                for result in shown {
                    let mark = result.status == .pass ? "PASS" : result.status == .fail ? "FAIL" : "ERROR"
                    print("\(mark)  \(result.check.name)\(result.status == .fail ? "  — \(result.failures) failing" : "")")
                    if let error = result.error { print("      \(error)") }
                    if !result.sample.isEmpty {
                        print("      declared at \(result.check.origin)")
                        print(ResultTable(result.sample).aligned(maxCellWidth: 40).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
                    }
                }
                print("\n\(results.count - failed.count) passed, \(failed.count) failed")
            case .json:
                let objects = shown.map { result in
                    JSON.object([
                        ("check", JSON.string(result.check.name)),
                        ("table", JSON.string(result.check.table)),
                        ("status", JSON.string(result.status.rawValue)),
                        ("failures", String(result.failures)),
                        ("origin", JSON.string(result.check.origin)),
                        ("error", result.error.map(JSON.string) ?? "null"),
                        ("sample", JSON.array(result.sample.map { row in JSON.object(zip(row.columns, row.values.map(JSON.value))) })),
                    ])
                }
                print(JSON.array(objects))
            case .csv:
                let table = ResultTable(
                    columns: ["check", "table", "status", "failures", "origin", "error"],
                    rows: shown.map { [.text($0.check.name), .text($0.check.table), .text($0.status.rawValue), .integer(Int64($0.failures)), .text($0.check.origin), $0.error.map(DatabaseValue.text) ?? .null] }
                )
                print(table.rendered(as: .csv), terminator: "")
            }
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }
}
