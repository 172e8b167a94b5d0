import Foundation
import Governance
import Hummingbird
import MCP
import MCPServer
import Semantic
import ServiceLifecycle

/// `/mcp`: MCP's Streamable HTTP transport (POST a JSON-RPC message, GET the session's SSE stream,
/// DELETE to end it), behind the same bearer keys and rate limits as `/api`. A role with no MCP
/// tools (auditor, tracker) gets 403; the endpoint refuses, per call, tools the role may not use.
enum MCPRoutes {
    static func add(to router: Router<ServerContext>, service: ReadoutService, endpoint: MCPHTTPEndpoint) {
        let mcp = router.group("mcp").add(middleware: AuthMiddleware(service: service))
        for method in [HTTPRequest.Method.post, .get, .delete] {
            mcp.on("", method: method) { request, context in
                try await handle(request, context: context, endpoint: endpoint, contract: service.contract)
            }
        }
    }

    static func handle(_ request: Request, context: ServerContext, endpoint: MCPHTTPEndpoint, contract: SemanticContract) async throws -> Response {
        guard let key = context.key else { throw APIError.unauthorized("Send Authorization: Bearer KEY (create one with `readout keys create`).") }
        let role = RoleName(key.role)
        guard !ReadoutMCP.toolNames(for: role, contract: contract).isEmpty else {
            throw APIError(.forbidden, "forbidden", "The \(key.role) role has no MCP tools; use a key of a role that asks questions (e.g. analyst) or admin.")
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        var body: Data?
        if request.method == .post {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            body = Data(buffer.readableBytesView)
        }
        let caller = Caller(principal: key.name, role: role, channel: .mcp)
        let answer = await endpoint.handle(MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.uri.path),
                                           caller: caller, keyID: key.keyID)
        return response(answer, endpoint: endpoint)
    }

    /// An SSE stream stays open until its session ends; when the server is asked to stop, every
    /// session is ended, so the streams close and the graceful shutdown does not wait for them.
    static func response(_ answer: MCP.HTTPResponse, endpoint: MCPHTTPEndpoint) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPFields.Element.Name(name) { fields[field] = value }
        }
        let status = HTTPResponse.Status(code: answer.statusCode)
        if case .stream(let stream, _) = answer {
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                try await withGracefulShutdownHandler {
                    for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                } onGracefulShutdown: {
                    Task { await endpoint.closeAll() }
                }
                try await writer.finish(nil)
            })
        }
        let data = answer.bodyData ?? Data()
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
