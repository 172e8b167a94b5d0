import Foundation
import Governance
import Hummingbird
import Logging
import Semantic
import WebPages

/// For every page: finds the browser's session (and drops it if its key was revoked), answers
/// errors as HTML pages rather than JSON, sends a signed-out visitor to the sign-in page, and adds
/// the security headers (a Content-Security-Policy that allows no inline script).
struct WebMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let site: WebRoutes.Site

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("X-Frame-Options")!: "DENY",
        .init("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        if let id = request.cookies[WebRoutes.sessionCookie]?.value, let session = await site.sessions.find(id) {
            if let key = try? await site.service.activeKey(session.keyID) {
                context.key = key
                context.csrf = session.csrf
                context.webSession = id
            } else {
                await site.sessions.end(id)
            }
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch is SignInRequired {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let next = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))) ?? "/"
            response = WebRoutes.redirect(to: "/login?next=\(next)")
        } catch let error as APIError {
            response = errorPage(error.status, error.message, viewer: context.viewer(site))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            response = errorPage(.contentTooLarge, "The form is larger than the 1 MiB a page accepts.", viewer: context.viewer(site))
        } catch {
            context.logger.error("page error", metadata: ["error": "\(type(of: error))"])
            response = errorPage(.internalServerError, "Something went wrong while drawing the page; it was logged.", viewer: context.viewer(site))
        }
        for field in Self.securityHeaders where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }

    func errorPage(_ status: HTTPResponse.Status, _ message: String, viewer: Viewer?) -> Response {
        let heading = status == .forbidden ? "Not for your role" : status == .notFound ? "Not found" : status.reasonPhrase
        return WebRoutes.page(site, "error", title: heading, viewer: viewer, ["heading": heading, "message": message, "signIn": status == .forbidden], status: status)
    }
}

/// Thrown by a page that needs a signed-in viewer when there is none.
struct SignInRequired: Error {}

extension ServerContext {
    /// The signed-in viewer, if any.
    func viewer(_ site: WebRoutes.Site) -> Viewer? {
        guard let key, let csrf else { return nil }
        return Viewer(name: key.name, role: RoleName(key.role), csrf: csrf, readers: site.readers)
    }

    /// The viewer, if signed in (else to the sign-in page) and allowed this page (else 403).
    func page(_ site: WebRoutes.Site, allow: KeyPath<Viewer, Bool>) throws -> Viewer {
        guard let viewer = viewer(site) else { throw SignInRequired() }
        guard viewer[keyPath: allow] else {
            throw APIError(.forbidden, "forbidden", "The \(viewer.role.rawValue) role may not open this page.")
        }
        return viewer
    }

    /// A form's CSRF token must be this session's.
    func checkCSRF(_ form: WebForm) throws { try checkCSRF(form["csrf"]) }

    /// The token a form sent (a plain or an upload form) must be this session's.
    func checkCSRF(_ sent: String?) throws {
        guard let csrf, let sent, WebSessions.same(csrf, sent) else {
            throw APIError(.forbidden, "csrf", "The form's security token did not match this session; reload the page and try again.")
        }
    }
}
