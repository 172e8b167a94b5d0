import Analysis
import Foundation
import Gateway
import Governance
import Hummingbird
import Semantic
import WebPages

/// The pages, served by `readout serve` beside the API with the same keys and roles: sign in with
/// a key (a server-side session in an HttpOnly, SameSite=Strict cookie; a CSRF token in every
/// form), then the experiments, one experiment, ask, and the audit log.
///
/// | page | roles |
/// |---|---|
/// | `GET /login`, `POST /login`, `POST /logout` | anyone (tracker keys have no pages) |
/// | `GET /experiments[/{id}[/memo|/live]]` | the contract's reader roles and admin (row policies apply) |
/// | `POST /experiments/{id}/transition`, `…/decision` | admin |
/// | `GET /ask`, `POST /ask` | the contract's reader roles |
/// | `GET /audit` | auditor |
enum WebRoutes {
    static let sessionCookie = "readout_session"
    static let loginCookie = "readout_login"

    struct Site {
        let service: ReadoutService
        let pages: PageRenderer
        let sessions: WebSessions
        let version: String
        let readers: [RoleName]
    }

    static func add(to router: Router<ServerContext>, service: ReadoutService, pages: PageRenderer, version: String, live: LiveHub, sessions: WebSessions = WebSessions()) {
        let readers = service.contract.roles.keys.map(RoleName.init(rawValue:)).filter { !RoleName.service.contains($0) }.sorted()
        let site = Site(service: service, pages: pages, sessions: sessions, version: version, readers: readers)
        router.get("static/:file") { _, context in
            guard let name = context.parameters.get("file"), let file = pages.staticFile(name) else {
                throw APIError(.notFound, "not_found", "No such file.")
            }
            return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        let web = router.group().add(middleware: WebMiddleware(site: site))
        web.get("") { _, context in
            redirect(to: context.viewer(site).map(\.home) ?? "/login")
        }
        web.get("login") { request, context in
            if let viewer = context.viewer(site) { return redirect(to: viewer.home) }
            return loginPage(site, next: request.uri.queryParameters["next"].map(String.init), error: nil, status: .ok, reuse: request.cookies[loginCookie]?.value)
        }
        web.post("login") { request, context in
            let form = try await WebForm.read(request, context: context)
            let next = form["next"]
            guard let expected = request.cookies[loginCookie]?.value, let sent = form["csrf"], WebSessions.same(expected, sent) else {
                return loginPage(site, next: next, error: "The sign-in form expired; it has been renewed, please try again.", status: .forbidden)
            }
            let token = (form["key"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let key = try await service.authenticate(token) else {
                return loginPage(site, next: next, error: "That key is unknown or revoked. Create one with `readout keys create --role analyst --name you`.", status: .unauthorized)
            }
            let viewer = Viewer(name: key.name, role: RoleName(key.role), csrf: "", readers: readers)
            guard viewer.canView || viewer.canAudit else {
                return loginPage(site, next: next, error: "A \(key.role) key has no pages; sign in with an analyst, admin or auditor key.", status: .forbidden)
            }
            let session = await sessions.begin(keyID: key.keyID)
            var response = redirect(to: safeNext(next) ?? viewer.home)
            response.setCookie(sessionCookie(session.id, request: request, maxAge: Int(site.sessions.lifetime.components.seconds)))
            response.setCookie(expired(loginCookie, request: request))
            return response
        }
        web.post("logout") { request, context in
            let form = try await WebForm.read(request, context: context)
            try context.checkCSRF(form)
            if let id = context.webSession { await sessions.end(id) }
            var response = redirect(to: "/login")
            response.setCookie(expired(sessionCookie, request: request))
            return response
        }
        ExperimentPages.add(to: web, site: site)
        LivePages.add(to: web, site: site, hub: live)
        web.get("ask") { _, context in
            let viewer = try context.page(site, allow: \.canAsk)
            return page(site, "ask", title: "Ask", viewer: viewer, AskView().context())
        }
        web.post("ask") { request, context in
            let viewer = try context.page(site, allow: \.canAsk)
            let form = try await WebForm.read(request, context: context)
            try context.checkCSRF(form)
            let question = (form["question"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !question.isEmpty else { return page(site, "ask", title: "Ask", viewer: viewer, AskView().context()) }
            try InputLimits.check(question, "question")
            let answer = await service.ask(question, caller: viewer.caller)
            return page(site, "ask", title: "Ask", viewer: viewer, AskView(question: question, answer: answer).context())
        }
        web.get("audit") { request, context in
            let viewer = try context.page(site, allow: \.canAudit)
            return try await AuditPage.render(request, viewer: viewer, site: site)
        }
    }

    // MARK: Responses

    static func page(_ site: Site, _ template: String, title: String, viewer: Viewer?, _ body: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        html(site.pages.page(template, title: title, viewer: viewer, version: site.version, body), status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The sign-in form, with a token in a short-lived cookie that the form must echo. A token the
    /// browser already holds is kept, so two sign-in tabs (or a reload) do not void each other.
    static func loginPage(_ site: Site, next: String?, error: String?, status: HTTPResponse.Status, reuse: String? = nil) -> Response {
        let token = reuse.flatMap { $0.count == 64 && $0.allSatisfy(\.isHexDigit) ? $0 : nil } ?? WebSessions.token()
        var body: [String: Any] = ["loginCSRF": token, "next": safeNext(next) ?? ""]
        if let error { body["error"] = error }
        var response = page(site, "login", title: "Sign in", viewer: nil, body, status: status)
        response.setCookie(Cookie(name: loginCookie, value: token, maxAge: 3600, path: "/login", secure: false, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only a path on this site (never `//host` or a full URL) is followed after sign-in.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/login") else { return nil }
        return next
    }

    /// `Secure` when the browser reached us over TLS (a proxy in front says so with X-Forwarded-Proto).
    static func isTLS(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https" || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func sessionCookie(_ id: String, request: Request, maxAge: Int) -> Cookie {
        Cookie(name: sessionCookie, value: id, maxAge: maxAge, path: "/", secure: isTLS(request), httpOnly: true, sameSite: .strict)
    }

    static func expired(_ name: String, request: Request) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: name == loginCookie ? "/login" : "/", secure: isTLS(request), httpOnly: true, sameSite: .strict)
    }
}

extension Viewer {
    var caller: Caller { Caller(principal: name, role: role, channel: .web) }
}
