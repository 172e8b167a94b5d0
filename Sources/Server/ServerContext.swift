import Semantic
public import Governance
public import Hummingbird

/// Per-request context: the authenticated key, once the auth middleware has run.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var key: APIKey?
    /// For a page request from a signed-in browser: its session id and the session's CSRF token.
    var webSession: String?
    var csrf: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        key = nil
    }

    public var maxUploadSize: Int { 1 << 20 }

    /// The caller's key, if its role is one of `roles`; else 403.
    func require(_ roles: [RoleName]) throws -> APIKey {
        guard let key else { throw APIError.unauthorized("Send Authorization: Bearer KEY (create one with `readout keys create`).") }
        guard roles.contains(RoleName(key.role)) else { throw APIError.forbidden(role: key.role, allowed: roles.map(\.rawValue)) }
        return key
    }
}
