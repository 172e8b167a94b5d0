import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One chat completion: a system prompt and a user message in, text out.
public protocol LLMClient: Sendable {
    func complete(system: String, user: String) async throws(LLMError) -> String
}

/// The HTTP client both providers share: URLSession (libcurl on Linux), a connect
/// timeout, a total deadline enforced by cancelling the task (on Linux
/// `timeoutInterval` is only an idle timeout, in whole seconds), and one retry
/// with backoff on 429 and 5xx.
public struct HTTPLLMClient: LLMClient {
    public let configuration: LLMConfiguration
    let session: URLSession

    public init(configuration: LLMConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = max(1, configuration.connectTimeout.rounded(.up))
        sessionConfiguration.timeoutIntervalForResource = max(1, configuration.totalTimeout.rounded(.up))
        sessionConfiguration.httpAdditionalHeaders = [:]
        session = URLSession(configuration: sessionConfiguration)
    }

    public func complete(system: String, user: String) async throws(LLMError) -> String {
        let request = try makeRequest(system: system, user: user)
        let deadline = configuration.totalTimeout
        let session = self.session
        let provider = configuration.provider
        do {
            return try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await Self.send(request, session: session, provider: provider)
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int(deadline * 1000)))
                    throw LLMError(.timeout, "The model did not answer within \(deadline) s.")
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw LLMError(.transport, "No response.") }
                return first
            }
        } catch let error as LLMError {
            throw error
        } catch is CancellationError {
            throw LLMError(.timeout, "The model call was cancelled.")
        } catch {
            throw LLMError(.transport, "The model call failed: \(Self.clean(error))")
        }
    }

    static func send(_ request: URLRequest, session: URLSession, provider: LLMConfiguration.Provider) async throws -> String {
        var attempt = 0
        while true {
            attempt += 1
            let (data, response): (Data, URLResponse)
            do {
                (data, response) = try await session.data(for: request)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw LLMError(.transport, "Cannot reach the model at \(request.url?.host ?? "?"): \(clean(error))")
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (status == 429 || status >= 500) && attempt == 1 {
                let retryAfter = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init) ?? 0.25
                try await Task.sleep(for: .milliseconds(Int(min(max(retryAfter, 0.05), 2) * 1000)))
                continue
            }
            guard (200..<300).contains(status) else {
                let body = String(decoding: data.prefix(300), as: UTF8.self)
                throw LLMError(.http, "The model answered HTTP \(status)\(attempt > 1 ? " (after one retry)" : ""): \(body)")
            }
            return try ResponseParser.text(from: data, provider: provider)
        }
    }

    func makeRequest(system: String, user: String) throws(LLMError) -> URLRequest {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let path = configuration.provider == .openai ? "/chat/completions" : (base.hasSuffix("/v1") ? "/messages" : "/v1/messages")
        guard let url = URL(string: base + path), url.scheme == "http" || url.scheme == "https" else {
            throw LLMError(.configuration, "The LLM base URL \(configuration.baseURL) is not an http(s) URL.")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body: [String: Any]
        switch configuration.provider {
        case .openai:
            if let key = configuration.apiKey, !key.isEmpty { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
            body = [
                "model": configuration.model, "temperature": 0,
                "messages": [["role": "system", "content": system], ["role": "user", "content": user]],
            ]
        case .anthropic:
            if let key = configuration.apiKey, !key.isEmpty { request.setValue(key, forHTTPHeaderField: "x-api-key") }
            request.setValue("2023-06-01", forHTTPHeaderField: "anthropic-version")
            body = [
                "model": configuration.model, "max_tokens": 1024, "temperature": 0, "system": system,
                "messages": [["role": "user", "content": user]],
            ]
        }
        do {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        } catch {
            throw LLMError(.configuration, "Cannot encode the request.")
        }
        return request
    }

    /// An error's text without anything that could carry a credential.
    static func clean(_ error: any Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Pulls the model's text out of each provider's response body.
enum ResponseParser {
    static func text(from data: Data, provider: LLMConfiguration.Provider) throws -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LLMError(.malformed, "The model's response is not JSON.")
        }
        switch provider {
        case .openai:
            guard let choices = object["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any],
                  let content = message["content"] as? String else {
                throw LLMError(.malformed, "The response has no choices[0].message.content.")
            }
            return content
        case .anthropic:
            guard let content = object["content"] as? [[String: Any]] else {
                throw LLMError(.malformed, "The response has no content blocks.")
            }
            let text = content.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined()
            guard !text.isEmpty else { throw LLMError(.malformed, "The response has no text block.") }
            return text
        }
    }
}
