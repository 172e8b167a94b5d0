import Semantic
import ArgumentParser
import Foundation
import Governance
import SQLParser
import Warehouse

/// Options of the commands that guard and run SQL: the role, the limits and the audit log.
struct GovernanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Role whose permissions apply (default: $READOUT_ROLE, else analyst).", valueName: "role"))
    var role: String?

    @Option(name: .customLong("audit-db"), help: ArgumentHelp("Audit log file (default: $READOUT_AUDIT_DB, else readout.yaml's audit, else ./readout-audit.db).", valueName: "path"))
    var auditDB: String?

    @Option(name: .customLong("max-rows"), help: "Most rows a query may return; a larger or missing LIMIT is clamped (default 1000).")
    var maxRowsOption: Int?

    @Option(name: .customLong("timeout"), help: "Seconds a query may run before it is stopped (default 2).")
    var timeoutOption: Double?

    /// The settings these flags resolve to (see ``Settings``); `validate()` has already checked them.
    private var settings: Settings {
        do { return try Settings.resolve(warehouse: nil, governance: self) } catch { fatalError("validated in validate(): \(error)") }
    }

    var maxRows: Int { settings.maxRows.value }
    var timeout: Double { settings.timeout.value }
    var resolvedRole: String { settings.role.value }
    var auditPath: String { settings.audit.value }
    var principal: String { settings.principal }

    /// Who is asking from this command line, through `channel`.
    func caller(_ channel: AuditEntry.Channel = .cli) -> Caller {
        let settings = self.settings
        return Caller(principal: settings.principal, role: RoleName(settings.role.value), channel: channel)
    }

    func validate() throws {
        let settings = try Settings.resolve(warehouse: nil, governance: self)
        guard settings.maxRows.value > 0 else { throw ValidationError("--max-rows must be at least 1 (\(settings.maxRows.source)).") }
        guard settings.timeout.value > 0, settings.timeout.value <= 3600 else {
            throw ValidationError("--timeout is in seconds, between 0 and 3600 (\(settings.timeout.source)).")
        }
    }
}

extension WarehouseOptions {
    /// The semantic contract under `semantic/contract/` (empty, so deny-all, when the folder is missing).
    func contract() throws -> SemanticContract {
        let directory = try semanticDirectory().root.appendingPathComponent("contract")
        do {
            return try ContractLoader.load(directory: directory)
        } catch {
            throw ValidationError("The semantic contract is invalid, so nothing can be queried: \(error)")
        }
    }

    /// A guard over the contract, plus the warehouse's own column lists when the file exists.
    /// A PostgreSQL warehouse gets a guard that reads PostgreSQL's SQL, over the contract's
    /// columns (the server is not contacted).
    func queryGuard(_ contract: SemanticContract, governance: GovernanceOptions) throws -> QueryGuard {
        if case .postgres = try location {
            return QueryGuard(contract: contract, configuration: GuardConfiguration(maxRows: governance.maxRows, dialect: .postgresql))
        }
        var catalog: SchemaCatalog?
        if FileManager.default.fileExists(atPath: databasePath) {
            let connection = try Connection(path: databasePath, mode: .readOnly)
            catalog = try SchemaCatalog.from(contract, warehouse: connection)
        }
        return QueryGuard(contract: contract, catalog: catalog, configuration: GuardConfiguration(maxRows: governance.maxRows))
    }
}
