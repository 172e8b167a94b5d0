import ArgumentParser
import Analysis
import Foundation
import PostgresWarehouse
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
                let settings = try Settings.resolve(warehouse: options, governance: governance)
                let file = settings.file
                func source(_ env: String, _ fromFile: Any?) -> String {
                    ReadoutConfiguration.env(env) != nil ? "env \(env)" : fromFile != nil ? (file.path ?? "readout.yaml") : "default"
                }
                var rows: [[DatabaseValue]] = [
                    [.text("config file"), .text(file.path ?? "(none: ./readout.yaml not found)"), .text(ReadoutConfiguration.env("READOUT_CONFIG") != nil ? "env READOUT_CONFIG" : "default")],
                    [.text("warehouse"), .text(PostgresURL.redact(settings.warehouse.value)), .text(settings.warehouse.source)],
                    [.text("semantic"), .text((try? options.semanticDirectory().root.path) ?? "(not found)"), .text(settings.semantic.source)],
                    [.text("audit"), .text(settings.audit.value), .text(settings.audit.source)],
                    [.text("role"), .text(settings.role.value), .text(settings.role.source)],
                    [.text("limits.max_rows"), .integer(Int64(settings.maxRows.value)), .text(settings.maxRows.source)],
                    [.text("limits.timeout_seconds"), .real(settings.timeout.value), .text(settings.timeout.source)],
                    [.text("stub_plans"), .text(settings.stubPlans ?? "(none)"), .text(settings.stubPlans != nil ? "env READOUT_STUB_PLANS" : "default")],
                ]
                for key in AnalysisSettings.keys {
                    rows.append([.text("analysis.\(key.name)"), .text(key.show(settings.analysis)), .text(file.analysisKeys.contains(key.name) ? (file.path ?? "readout.yaml") : "default")])
                }
                rows.append([.text("analysis.decision_test"), .text(settings.analysis.decisionTest), .text("derived (sequential)")])
                if let llm = settings.llm {
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
