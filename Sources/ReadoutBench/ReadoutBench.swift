import Semantic
import Analysis
import ArgumentParser
import Foundation
import Warehouse

/// The entry point is synchronous: an `async` main hands the main thread to libdispatch
/// (`dispatch_main`), under which Valgrind 3.19 crashes, and `guard` is measured in instructions
/// with Callgrind. Subcommands that are `async` run on a task while the main thread waits.
@main
enum ReadoutBenchMain {
    static func main() {
        do {
            var command = try ReadoutBench.parseAsRoot()
            if let asynchronous = command as? any AsyncParsableCommand {
                let outcome = Locked<(any Error)?>(nil)
                let done = DispatchSemaphore(value: 0)
                let box = SendableCommand(command: asynchronous)
                Task.detached {
                    var command = box.command
                    do { try await command.run() } catch { outcome.value = error }
                    done.signal()
                }
                done.wait()
                if let error = outcome.value { ReadoutBench.exit(withError: error) }
            } else {
                try command.run()
            }
        } catch {
            ReadoutBench.exit(withError: error)
        }
    }
}

private struct SendableCommand: @unchecked Sendable { var command: any AsyncParsableCommand }

/// Benchmarks for docs/benchmarks.md. Run in release: `swift run -c release readout-bench …`.
struct ReadoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readout-bench",
        abstract: "Measure Readout against its physical references (release builds only).",
        subcommands: [Ingest.self, Demo.self, Analyze.self, Guard.self, Ask.self, Page.self, GuardFile.self, Track.self, Incremental.self, Serve.self]
    )
}

/// Wall-clock seconds taken by `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

extension ReadoutBench {
    /// Raw event insertion through EventWriter vs `sqlite3 .import` of the same rows as CSV.
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Insert N events through EventWriter and through the sqlite3 shell's .import; compare rows/s.")

        @Option(help: "How many events to insert.")
        var rows = 1_000_000

        @Option(help: "Scratch folder (files are deleted afterwards).")
        var scratch = FileManager.default.temporaryDirectory.appendingPathComponent("readout-bench").path

        @Option(help: "Path of the sqlite3 shell.")
        var sqlite3 = "/usr/bin/sqlite3"

        @Option(help: "Semantic folder (for the schema).")
        var semantic = "semantic"

        func run() throws {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let migrations = try SemanticDirectory(root: URL(fileURLWithPath: semantic)).migrations()
            let events = (0..<rows).map { index -> Event in
                let unit = "u_\(index % 250_000)"
                return Event(
                    name: "page_load", unitID: unit, experimentID: "exp_recs_model_v2", variationID: index % 2 == 0 ? "control" : "treatment",
                    value: Double(100 + index % 97) + 0.5, occurredAt: Timestamp.format(1_790_812_800 + Int64(index)), props: "{\"platform\":\"web\"}"
                )
            }

            // Readout: one transaction, prepared statement, typed binds.
            let ours = scratch + "/ours.db"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ours + suffix) }
            let connection = try Connection(path: ours)
            try Migrator(migrations: migrations).migrate(connection)
            let writer = try EventWriter(connection: connection)
            let oursSeconds = try measure {
                try connection.transaction {
                    for event in events { try writer.append(event) }
                }
            }
            let oursCount = try connection.scalar("SELECT count(*) FROM fct_events").int64 ?? 0

            // sqlite3 shell: same schema and journal mode, CSV import of the same rows.
            let csvPath = scratch + "/events.csv"
            var csv = "event_id,event_name,unit_id,experiment_id,variation_id,value,occurred_at,props\n"
            csv.reserveCapacity(rows * 110)
            for (index, event) in events.enumerated() {
                csv += "\(index + 1),\(event.name),\(event.unitID),\(event.experimentID ?? ""),\(event.variationID ?? ""),\(event.value ?? 0),\(event.occurredAt),\"{\"\"platform\"\":\"\"web\"\"}\"\n"
            }
            try csv.write(toFile: csvPath, atomically: false, encoding: .utf8)
            let theirs = scratch + "/sqlite3.db"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: theirs + suffix) }
            let schema = scratch + "/schema.sql"
            try ("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n" + migrations.map(\.sql).joined(separator: "\n")).write(toFile: schema, atomically: false, encoding: .utf8)
            try runToEnd(sqlite3, [theirs, ".read \(schema)"])
            let log = scratch + "/sqlite3.log"
            let theirsSeconds = try timedRun(sqlite3, [theirs, "PRAGMA synchronous = NORMAL;", ".import --csv --skip 1 \(csvPath) fct_events"], log: log)
            let theirsCount = try Connection(path: theirs, mode: .readOnly).scalar("SELECT count(*) FROM fct_events").int64 ?? 0

            let oursRate = Double(oursCount) / oursSeconds, theirsRate = Double(theirsCount) / theirsSeconds
            print("rows: \(rows)")
            print(String(format: "readout EventWriter : %8.3f s  %12.0f rows/s  (%lld rows)", oursSeconds, oursRate, oursCount))
            print(String(format: "sqlite3 .import csv : %8.3f s  %12.0f rows/s  (%lld rows)", theirsSeconds, theirsRate, theirsCount))
            print(String(format: "ratio (readout / sqlite3): %.2f", oursRate / theirsRate))
            for path in [ours, theirs, csvPath, schema, log] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
    }

    /// `readout demo` with a per-phase breakdown, row counts and file size.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build a demo warehouse and report time per phase, rows per table and size.")

        @Option(help: "How many users.")
        var users = 1_000_000

        @Option(help: "Where to write the warehouse (replaced).")
        var db = FileManager.default.temporaryDirectory.appendingPathComponent("readout-bench-demo.db").path

        @Option(help: "Semantic folder.")
        var semantic = "semantic"

        func run() throws {
            var generationSeconds = 0.0
            var generationStart: Double?
            var models: [ModelRunReport] = []
            let started = DispatchTime.now().uptimeNanoseconds
            func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
            let total = try measure {
                _ = try DemoWarehouse.create(at: db, configuration: DemoConfiguration(users: users), build: .analysed(SemanticDirectory(root: URL(fileURLWithPath: semantic)))) { phase in
                    switch phase {
                    case .generating(let done, let all):
                        if generationStart == nil { generationStart = now() }
                        if done == all { generationSeconds = now() }
                    case .building(let report): models.append(report)
                    }
                }
            }
            print(String(format: "users: %d  total: %.2f s  (generation %.2f s, models %.2f s, rest %.2f s)",
                         users, total, generationSeconds, models.map(\.seconds).reduce(0, +), total - generationSeconds - models.map(\.seconds).reduce(0, +)))
            for model in models { print(String(format: "  %-45@ %10d rows %7.2f s", model.model as NSString, model.rows, model.seconds)) }
            let connection = try Connection(path: db, mode: .readOnly)
            for table in ["users", "experiments", "experiment_variants", "metrics", "experiment_decisions", "fct_experiment_assignments", "fct_events"] {
                print(String(format: "  %-45@ %10lld rows", table as NSString, try connection.scalar("SELECT count(*) FROM \(table)").int64 ?? 0))
            }
            print(String(format: "database size: %.1f MB", Double(fileSize(db)) / 1_048_576))
        }
    }
}
