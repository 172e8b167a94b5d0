import Foundation
import Governance
import Hummingbird
import WebPages

/// `/audit` for auditors: the newest entries with the API's filters, and the chain's verification.
enum AuditPage {
    static let pageSize = 100

    static func render(_ request: Request, viewer: Viewer, site: WebRoutes.Site) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = AuditFilter()
        var shown: [String: String] = [:]
        var problem: String?
        if query["blocked"] == "true" {
            filter.blockedOnly = true
            shown["blocked"] = "true"
        }
        if let principal = query["principal"].map(String.init), !principal.isEmpty {
            filter.principal = principal
            shown["principal"] = principal
        }
        if let code = query["code"].map(String.init), !code.isEmpty {
            filter.code = code
            shown["code"] = code
        }
        if let since = query["since"].map(String.init), !since.isEmpty {
            shown["since"] = since
            if let value = AuditFilter.since(since) { filter.since = value } else { problem = "since: a date or time, e.g. 2026-10-01 or 2026-10-01T12:00:00Z (got \(since))." }
        }
        if let cursor = query["cursor"].flatMap({ Int64($0) }) { filter.afterID = cursor }
        filter.limit = pageSize + 1
        var entries = problem == nil ? try await site.service.auditEntries(filter) : []
        var more: String?
        if entries.count > pageSize {
            entries.removeLast()
            var components = URLComponents()
            components.path = "/audit"
            components.queryItems = shown.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } + [URLQueryItem(name: "cursor", value: entries.last.map { String($0.id) })]
            more = components.string
        }
        var verification: AuditVerification?
        var verificationError: String?
        do {
            verification = try await site.service.verifyAudit(expectedHead: nil)
        } catch let error as APIError {
            verificationError = error.message
        }
        let view = AuditView(entries: entries, verification: verification, verificationError: verificationError, filter: shown, filterError: problem, more: more)
        return WebRoutes.page(site, "audit", title: "Audit log", viewer: viewer, view.context())
    }
}
