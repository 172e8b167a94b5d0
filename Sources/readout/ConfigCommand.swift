import ArgumentParser
import Analysis
import Foundation
import LLM
import Warehouse

extension Readout {
    /// `readout config show`: the settings in effect and where each came from, secrets masked.
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the configuration in effect (readout.yaml, environment, defaults).",
            subcommands: [Show.self]
        )

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print every setting, its value and its source; API keys are masked.")

            @OptionGroup var governance: GovernanceOptions
            @OptionGroup var options: WarehouseOptions
            @Option(help: "table or json.") var format: OutputFormat = .table

            func run() async throws {
                let file = try ReadoutConfiguration.current()
                func source(_ env: String, _ fromFile: Any?) -> String {
                    ReadoutConfiguration.env(env) != nil ? "env \(env)" : fromFile != nil ? (file.path ?? "readout.yaml") : "default"
                }
                var rows: [[DatabaseValue]] = [
                    [.text("config file"), .text(file.path ?? "(none: ./readout.yaml not found)"), .text(ReadoutConfiguration.env("READOUT_CONFIG") != nil ? "env READOUT_CONFIG" : "default")],
                    [.text("warehouse"), .text(options.databasePath), .text(options.db != nil ? "--db" : source("READOUT_DB", file.warehouse))],
                    [.text("semantic"), .text((try? options.semanticDirectory().root.path) ?? "(not found)"), .text(options.semantic != nil ? "--semantic" : source("READOUT_SEMANTIC_DIR", nil))],
                    [.text("audit"), .text(governance.auditPath), .text(governance.auditDB != nil ? "--audit-db" : source("READOUT_AUDIT_DB", file.audit))],
                    [.text("role"), .text(governance.resolvedRole), .text(governance.role != nil ? "--role" : source("READOUT_ROLE", file.role))],
                    [.text("limits.max_rows"), .integer(Int64(governance.maxRows)), .text(governance.maxRowsOption != nil ? "--max-rows" : source("READOUT_MAX_ROWS", file.maxRows))],
                    [.text("limits.timeout_seconds"), .real(governance.timeout), .text(governance.timeoutOption != nil ? "--timeout" : source("READOUT_TIMEOUT", file.timeoutSeconds))],
                ]
                for key in AnalysisSettings.keys {
                    rows.append([.text("analysis.\(key.name)"), .text(key.show(file.analysis)), .text(file.analysisKeys.contains(key.name) ? (file.path ?? "readout.yaml") : "default")])
                }
                rows.append([.text("analysis.decision_test"), .text(file.analysis.decisionTest), .text("derived (sequential)")])
                if let llm = try file.llmConfiguration() {
                    rows += [
                        [.text("llm.provider"), .text(llm.provider.rawValue), .text(source("READOUT_LLM_PROVIDER", file.llm["provider"]))],
                        [.text("llm.base_url"), .text(llm.baseURL), .text(source("READOUT_LLM_BASE_URL", file.llm["base_url"]))],
                        [.text("llm.model"), .text(llm.model), .text(source("READOUT_LLM_MODEL", file.llm["model"]))],
                        [.text("llm.api_key"), .text(llm.redactedKey), .text(ReadoutConfiguration.env("READOUT_LLM_API_KEY") != nil ? "env READOUT_LLM_API_KEY" : "env \(file.llm["api_key_env"] ?? (llm.provider == .openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"))")],
                        [.text("llm.timeout_seconds"), .real(llm.totalTimeout), .text(source("READOUT_LLM_TIMEOUT", file.llm["timeout_seconds"]))],
                        [.text("llm.share_rows"), .text(llm.shareRows ? "true" : "false"), .text(source("READOUT_LLM_SHARE_ROWS", file.llm["share_rows"]))],
                    ]
                } else {
                    rows.append([.text("llm"), .text("(not configured: the rule planner answers)"), .text("default")])
                }
                print(ResultTable(columns: ["setting", "value", "source"], rows: rows).rendered(as: format), terminator: "")
            }
        }
    }
}
