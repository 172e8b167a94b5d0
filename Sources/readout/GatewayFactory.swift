import ArgumentParser
import Foundation
import Gateway
import Governance
import LLM
import Planner
import Warehouse

extension WarehouseOptions {
    /// The gateway over this warehouse, contract and audit log, with the rule planner and (when
    /// `fixtures/planner/stub.yaml` exists) the stub planner.
    func gateway(_ governance: GovernanceOptions, audited: Bool = true) throws -> Gateway {
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
        if let llm = try ReadoutConfiguration.current().llmConfiguration() {
            do {
                let directory = semantic.root.deletingLastPathComponent().appendingPathComponent("prompts")
                let client = HTTPLLMClient(configuration: llm)
                planners.append(LLMPlanner(client: client, prompts: try PromptLibrary(directory: directory)))
                polisher = try LLMReadoutWriter(client: client, promptDirectory: directory, sharesRows: llm.shareRows)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let stub = semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/planner/stub.yaml")
        if FileManager.default.fileExists(atPath: stub.path) {
            do { planners.append(try StubPlanner.load(stub)) } catch { throw ValidationError("\(error)") }
        }
        let executor: QueryExecutor?
        do {
            executor = try QueryExecutor(
                path: databasePath, contract: contract,
                configuration: QueryExecutor.Configuration(timeout: .milliseconds(Int(governance.timeout * 1000)), maxRows: governance.maxRows)
            )
        } catch let error as ExecutionError where error.code == .unavailable {
            executor = nil
        }
        let gateway = Gateway(
            contract: contract,
            guard: try queryGuard(contract, governance: governance),
            executor: executor,
            audit: audited ? try AuditLog(path: governance.auditPath) : nil,
            intents: intents,
            planners: planners
        )
        gateway.polisher = polisher
        return gateway
    }
}
