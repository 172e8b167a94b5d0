import Foundation
public import Governance
public import MCP
public import Semantic

/// MCP over Streamable HTTP, as `readout serve` offers it at `/mcp`: one MCP server and one SDK
/// `StatefulHTTPServerTransport` per session. A session belongs to the API key that began it (another
/// key gets 404, as for an unknown session); it ends on DELETE, or after `idleTimeout` without a
/// request. The HTTP layer authenticates the key first; this decides per request whether the
/// caller's role may use the tool it calls (HTTP 403 when not).
public actor MCPHTTPEndpoint {
    public struct Configuration: Sendable {
        /// Bound to a loopback address: the Host header must name a loopback host and an Origin, when
        /// a browser sends one, must be a loopback origin (or in `allowedOrigins`).
        public var loopbackOnly: Bool
        /// Origins (scheme://host[:port]) whose browser pages may call `/mcp`; any other Origin is 403.
        public var allowedOrigins: [String]
        /// Answer each POST with one `application/json` body instead of an SSE stream (both are
        /// Streamable HTTP; some clients read only JSON).
        public var jsonResponses: Bool
        public var idleTimeout: Duration
        public var maxSessions: Int

        public init(loopbackOnly: Bool, allowedOrigins: [String] = [], jsonResponses: Bool = false,
                    idleTimeout: Duration = .seconds(1800), maxSessions: Int = 256) {
            self.loopbackOnly = loopbackOnly
            self.allowedOrigins = allowedOrigins
            self.jsonResponses = jsonResponses
            self.idleTimeout = idleTimeout
            self.maxSessions = maxSessions
        }
    }

    struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        let keyID: String
        var lastUsed: ContinuousClock.Instant
    }

    let backend: any MCPBackend
    let contract: SemanticContract
    let version: String
    public let configuration: Configuration
    private var sessions: [String: Session] = [:]

    public init(backend: any MCPBackend, contract: SemanticContract, version: String, configuration: Configuration) {
        self.backend = backend
        self.contract = contract
        self.version = version
        self.configuration = configuration
    }

    /// One HTTP request to `/mcp` from an authenticated caller.
    public func handle(_ request: HTTPRequest, caller: Caller, keyID: String) async -> HTTPResponse {
        await expire()
        let method = request.method.uppercased()
        // The JSON-RPC message, read once here for the two checks below (the SDK reads it again).
        let message = method == "POST" ? request.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } : nil
        if let message, let refused = refusedTool(message, role: caller.role) { return refused }
        let response: HTTPResponse
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id], session.keyID == keyID else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no such session (it ended or expired); initialize a new one."))
            }
            session.lastUsed = .now
            sessions[id] = session
            response = await session.transport.handleRequest(request)
            if method == "DELETE", response.statusCode == 200 { await close(id) }
        } else if message?["method"] as? String == "initialize" {
            response = await begin(request, caller: caller, keyID: keyID)
        } else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: send \(HTTPHeaderName.sessionID) (from the initialize response), or initialize first."))
        }
        guard configuration.jsonResponses, method == "POST", case .stream(let stream, let headers) = response else { return response }
        return await Self.single(stream, headers: headers)
    }

    /// Ends every session (the server is stopping).
    public func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    private func begin(_ request: HTTPRequest, caller: Caller, keyID: String) async -> HTTPResponse {
        guard sessions.count < configuration.maxSessions else {
            return .error(statusCode: 503, .internalError("Too many MCP sessions are open (\(configuration.maxSessions)); end one with DELETE or retry later."),
                          extraHeaders: ["Retry-After": "30"])
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id),
            validationPipeline: StandardValidationPipeline(validators: [
                OriginPolicy(loopbackOnly: configuration.loopbackOnly, allowedOrigins: configuration.allowedOrigins),
                AcceptHeaderValidator(mode: configuration.jsonResponses ? .jsonOnly : .sseRequired),
                ContentTypeValidator(),
                ProtocolVersionValidator(),
                SessionValidator(),
            ]),
            retryInterval: 1000)
        let server = await ReadoutMCP.server(backend, caller: caller, contract: contract, version: version)
        do {
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("Could not start the MCP session."))
        }
        sessions[id] = Session(server: server, transport: transport, keyID: keyID, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response { await close(id) }
        return response
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
        await session.transport.disconnect()
    }

    private func expire() async {
        let now = ContinuousClock.now
        for (id, session) in sessions where now - session.lastUsed > configuration.idleTimeout { await close(id) }
    }

    /// A `tools/call` of a tool the role may not use: 403 with a JSON-RPC error, before any session
    /// sees it. (A tool that does not exist is left to the server: a JSON-RPC "method not found".)
    private func refusedTool(_ message: [String: Any], role: RoleName) -> HTTPResponse? {
        guard message["method"] as? String == "tools/call", let name = (message["params"] as? [String: Any])?["name"] as? String else { return nil }
        guard MCPTools.exists(name), !MCPTools.allowed(name, for: role, contract: contract) else { return nil }
        let allowed = MCPTools.tools(for: role, contract: contract).map(\.name).joined(separator: ", ")
        return .error(statusCode: 403, .invalidRequest("Forbidden: the \(role.rawValue) role may not use \(name) (it may use: \(allowed))."))
    }

    /// The JSON-RPC response an SSE stream carries, as one JSON body (notifications before it are
    /// dropped; Readout's tools send none).
    static func single(_ stream: AsyncThrowingStream<Data, any Error>, headers: [String: String]) async -> HTTPResponse {
        var text = Data()
        do {
            for try await chunk in stream { text.append(chunk) }
        } catch {
            return .error(statusCode: 500, .internalError("The session ended before it answered."))
        }
        let messages = String(decoding: text, as: UTF8.self).components(separatedBy: "\n\n").compactMap { event -> Data? in
            let data = event.split(separator: "\n").filter { $0.hasPrefix("data:") }
                .map { $0.dropFirst(5).drop { $0 == " " } }.joined(separator: "\n")
            return data.isEmpty ? nil : Data(data.utf8)
        }
        guard let answer = messages.last else { return .error(statusCode: 500, .internalError("The session ended before it answered.")) }
        var headers = headers.filter { $0.key != HTTPHeaderName.contentType && $0.key != HTTPHeaderName.cacheControl && $0.key != HTTPHeaderName.connection }
        headers[HTTPHeaderName.contentType] = "application/json"
        return .data(answer, headers: headers)
    }

    struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
