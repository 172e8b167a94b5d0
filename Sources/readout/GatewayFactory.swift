import ArgumentParser
import Foundation
import Gateway
import Governance
import LLM
import Planner
import PostgresWarehouse
import Semantic
import Warehouse

extension WarehouseOptions {
    /// The gateway over this warehouse, contract and audit log, with the rule planner, the LLM
    /// planner when one is configured, and the stub planner when `READOUT_STUB_PLANS` names a file.
    /// - Parameter workflow: the service side (keys, tracking, the experiment workflow) for `serve`.
    func gateway(_ governance: GovernanceOptions, audited: Bool = true, workflow: Workflow? = nil) throws -> ReadoutGateway {
        let contract = try contract()
        let semantic = try semanticDirectory()
        let intents: IntentCatalog
        do {
            intents = try IntentCatalog.load(semantic.root.appendingPathComponent("planner/intents.yml"))
        } catch {
            throw ValidationError("The planner's intents file is invalid: \(error)")
        }
        var planners: [any QueryPlanner] = [RulePlanner()]
        var polisher: (any ReadoutPolisher)?
        let settings = try Settings.resolve(warehouse: self, governance: governance)
        if let llm = settings.llm {
            do {
                let directory = semantic.root.deletingLastPathComponent().appendingPathComponent("prompts")
                let client = HTTPLLMClient(configuration: llm)
                planners.append(LLMPlanner(client: client, prompts: try PromptLibrary(directory: directory)))
                polisher = try LLMReadoutWriter(client: client, promptDirectory: directory, sharesRows: llm.shareRows)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        // The stub planner (scripted question → SQL pairs, for tests and demos) only when asked for.
        if let stub = settings.stubPlans {
            guard FileManager.default.fileExists(atPath: stub) else {
                throw ValidationError("READOUT_STUB_PLANS names \(stub), which does not exist.")
            }
            do { planners.append(try StubPlanner.load(URL(fileURLWithPath: stub))) } catch { throw ValidationError("\(error)") }
        }
        let executor = try queryRunner(contract, governance: governance)
        let gateway = ReadoutGateway(
            contract: contract,
            guard: try queryGuard(contract, governance: governance),
            executor: executor,
            audit: audited ? try AuditLog(path: governance.auditPath) : nil,
            intents: intents,
            planners: planners,
            workflow: workflow
        )
        gateway.polisher = polisher
        if let configuration = try? ReadoutConfiguration.current() { gateway.analysis = configuration.analysis }
        return gateway
    }

    /// What runs approved SQL on this warehouse: a read-only SQLite connection with the authorizer, or
    /// a PostgreSQL connection that runs each query as the caller's contract role. Nil when there is no
    /// SQLite file yet (every query is then answered "no warehouse").
    func queryRunner(_ contract: SemanticContract, governance: GovernanceOptions) throws -> (any ApprovedQueryRunner)? {
        let configuration = QueryExecutor.Configuration(timeout: .milliseconds(Int(governance.timeout * 1000)), maxRows: governance.maxRows)
        switch try location {
        case .postgres(let url):
            do {
                return try PostgresQueryExecutor(url: url, configuration: configuration)
            } catch let error as ExecutionError {
                throw ValidationError(error.message)
            }
        case .sqlite(let path):
            do {
                return try QueryExecutor(path: path, contract: contract, configuration: configuration)
            } catch let error as ExecutionError where error.code == .unavailable {
                return nil
            }
        }
    }
}
