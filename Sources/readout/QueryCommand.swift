import ArgumentParser
import Foundation
import Governance
import Warehouse

extension Readout {
    /// `readout query`: guard, run and audit one SQL query.
    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one SQL query through the guard, on a read-only connection, and audit it.",
            discussion: """
                The query must be a single SELECT over the assets your role may read (see \
                `readout guard` for the reasons when it is not). It runs under a time limit and a \
                row cap; every attempt, approved or blocked, is written to the audit log. \
                Exit status: 0 ran, 3 blocked by the guard, 1 failed while running.
                """
        )

        @Option(help: "The SQL to run.")
        var sql: String

        @Option(help: "Output format.")
        var format: OutputFormat = .table

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        func run() async throws {
            let contract = try options.contract()
            let queryGuard = try options.queryGuard(contract, governance: governance)
            let executor = try options.queryRunner(contract, governance: governance)
            let audit = try AuditLog(path: governance.auditPath)
            let outcome = try GovernedQuery(guard: queryGuard, executor: executor, audit: audit)
                .run(sql, caller: governance.caller())
            guard outcome.decision.isApproved else {
                Terminal.printError("Blocked by the guard (audit entry \(outcome.audit?.id ?? 0)):")
                for reason in outcome.decision.reasons {
                    Terminal.printError("  \(reason.code.rawValue): \(reason.message)")
                }
                throw ExitCode(3)
            }
            if let error = outcome.error {
                Terminal.printError("\(error.code.rawValue): \(error.message)")
                throw ExitCode(error.code == .authorizerDenied ? 3 : 1)
            }
            guard let result = outcome.result else { return }
            print(ResultTable(columns: result.columns, rows: result.rows).rendered(as: format), terminator: "")
            if result.truncated {
                Terminal.printError("Showing the first \(result.rows.count) rows (the row cap); add a LIMIT or aggregate to see less.")
            }
        }
    }
}
