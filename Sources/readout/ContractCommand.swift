import Semantic
import ArgumentParser
import Foundation
import Governance
import PostgresWarehouse
import Warehouse

extension Readout {
    /// `readout contract …`: inspect and check the semantic contract.
    struct Contract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect and check the semantic contract (semantic/contract/).",
            subcommands: [Lint.self, Show.self, Apply.self]
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
                let contract = try options.contract()
                let connection = try options.openSession(mode: .readOnly)
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

extension Readout.Contract {
    /// `readout contract apply`: make a PostgreSQL warehouse enforce the contract itself.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a PostgreSQL warehouse enforce the contract: one NOLOGIN role per contract role, column grants, row-level security.",
            discussion: """
                Creates or updates, idempotently, a role readout_<role> for every contract role \
                (readout_analyst, readout_chat, readout_team_growth, …) that may SELECT only its \
                assets' readable columns, sees only the rows its row policies allow, and can write \
                nothing; Readout's login (or --login ROLE) becomes a member so governed queries run \
                as them. `readout demo` and `readout build` re-apply it on PostgreSQL, since a build \
                recreates the tables the grants belong to. See docs/postgresql.md.
                """
        )

        @OptionGroup var options: WarehouseOptions

        @Option(help: "The login role Readout's server connects as, made a member of every readout_ role (default: the connecting user).")
        var login: String?

        func run() async throws {
            guard case .postgres = try options.location else {
                throw ValidationError("`readout contract apply` is for PostgreSQL warehouses (--warehouse postgresql://…); on SQLite the contract is enforced by SQLite's authorizer on every query.")
            }
            guard let session = try options.openSession() as? PostgresSession else { return }
            let summary = try PostgresContract.apply(try options.contract(), on: session, login: login)
            print("Applied the contract to \(session.location): \(summary.roles.count) roles (\(summary.roles.joined(separator: ", "))), \(summary.grants) table grants, \(summary.policies) row-level security policies.")
        }
    }
}
