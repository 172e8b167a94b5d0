import ArgumentParser
import Foundation
import Governance
import Warehouse

extension Readout {
    /// `readout audit …`: read and verify the audit log.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read, verify and export the tamper-evident audit log.",
            subcommands: [List.self, Show.self, Head.self, Verify.self, Export.self]
        )

        struct LogOption: ParsableArguments {
            @Option(name: .customLong("audit-db"), help: ArgumentHelp("Audit log file (default: $READOUT_AUDIT_DB, else readout.yaml's audit, else ./readout-audit.db).", valueName: "path"))
            var auditDB: String?

            func open() throws -> AuditLog {
                let path = try Settings.resolve(db: nil, semantic: nil, auditDB: auditDB, role: nil, maxRows: nil, timeout: nil).audit.value
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ValidationError("No audit log at \(path). It is created by the first `readout query`; pass --audit-db to read another.")
                }
                return try AuditLog(path: path)
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List audit entries, oldest first.")
            @OptionGroup var log: LogOption
            @Flag(help: "Only blocked requests.") var blocked = false
            @Option(help: "Only entries at or after this time (ISO 8601, e.g. 2026-11-23 or 2026-11-23T10:00:00Z).") var since: String?
            @Option(help: "Only this principal.") var principal: String?
            @Option(help: "Only entries with this reason code, e.g. table_not_allowed.") var code: String?
            @Option(help: "At most this many entries.") var limit: Int?
            @Option(help: "Output format.") var format: OutputFormat = .table

            func run() async throws {
                let normalisedSince = try since.map { text -> String in
                    guard let value = AuditFilter.since(text) else {
                        throw ValidationError("--since takes a date or time, e.g. 2026-11-23 or 2026-11-23T10:00:00Z (got \(text)).")
                    }
                    return value
                }
                let entries = try log.open().entries(AuditFilter(blockedOnly: blocked, since: normalisedSince, principal: principal, code: code, limit: limit))
                if format == .json {
                    print(GuardJSON.encode(entries))
                    return
                }
                let rows: [[DatabaseValue]] = entries.map { entry in
                    [.integer(entry.id), .text(entry.timestamp), .text(entry.principal), .text(entry.role), .text(entry.channel.rawValue),
                     .text(entry.decision.rawValue), .text(entry.reasonCodes.joined(separator: ",")), .text(entry.tables.joined(separator: ",")),
                     entry.rowCount.map { .integer($0) } ?? .null, .text(Self.short(entry.sqlReceived ?? entry.question ?? ""))]
                }
                print(ResultTable(columns: ["id", "timestamp", "principal", "role", "channel", "decision", "codes", "tables", "rows", "sql"], rows: rows).rendered(as: format), terminator: "")
            }

            static func short(_ text: String) -> String {
                let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
                return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one audit entry in full (JSON).")
            @OptionGroup var log: LogOption
            @Argument(help: "The entry id.") var id: Int64

            func run() async throws {
                guard let entry = try log.open().entry(id: id) else {
                    throw ValidationError("No audit entry \(id); `readout audit list` shows the ids.")
                }
                print(GuardJSON.encode(entry, pretty: true))
            }
        }

        struct Head: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the newest entry's sequence number and hash, N:HASH.",
                discussion: """
                    Keep the head somewhere the machine cannot rewrite (a ticket, a monitor, another \
                    host); later, `readout audit verify --expect-head N:HASH` fails if the log no longer \
                    reaches it, e.g. because its newest entries were removed.
                    """
            )
            @OptionGroup var log: LogOption
            @Option(help: "table or csv (print N:HASH), or json ({\"id\", \"hash\"}, null for an empty log).") var format: OutputFormat = .table

            func run() async throws {
                let head = try log.open().head()
                if format == .json {
                    print(GuardJSON.encode(head))
                } else if let head {
                    print(head)
                } else {
                    Terminal.printError("The audit log is empty: there is no head yet.")
                    throw ExitCode(1)
                }
            }
        }

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Walk the hash chain; exit 1 and name the first broken entry if the log was altered."
            )
            @OptionGroup var log: LogOption
            @Option(help: "table or json.") var format: OutputFormat = .table
            @Option(name: .customLong("expect-head"), help: ArgumentHelp("Also fail unless the log still reaches this head (from `readout audit head`): catches removed newest entries.", valueName: "N:HASH"))
            var expectHead: String?

            func validate() throws {
                if let expectHead, AuditHead(expectHead) == nil {
                    throw ValidationError("--expect-head takes N:HASH as `readout audit head` prints it: a sequence number, a colon and 64 hex digits (got \(expectHead)).")
                }
            }

            func run() async throws {
                let result = try log.open().verify(expectedHead: expectHead.flatMap(AuditHead.init))
                if format == .json {
                    print(GuardJSON.encode(result))
                } else if result.ok {
                    print("OK: \(result.entries) entries, chain intact\(expectHead == nil ? "" : ", reaches the expected head"). Head \(result.head.map(\.description) ?? "none (empty log)").")
                } else {
                    print("BROKEN: \(result.problem ?? "") Entries checked: \(result.entries).")
                }
                if !result.ok { throw ExitCode(1) }
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Export every entry as JSON lines or CSV, hashes included.")
            @OptionGroup var log: LogOption
            @Option(help: "jsonl or csv.") var format: ExportFormat = .jsonl
            @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

            enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

            func run() async throws {
                let entries = try log.open().entries()
                var text = ""
                switch format {
                case .jsonl:
                    text = entries.map { GuardJSON.encode($0) + "\n" }.joined()
                case .csv:
                    let columns = ["id", "timestamp", "principal", "role", "channel", "question", "planner", "sql_received", "sql_executed", "decision", "reason_codes", "reason_messages", "tables", "duration_microseconds", "row_count", "error", "prev_hash", "hash"]
                    let rows: [[DatabaseValue]] = entries.map { e in
                        [.integer(e.id), .text(e.timestamp), .text(e.principal), .text(e.role), .text(e.channel.rawValue),
                         e.question.map { .text($0) } ?? .null, e.planner.map { .text($0) } ?? .null,
                         e.sqlReceived.map { .text($0) } ?? .null, e.sqlExecuted.map { .text($0) } ?? .null, .text(e.decision.rawValue),
                         .text(e.reasonCodes.joined(separator: ";")), .text(e.reasonMessages.joined(separator: " | ")),
                         .text(e.tables.joined(separator: ";")), .integer(e.durationMicroseconds), e.rowCount.map { .integer($0) } ?? .null,
                         e.error.map { .text($0) } ?? .null, .text(e.previousHash), .text(e.hash)]
                    }
                    text = ResultTable(columns: columns, rows: rows).rendered(as: .csv)
                }
                if let output {
                    let partial = output + ".partial"
                    try Data(text.utf8).write(to: URL(fileURLWithPath: partial))
                    _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: output), withItemAt: URL(fileURLWithPath: partial))
                    Terminal.printError("Wrote \(entries.count) entries to \(output).")
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }
}
