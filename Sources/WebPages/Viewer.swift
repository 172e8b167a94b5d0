public import Semantic

/// Who is looking at a page: their key's name and role, what their role may open, and the
/// session's CSRF token every form carries.
public struct Viewer: Sendable {
    public var name: String
    public var role: RoleName
    public var csrf: String
    public var canView: Bool
    public var canAsk: Bool
    public var canAudit: Bool
    public var canDecide: Bool

    public init(name: String, role: RoleName, csrf: String, readers: [RoleName]) {
        self.name = name
        self.role = role
        self.csrf = csrf
        canView = readers.contains(role) || role == .admin
        canAsk = readers.contains(role)
        canAudit = role == .auditor
        canDecide = role == .admin
    }

    /// The page's place to start: experiments for those who may see them, else the audit log.
    public var home: String { canView ? "/experiments" : canAudit ? "/audit" : "/login" }

    var context: [String: Any] {
        ["name": name, "role": role.rawValue, "csrf": csrf, "canView": canView, "canAsk": canAsk, "canAudit": canAudit]
    }
}
