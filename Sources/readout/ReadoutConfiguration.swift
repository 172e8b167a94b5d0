import ArgumentParser
import Semantic
import Analysis
import Foundation
import LLM
import Yams

/// `readout.yaml` (or `--config` / `READOUT_CONFIG`), read once. Precedence for every
/// setting: command-line flag, then environment variable, then this file, then the default.
///
/// ```yaml
/// warehouse: ./readout.db
/// audit: ./readout-audit.db
/// role: analyst
/// limits: {max_rows: 1000, timeout_seconds: 2}
/// llm:
///   provider: openai            # or anthropic
///   base_url: http://127.0.0.1:11434/v1
///   model: llama3.1
///   api_key_env: OPENAI_API_KEY # the variable holding the key; keys are never written here
///   timeout_seconds: 30
///   connect_timeout_seconds: 5
///   share_rows: false
/// analysis: {alpha: 0.05, correction: holm, cuped: true}   # see AnalysisSettings
/// alerts:
///   webhooks: [https://hooks.slack.com/services/…]   # and `serve --alert-webhook URL`
///   secret_env: READOUT_ALERT_SECRET                  # the variable holding the HMAC secret
///   exposure_rate_below: 0.8
///   stale_after_hours: 24
/// mlflow:
///   tracking_uri: http://127.0.0.1:5000   # `analyze --mlflow` and `READOUT_MLFLOW` override it
/// ```
struct ReadoutConfiguration {
    var path: String?
    var warehouse: String?
    var audit: String?
    var role: String?
    var maxRows: Int?
    var timeoutSeconds: Double?
    var llm: [String: String] = [:]
    /// The statistics engine's settings (`analysis:`); defaults where the file is silent.
    var analysis = AnalysisConfiguration()
    /// The `analysis:` keys the file sets.
    var analysisKeys: Set<String> = []
    /// `alerts:`: thresholds, webhook URLs, and the variable that holds the signing secret.
    var alerts = AlertSettings()
    var alertWebhooks: [String] = []
    var alertSecretVariable = "READOUT_ALERT_SECRET"
    /// `mlflow.tracking_uri`: where analyses are logged as MLflow runs.
    var mlflowTrackingURI: String?

    nonisolated(unsafe) private static var cached: ReadoutConfiguration?

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static func env(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }


    /// The configuration in effect; a broken file is an error naming the file and field.
    static func current() throws -> ReadoutConfiguration {
        if let cached { return cached }
        let explicit = env("READOUT_CONFIG")
        let path = explicit ?? "./readout.yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            if let explicit { throw ValidationError("READOUT_CONFIG names \(explicit), which does not exist.") }
            cached = ReadoutConfiguration()
            return ReadoutConfiguration()
        }
        let configuration = try load(path)
        cached = configuration
        return configuration
    }

    static func load(_ path: String) throws -> ReadoutConfiguration {
        let root: Node
        do { root = try YAMLFile(URL(fileURLWithPath: path), allowEmpty: true).root } catch { throw ValidationError("\(error)") }
        var configuration = ReadoutConfiguration(path: path)
        guard case .mapping(let mapping) = root else { throw ValidationError("\(path): expected key: value settings at the top level.") }
        let known: Set = ["warehouse", "audit", "role", "limits", "llm", "analysis", "alerts", "mlflow"]
        for key in mapping.keys {
            let name = key.string ?? ""
            if !known.contains(name) {
                throw ValidationError("\(path):\(key.mark?.line ?? 0): unknown setting \(name); expected one of \(known.sorted().joined(separator: ", ")).")
            }
        }
        configuration.warehouse = root["warehouse"]?.string
        configuration.audit = root["audit"]?.string
        configuration.role = root["role"]?.string
        if let limits = root["limits"] {
            if let node = limits["max_rows"] {
                guard let value = node.int, value > 0 else { throw ValidationError("\(path):\(node.mark?.line ?? 0) (limits.max_rows): a positive whole number.") }
                configuration.maxRows = value
            }
            if let node = limits["timeout_seconds"] {
                guard let value = node.float, value > 0 else { throw ValidationError("\(path):\(node.mark?.line ?? 0) (limits.timeout_seconds): a positive number of seconds.") }
                configuration.timeoutSeconds = value
            }
        }
        if let analysis = root["analysis"] {
            (configuration.analysis, configuration.analysisKeys) = try AnalysisSettings.parse(analysis, file: path)
        }
        if let alerts = root["alerts"] {
            guard case .mapping(let entries) = alerts else { throw ValidationError("\(path) (alerts): expected key: value settings.") }
            for (key, value) in entries {
                let name = key.string ?? ""
                let at = "\(path):\(key.mark?.line ?? 0) (alerts.\(name))"
                switch name {
                case "webhooks":
                    guard case .sequence = value else { throw ValidationError("\(at): a list of http(s) URLs.") }
                    let items = value.array()
                    configuration.alertWebhooks = try items.map { item in
                        guard let text = item.string, let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                            throw ValidationError("\(at): \(item.string ?? "this entry") is not an http(s) URL.")
                        }
                        return text
                    }
                case "secret_env":
                    guard let text = value.string, !text.isEmpty else { throw ValidationError("\(at): the name of an environment variable.") }
                    configuration.alertSecretVariable = text
                case "exposure_rate_below":
                    guard let number = value.float, number > 0, number < 1 else { throw ValidationError("\(at): a share between 0 and 1, e.g. 0.8.") }
                    configuration.alerts.exposureRateBelow = number
                case "stale_after_hours":
                    guard let number = value.float, number > 0 else { throw ValidationError("\(at): a positive number of hours.") }
                    configuration.alerts.staleAfterHours = number
                default:
                    throw ValidationError("\(at): unknown alerts setting; expected webhooks, secret_env, exposure_rate_below or stale_after_hours.\(name == "secret" ? " Put the secret in an environment variable and name it with secret_env." : "")")
                }
            }
        }
        if let mlflow = root["mlflow"] {
            guard case .mapping(let entries) = mlflow else { throw ValidationError("\(path) (mlflow): expected key: value settings, e.g. tracking_uri: http://127.0.0.1:5000.") }
            for (key, value) in entries {
                let name = key.string ?? ""
                let at = "\(path):\(key.mark?.line ?? 0) (mlflow.\(name))"
                guard name == "tracking_uri" else { throw ValidationError("\(at): unknown mlflow setting; expected tracking_uri.") }
                guard let text = value.string, let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw ValidationError("\(at): an http(s) URL of an MLflow tracking server, e.g. http://127.0.0.1:5000.")
                }
                configuration.mlflowTrackingURI = text
            }
        }
        if let llm = root["llm"], case .mapping(let entries) = llm {
            let allowed: Set = ["provider", "base_url", "model", "api_key_env", "timeout_seconds", "connect_timeout_seconds", "share_rows"]
            for (key, value) in entries {
                let name = key.string ?? ""
                guard allowed.contains(name) else {
                    let hint = name == "api_key" ? " Put the key in an environment variable and name it with api_key_env." : ""
                    throw ValidationError("\(path):\(key.mark?.line ?? 0): unknown llm setting \(name).\(hint)")
                }
                configuration.llm[name] = value.string
            }
        }
        return configuration
    }

    /// The LLM settings in effect, or nil when no provider and model are configured.
    func llmConfiguration() throws -> LLMConfiguration? {
        let providerName = Self.env("READOUT_LLM_PROVIDER") ?? llm["provider"]
        let model = Self.env("READOUT_LLM_MODEL") ?? llm["model"]
        guard let providerName, let model else { return nil }
        guard let provider = LLMConfiguration.Provider(rawValue: providerName) else {
            throw ValidationError("Unknown LLM provider \(providerName); use openai (any OpenAI-compatible server) or anthropic.")
        }
        let defaultURL = provider == .openai ? "https://api.openai.com/v1" : "https://api.anthropic.com"
        let keyVariable = llm["api_key_env"] ?? (provider == .openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY")
        return LLMConfiguration(
            provider: provider,
            baseURL: Self.env("READOUT_LLM_BASE_URL") ?? llm["base_url"] ?? defaultURL,
            model: model,
            apiKey: Self.env("READOUT_LLM_API_KEY") ?? Self.env(keyVariable),
            connectTimeout: Double(Self.env("READOUT_LLM_CONNECT_TIMEOUT") ?? llm["connect_timeout_seconds"] ?? "") ?? 5,
            totalTimeout: Double(Self.env("READOUT_LLM_TIMEOUT") ?? llm["timeout_seconds"] ?? "") ?? 30,
            shareRows: (Self.env("READOUT_LLM_SHARE_ROWS") ?? llm["share_rows"]) == "true"
        )
    }
}
