import Analysis
import ArgumentParser
import Foundation
import LLM

/// One setting's value and where it came from (`--db`, `env READOUT_DB`, `readout.yaml`, `default`).
struct Setting<Value> {
    var value: Value
    var source: String
}

/// Every setting a command uses, resolved once at the composition root: the flag, then
/// the environment, then `readout.yaml` (or `READOUT_CONFIG`), then the default. Commands
/// read it instead of looking at flags, variables and the file each on their own, and
/// `readout config show` prints it with the sources.
struct Settings {
    var file: ReadoutConfiguration
    var warehouse: Setting<String>
    /// The semantic folder named explicitly, or nil to look for `./semantic` and the checkout's.
    var semantic: Setting<String?>
    var audit: Setting<String>
    var role: Setting<String>
    var maxRows: Setting<Int>
    var timeout: Setting<Double>
    var analysis: AnalysisConfiguration
    var llm: LLMConfiguration?
    /// The stub planner's question → SQL file (`READOUT_STUB_PLANS`), for tests and demos.
    var stubPlans: String?
    /// Who runs the command, as the audit log records it.
    var principal: String

    /// Settings from these commands' flags (nil where a command has no such flag).
    static func resolve(warehouse: WarehouseOptions?, governance: GovernanceOptions? = nil) throws -> Settings {
        try resolve(db: warehouse?.warehouse ?? warehouse?.db, dbFlag: warehouse?.warehouse != nil ? "--warehouse" : "--db", semantic: warehouse?.semantic, auditDB: governance?.auditDB, role: governance?.role,
                    maxRows: governance?.maxRowsOption, timeout: governance?.timeoutOption)
    }

    static func resolve(db: String?, dbFlag: String = "--db", semantic: String?, auditDB: String?, role: String?, maxRows: Int?, timeout: Double?) throws -> Settings {
        let file = try ReadoutConfiguration.current()
        let fileName = file.path ?? "readout.yaml"
        func pick<T>(_ flag: T?, _ flagName: String, _ variable: String, _ parse: (String) -> T?, _ fromFile: T?, _ fallback: T) throws -> Setting<T> {
            if let flag { return Setting(value: flag, source: flagName) }
            if let text = ReadoutConfiguration.env(variable) {
                guard let value = parse(text) else { throw ValidationError("\(variable)=\(text) is not a valid value.") }
                return Setting(value: value, source: "env \(variable)")
            }
            if let fromFile { return Setting(value: fromFile, source: fileName) }
            return Setting(value: fallback, source: "default")
        }
        let semanticFlag = semantic ?? ReadoutConfiguration.env("READOUT_SEMANTIC_DIR")
        // The flag (--warehouse or --db), then READOUT_WAREHOUSE, then READOUT_DB, readout.yaml, the default.
        var warehouse: Setting<String> {
            get throws {
                if db == nil, let url = ReadoutConfiguration.env("READOUT_WAREHOUSE") { return Setting(value: url, source: "env READOUT_WAREHOUSE") }
                return try pick(db, dbFlag, "READOUT_DB", { $0 }, file.warehouse, "./readout.db")
            }
        }
        return Settings(
            file: file,
            warehouse: try warehouse,
            semantic: Setting(value: semanticFlag, source: semantic != nil ? "--semantic" : semanticFlag != nil ? "env READOUT_SEMANTIC_DIR" : "default"),
            audit: try pick(auditDB, "--audit-db", "READOUT_AUDIT_DB", { $0 }, file.audit, "./readout-audit.db"),
            role: try pick(role, "--role", "READOUT_ROLE", { $0 }, file.role, "analyst"),
            maxRows: try pick(maxRows, "--max-rows", "READOUT_MAX_ROWS", { Int($0) }, file.maxRows, 1_000),
            timeout: try pick(timeout, "--timeout", "READOUT_TIMEOUT", { Double($0) }, file.timeoutSeconds, 2),
            analysis: file.analysis,
            llm: try file.llmConfiguration(),
            stubPlans: ReadoutConfiguration.env("READOUT_STUB_PLANS"),
            principal: ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli"
        )
    }
}
