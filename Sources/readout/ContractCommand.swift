import Semantic
import ArgumentParser
import Foundation
import Governance
import Warehouse

extension Readout {
    /// `readout contract …`: inspect and check the semantic contract.
    struct Contract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect and check the semantic contract (semantic/contract/).",
            subcommands: [Lint.self, Show.self]
        )

        struct Lint: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the contract against the live warehouse and report drift.",
                discussion: """
                    Errors (exit 1): an asset or column the warehouse lacks, a type that does not \
                    match, a row policy that does not run, an empty contract. Warnings: tables and \
                    columns the warehouse has but the contract does not describe (they are denied).
                    """
            )

            @Option(help: "Output format.")
            var format: OutputFormat = .table

            @OptionGroup var options: WarehouseOptions

            func run() async throws {
            _ = try options.sqlitePath(for: "contract lint")
                let contract = try options.contract()
                let connection = try options.openExisting(mode: .readOnly)
                let findings = try ContractLint.run(contract, on: connection)
                let table = ResultTable(
                    columns: ["severity", "asset", "column", "message"],
                    rows: findings.map { [.text($0.severity.rawValue), .text($0.asset), $0.column.map { .text($0) } ?? .null, .text($0.message)] }
                )
                if format == .table {
                    let errors = findings.filter { $0.severity == .error }.count
                    if findings.isEmpty {
                        print("The contract matches the warehouse: \(contract.assets.count) assets, \(contract.roles.count) roles.")
                    } else {
                        print(table.aligned())
                        print("\(errors) error(s), \(findings.count - errors) warning(s).")
                    }
                } else {
                    print(table.rendered(as: format), terminator: "")
                }
                if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the assets and columns a role may read.")

            @OptionGroup var governance: GovernanceOptions
            @OptionGroup var options: WarehouseOptions

            @Option(help: "Output format.")
            var format: OutputFormat = .table

            func run() async throws {
                let contract = try options.contract()
                let role = governance.resolvedRole
                var rows: [[DatabaseValue]] = []
                for asset in contract.readableAssets(for: role) {
                    for column in asset.readableColumns {
                        rows.append([.text(asset.name), .text(column.name), .text(column.type), .text(column.description)])
                    }
                }
                if rows.isEmpty { Terminal.printError("The \(role) role may read nothing.") }
                print(ResultTable(columns: ["asset", "column", "type", "description"], rows: rows).rendered(as: format), terminator: "")
            }
        }
    }
}
