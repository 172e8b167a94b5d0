import Foundation
import MCP

/// Who may reach `/mcp` from a browser (DNS-rebinding and cross-site protection). Bound to loopback,
/// the Host header must name a loopback host and an Origin must be a loopback origin or listed;
/// bound elsewhere, only listed origins pass. Requests without an Origin (assistants, scripts) are
/// not browsers and pass; their API key is what admits them.
struct OriginPolicy: HTTPRequestValidator {
    let loopbackOnly: Bool
    let allowedOrigins: [String]

    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "[::1]", "::1"]

    func validate(_ request: HTTPRequest, context: HTTPValidationContext) -> HTTPResponse? {
        if loopbackOnly, let host = request.header(HTTPHeaderName.host), !Self.loopbackHosts.contains(Self.hostname(host)) {
            return .error(statusCode: 421, .invalidRequest("Misdirected Request: this server answers loopback host names only (got Host \(host))."),
                          sessionID: context.sessionID)
        }
        if let origin = request.header(HTTPHeaderName.origin) {
            let listed = allowedOrigins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame }
            let loopback = loopbackOnly && URL(string: origin).map { ($0.scheme == "http" || $0.scheme == "https") && Self.loopbackHosts.contains(($0.host ?? "").lowercased()) } == true
            guard listed || loopback else {
                return .error(statusCode: 403, .invalidRequest("Forbidden: Origin \(origin) is not allowed; start readout serve with --mcp-allow-origin \(origin) to allow it."),
                              sessionID: context.sessionID)
            }
        }
        return nil
    }

    /// "host:port", "[::1]:port" or "host" → the host, lower-cased.
    static func hostname(_ host: String) -> String {
        let lower = host.lowercased()
        if lower.hasPrefix("[") { return lower.split(separator: "]").first.map { $0 + "]" } ?? lower }
        return lower.split(separator: ":").first.map(String.init) ?? lower
    }
}
