/// How to reach a language model. The API key is held here only in memory; it
/// is never printed, logged or written to the audit log (``redacted`` masks it).
public struct LLMConfiguration: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        /// OpenAI-compatible Chat Completions (OpenAI, Ollama, vLLM, llama.cpp server, LM Studio).
        case openai
        /// Anthropic Messages.
        case anthropic
    }

    public var provider: Provider
    /// e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, `https://api.anthropic.com`.
    public var baseURL: String
    public var model: String
    public var apiKey: String?
    /// Seconds to establish the connection (and, on Linux, the longest silence between bytes).
    public var connectTimeout: Double
    /// Seconds for the whole request including one retry; enforced by cancelling the task.
    public var totalTimeout: Double
    /// Send result rows to the model for the LLM readout (default false: it sees the deterministic readout).
    public var shareRows: Bool

    public init(provider: Provider, baseURL: String, model: String, apiKey: String? = nil, connectTimeout: Double = 5, totalTimeout: Double = 30, shareRows: Bool = false) {
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.shareRows = shareRows
    }

    /// The key as it may be shown: `sk-…abcd` style, or `(not set)`.
    public var redactedKey: String {
        guard let apiKey, !apiKey.isEmpty else { return "(not set)" }
        return apiKey.count <= 8 ? "****" : String(apiKey.prefix(3)) + "…" + String(apiKey.suffix(4))
    }
}

/// Why a model call failed. Messages never contain the API key.
public struct LLMError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case timeout, http, transport, malformed, noSQL = "no_sql", configuration
    }
    public var code: Code
    public var message: String
    public var description: String { "\(code.rawValue): \(message)" }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
