import Semantic
import ArgumentParser
import Foundation
import Gateway
import Governance
import Planner
import SQLParser
import Warehouse

extension ReadoutBench {
    /// `ask` latency with the rule planner, in process, on a demo warehouse.
    struct Ask: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "ask latency (plan, guard, execute, readout) over the evaluation questions, in process.",
            discussion: "Audit is off so the figure is the gateway itself; the audit append (fsync) is measured separately."
        )

        @Option(help: "The warehouse (a demo built with `readout demo`).")
        var db: String = "./readout.db"

        @Option(help: "Passes over the question set.")
        var rounds = 20

        func run() async throws {
            let (gateway, semantic) = try benchGateway(db: db)
            let root = semantic.root.deletingLastPathComponent()
            let questions = try Evaluation.load(root.appendingPathComponent("fixtures/eval/questions.yaml")).map(\.question)
            for question in questions { _ = await gateway.ask(question, caller: Caller(principal: "bench", role: RoleName("analyst"), channel: .cli)) }
            var samples: [Double] = []
            let started = ContinuousClock.now
            for _ in 0..<rounds {
                for question in questions {
                    let answer = await gateway.ask(question, caller: Caller(principal: "bench", role: RoleName("analyst"), channel: .cli))
                    samples.append(answer.timings.totalMilliseconds)
                }
            }
            let elapsed = ContinuousClock.now - started
            samples.sort()
            print(String(format: "ask (rule planner, %d questions × %d rounds, %@): p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f answers/s",
                         questions.count, rounds, db, samples[samples.count / 2], samples[samples.count * 99 / 100], samples.last ?? 0,
                         Double(samples.count) / elapsed.inSeconds))
            let auditPath = FileManager.default.temporaryDirectory.appendingPathComponent("readout-bench-audit-\(getpid()).db").path
            defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: auditPath + suffix) } }
            let log = try AuditLog(path: auditPath)
            var appends: [Double] = []
            for _ in 0..<200 {
                let start = ContinuousClock.now
                try log.append(AuditEntry(principal: "bench", role: "analyst", channel: .cli, sqlReceived: "SELECT 1", decision: "approved"))
                let d = ContinuousClock.now - start
                appends.append(d.inMilliseconds)
            }
            appends.sort()
            print(String(format: "audit append (synchronous = FULL): p50 %.2f ms, p99 %.2f ms", appends[100], appends[198]))
        }
    }
}

/// The gateway a benchmark measures: the demo warehouse, the checkout's semantic folder, the rule
/// planner, no audit log (appends are measured on their own); with the service side when `workflow`.
func benchGateway(db: String, workflow: Bool = false) throws -> (ReadoutGateway, SemanticDirectory) {
    let semantic = try SemanticDirectory.locate(explicit: nil)
    let contract = try ContractLoader.load(directory: semantic.root.appendingPathComponent("contract"))
    let connection = try Connection(path: db, mode: .readOnly)
    let gateway = ReadoutGateway(
        contract: contract,
        guard: QueryGuard(contract: contract, catalog: try SchemaCatalog.from(contract, warehouse: connection)),
        executor: try QueryExecutor(path: db, contract: contract),
        audit: nil,
        intents: try IntentCatalog.load(semantic.root.appendingPathComponent("planner/intents.yml")),
        workflow: workflow ? try Workflow(warehousePath: db) : nil
    )
    return (gateway, semantic)
}
