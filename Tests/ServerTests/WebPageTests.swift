import Analysis
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Governance
import ReadoutTesting
import Server
import Testing
import Warehouse
import WebPages

/// The pages over real HTTP on 127.0.0.1: signing in with a key, sessions and CSRF, what each
/// role may open, numbers that agree with the API's, forms that change state, escaping, and the
/// live stream. (A real browser drives the same pages in `BrowserTests`.)
@Suite("Web pages", .serialized)
struct WebPageTests {
    typealias Harness = ServerTests.Harness

    @Test("signing in with a key starts a server-side session in an HttpOnly, SameSite=Strict cookie")
    func signIn() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        // Signed out: every page sends you to the sign-in form, remembering where you were going.
        let away = try await browser.get("/experiments?status=running")
        #expect(away.status == 303 && away.location == "/login?next=/experiments%3Fstatus%3Drunning", "\(away.status) \(away.location ?? "")")
        let form = try await browser.get("/login")
        #expect(form.status == 200 && form.count("login-form") == 1)
        let csp = try #require(form.header("Content-Security-Policy"))
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
        // A wrong key, a missing form token: the form again with the reason; no session.
        let wrong = try await browser.post("/login", form: ["key": "rdo_nope", "csrf": form.field("csrf") ?? ""])
        #expect(wrong.status == 401 && wrong.count("form-error") == 1)
        let forged = try await browser.post("/login", form: ["key": server.keys["analyst"]!, "csrf": "forged"])
        #expect(forged.status == 403 && browser.cookies["readout_session"] == nil)
        let revoked = try await browser.signIn(server.keys["revoked"]!)
        #expect(revoked.status == 401)
        let tracker = try await browser.signIn(server.keys["tracker"]!)
        #expect(tracker.status == 403 && tracker.body.contains("has no pages"))
        // The right key: a session cookie (never the key), then where you were going.
        let form2 = try await browser.get("/login?next=/experiments%3Fstatus%3Drunning")
        let signed = try await browser.post("/login", form: ["key": server.keys["analyst"]!, "csrf": form2.field("csrf") ?? "", "next": form2.field("next") ?? ""])
        #expect(signed.status == 303 && signed.location == "/experiments?status=running")
        let cookie = try #require(browser.setCookies.last { $0.hasPrefix("readout_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && cookie.contains("Max-Age="))
        #expect(!cookie.contains("Secure"))  // plain HTTP on loopback; behind TLS it is Secure (below)
        #expect(!cookie.contains(server.keys["analyst"]!.suffix(48)))
        let list = try await browser.get("/experiments?status=running")
        #expect(list.status == 200 && list.count("experiment-row") == 5, "\(list.count("experiment-row"))")
        // An open redirect is not followed: only paths on this site.
        let elsewhere = try await browser.get("/login?next=//evil.example/")
        #expect(elsewhere.status == 303 && elsewhere.location == "/experiments")
        let tls = WebClient(base: server.base)
        let tlsForm = try await tls.get("/login")
        _ = try await tls.send("POST", "/login", body: Data("key=\(server.keys["analyst"]!)&csrf=\(tlsForm.field("csrf") ?? "")".utf8),
                               headers: ["Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https"])
        #expect(tls.setCookies.last { $0.hasPrefix("readout_session=") }?.contains("Secure") == true)
    }

    @Test("signing out ends the session on the server; a revoked key ends its sessions; forms need the session's token")
    func sessionsEnd() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        try await browser.signIn(server.keys["analyst"]!)
        let stolen = try #require(browser.cookies["readout_session"])
        let page = try await browser.get("/ask")
        #expect(page.status == 200)
        #expect(try await browser.post("/logout", form: ["csrf": "wrong"]).status == 403)
        #expect(try await browser.post("/logout", form: ["csrf": page.field("csrf") ?? ""]).location == "/login")
        // A copy of the old cookie is dead too.
        let thief = WebClient(base: server.base)
        thief.set("readout_session", stolen)
        #expect(try await thief.get("/experiments").status == 303)
        // Revoking the key ends the sessions it began, at the next page.
        let writer = try Connection(path: server.warehousePath)
        let doomed = try APIKeyStore(connection: writer).create(name: "doomed", role: "analyst").token
        let other = WebClient(base: server.base)
        try await other.signIn(doomed)
        #expect(try await other.get("/experiments").status == 200)
        try APIKeyStore(connection: writer).revoke("doomed")
        #expect(try await other.get("/experiments").location?.hasPrefix("/login") == true)
    }

    @Test("each role opens what it may, as over the API: the audit log is for auditors, rows follow row policies")
    func rolesDecidePages() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let expected: [String: [String: Int]] = [
            "analyst": ["/experiments": 200, "/ask": 200, "/audit": 403],
            "chat": ["/experiments": 200, "/ask": 200, "/audit": 403],
            "team_growth": ["/experiments": 200, "/ask": 200, "/audit": 403],
            "admin": ["/experiments": 200, "/ask": 403, "/audit": 403],
            "auditor": ["/experiments": 403, "/ask": 403, "/audit": 200],
        ]
        for (role, pages) in expected {
            let browser = WebClient(base: server.base)
            try await browser.signIn(server.keys[role]!)
            for (path, status) in pages {
                let page = try await browser.get(path)
                #expect(page.status == status, "\(role) \(path): \(page.status)")
                if status == 403 { #expect(page.body.contains("Not for your role") && page.header("Content-Type")?.hasPrefix("text/html") == true) }
            }
        }
        let growth = WebClient(base: server.base)
        try await growth.signIn(server.keys["team_growth"]!)
        let rows = try await growth.get("/experiments")
        #expect(rows.count("experiment-row") == 2 && rows.body.contains("exp_pricing_page") && rows.body.contains("exp_signup_flow"))
        #expect(try await growth.get("/experiments/exp_checkout_button").status == 404)
        // The auditor sees the log with its chain checked.
        let auditor = WebClient(base: server.base)
        _ = try await server.post("/api/query", key: server.keys["chat"], json: ["sql": "SELECT email FROM users"])
        try await auditor.signIn(server.keys["auditor"]!)
        let log = try await auditor.get("/audit?blocked=true")
        #expect(log.body.contains("Chain verified") && log.count("audit-row") >= 1 && log.body.contains("table_not_allowed"), "\(log.body.prefix(300))")
        let bad = try await auditor.get("/audit?since=yesterday-ish")
        #expect(bad.count("form-error") == 1 && bad.count("audit-row") == 0)
    }

    @Test("an experiment's page shows the engine's numbers, the same as the API's results")
    func detailNumbersAgreeWithTheAPI() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        try await browser.signIn(server.keys["analyst"]!)
        let page = try await browser.get("/experiments/exp_checkout_button")
        #expect(page.status == 200)
        for testID in ["participants", "significance", "verdict", "health", "commentary", "memo"] { #expect(page.count(testID) == 1, "\(testID)") }
        #expect(page.count("variant-card") == 2)
        let (_, results, _) = try await server.request("GET", "/api/experiments/exp_checkout_button/results", key: server.keys["analyst"])
        let arms = try #require(results["arms"] as? [[String: Any]])
        let users = arms.compactMap { $0["users"] as? Int }.reduce(0, +)
        #expect(page.body.contains("data-field=\"participants\">\(users.formatted())<"))
        let primary = try #require((results["comparisons"] as? [[String: Any]])?.first { $0["role"] as? String == "primary" })
        let p = try #require(primary["adjustedPValue"] as? Double)
        #expect(page.body.contains("data-field=\"p-value\">\(ReportFormat.p(p))<"), "p = \(p)")
        let verdict = try #require((results["decision"] as? [String: Any])?["verdict"] as? String)
        #expect(page.body.contains("data-field=\"verdict\">\(verdict)<"))
        // Charts are drawn on the server as SVG; the memo downloads as a file.
        #expect(page.body.contains("<svg") && page.body.contains("aria-label=\"Exposure rate by day\""))
        let memo = try await browser.get("/experiments/exp_checkout_button/memo?format=markdown")
        #expect(memo.status == 200 && memo.header("Content-Disposition")?.contains("attachment") == true && memo.body.hasPrefix("# "))
        #expect(try await browser.get("/experiments/exp_nope").status == 404)
        // The three-arm test's latency regression is in the guardrail chart, in the colour of its status.
        let (_, recs, _) = try await server.request("GET", "/api/experiments/exp_recs_model_v2/results", key: server.keys["analyst"])
        let latency = try #require((recs["guardrails"] as? [[String: Any]])?.first { $0["metric"] as? String == "latency_ms" && $0["variant"] as? String == "treatment_b" })
        let colour = ["severe": "#cf222e", "worsened": "#9a6700"][latency["status"] as? String ?? ""] ?? "#1a7f37"
        let three = try await browser.get("/experiments/exp_recs_model_v2")
        #expect(three.body.contains("aria-label=\"Guardrails: relative change with 95% intervals\"") && three.body.contains("latency_ms · treatment_b"))
        #expect(latency["status"] as? String != "ok" && three.body.contains("fill=\"\(colour)\""), "\(latency)")
    }

    @Test("admin's forms move an experiment and record a decision (audited, channel web); a refused move changes nothing")
    func adminForms() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let admin = WebClient(base: server.base)
        try await admin.signIn(server.keys["admin"]!)
        let page = try await admin.get("/experiments/exp_checkout_button")
        let csrf = try #require(page.field("csrf"))
        #expect(page.count("move-readout") == 1 && page.count("move-shipped") == 0)  // only the allowed moves
        let refused = try await admin.post("/experiments/exp_checkout_button/transition", form: ["csrf": csrf, "to": "shipped"])
        #expect(refused.status == 422 && refused.count("form-error") == 1 && refused.body.contains("cannot move to shipped"))
        #expect(try await admin.post("/experiments/exp_checkout_button/decision", form: ["csrf": "nope", "decision": "ship", "rationale": "x"]).status == 403)
        let decided = try await admin.post("/experiments/exp_checkout_button/decision", form: ["csrf": csrf, "decision": "ship", "rationale": "Primary up, guardrails flat."])
        #expect(decided.status == 303 && decided.location == "/experiments/exp_checkout_button?decided=ship")
        let after = try await admin.get(decided.location ?? "")
        #expect(after.count("flash") == 1 && after.body.contains("Primary up, guardrails flat."))
        let audit = try AuditLog(path: server.auditPath).entries()
        let entry = try #require(audit.last)
        #expect(entry.decision == .decisionRecorded && entry.channel == .web && entry.principal == "admin-key")
        // An analyst is shown no forms and may not post them.
        let analyst = WebClient(base: server.base)
        try await analyst.signIn(server.keys["analyst"]!)
        let view = try await analyst.get("/experiments/exp_checkout_button")
        #expect(view.count("decision-form") == 0)
        #expect(try await analyst.post("/experiments/exp_checkout_button/transition", form: ["csrf": view.field("csrf") ?? "", "to": "readout"]).status == 403)
    }

    @Test("a question asked on the page goes through the guard and is audited with channel web")
    func askPage() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        try await browser.signIn(server.keys["analyst"]!)
        let form = try await browser.get("/ask")
        let csrf = try #require(form.field("csrf"))
        let answered = try await browser.post("/ask", form: ["csrf": csrf, "question": "what is the lift on checkout button?"])
        #expect(answered.status == 200 && answered.count("answer-table") == 1 && answered.body.contains("In exp_checkout_button (ITT)"))
        let refused = try await browser.post("/ask", form: ["csrf": csrf, "question": "give me the emails of users in exp_checkout_button"])
        #expect(refused.body.contains("data-decision=\"blocked\"") && refused.body.contains("personal_data"))
        #expect(try await browser.post("/ask", form: ["csrf": "x", "question": "how many experiments?"]).status == 403)
        let entries = try AuditLog(path: server.auditPath).entries()
        #expect(entries.map(\.channel) == [.web, .web] && entries.map(\.principal) == ["analyst-key", "analyst-key"])
        #expect(entries.last?.question == "give me the emails of users in exp_checkout_button")
    }

    @Test("text people typed is escaped: a hostile experiment name is shown, never run")
    func hostileTextIsEscaped() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let name = "<script>window.pwned=1</script><img src=x onerror=alert(1)>"
        let (status, _, _) = try await server.post("/api/experiments", key: server.keys["admin"], json: [
            "experimentId": "exp_hostile", "name": name, "hypothesis": "\"><b>bold</b>", "primaryMetric": "conversion_7d", "owner": "team-<i>x</i>",
            "variants": [["id": "control", "allocation": 0.5, "isControl": true], ["id": "treatment", "allocation": 0.5]],
        ])
        #expect(status == 201)
        let admin = WebClient(base: server.base)
        try await admin.signIn(server.keys["admin"]!)
        for path in ["/experiments", "/experiments/exp_hostile"] {
            let page = try await admin.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(page.body.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), "\(path)")
            #expect(!page.body.contains("<script>window") && !page.body.contains("<img src=x") && !page.body.contains("<b>bold") && !page.body.contains("<i>x"))
        }
    }

    @Test("the live stream sends the page's numbers, then new ones after a refresh; Last-Event-ID skips what the page has")
    func liveStream() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        try await browser.signIn(server.keys["analyst"]!)
        let cookie = "readout_session=\(browser.cookies["readout_session"] ?? "")"
        let url = URL(string: server.base + "/experiments/exp_checkout_button/live")!
        func live(lastEventID: String? = nil, until: String) async throws -> StreamReader.Reply {
            var request = URLRequest(url: url)
            request.timeoutInterval = 30
            request.setValue(cookie, forHTTPHeaderField: "Cookie")
            if let lastEventID { request.setValue(lastEventID, forHTTPHeaderField: "Last-Event-ID") }
            return try await StreamReader.read(request, until: until)
        }
        let first = try await live(until: "\"participants\"")
        #expect(first.status == 200 && first.header("Content-Type") == "text/event-stream" && first.body.contains("event: results"), "\(first.body.prefix(200))")
        #expect(first.body.contains("id: 0\n"))
        // The page already has run 0: nothing until something changes; then the refresh's event.
        async let next = live(lastEventID: "0", until: "id: 7\n")
        for _ in 0..<200 where await server.live.watching == 0 { try await Task.sleep(for: .milliseconds(20)) }
        await server.live.refreshed(run: 7, experiments: ["exp_pricing_page"])  // another experiment: not sent
        await server.live.refreshed(run: 7, experiments: ["exp_checkout_button"])
        let second = try await next
        #expect(second.body.components(separatedBy: "event: results").count == 2, "\(second.body.prefix(300))")
        // Another role's experiment is refused before any stream opens.
        let growth = WebClient(base: server.base)
        try await growth.signIn(server.keys["team_growth"]!)
        #expect(try await growth.get("/experiments/exp_checkout_button/live").status == 404)
    }

    @Test("the intake form shows every problem inline and creates nothing until it is valid")
    func intakeForm() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let admin = WebClient(base: server.base)
        try await admin.signIn(server.keys["admin"]!)
        let form = try await admin.get("/experiments/new")
        #expect(form.status == 200 && form.count("intake-form") == 1)
        let csrf = try #require(form.field("csrf"))
        let count = { try await server.request("GET", "/api/experiments", key: server.keys["admin"]).1["experiments"] as? [Any] }
        let before = try await count()?.count ?? 0
        let empty = try await admin.post("/experiments/new", form: ["csrf": csrf, "name": "", "hypothesis": "", "owner": "team-x", "primaryMetric": "conversion_7d",
                                                                    "variant_id_1": "control", "allocation_1": "0.5", "variant_id_2": "treatment", "allocation_2": "lots"])
        #expect(empty.status == 422 && empty.count("form-error") == 3, "\(empty.count("form-error"))")
        #expect(empty.body.contains("Name: required.") && empty.body.contains("(got lots)") && empty.body.contains("value=\"team-x\""))
        let sums = try await admin.post("/experiments/new", form: ["csrf": csrf, "name": "Copy test", "hypothesis": "Shorter copy converts better.", "owner": "team-x",
                                                                   "primaryMetric": "conversion_7d", "variant_id_1": "control", "allocation_1": "0.6", "variant_id_2": "treatment", "allocation_2": "0.6"])
        #expect(sums.status == 422 && sums.body.contains("add up to 1"))
        #expect(try await count()?.count == before)
        let made = try await admin.post("/experiments/new", form: ["csrf": csrf, "name": "Copy test", "hypothesis": "Shorter copy converts better.", "owner": "team-x",
                                                                   "primaryMetric": "conversion_7d", "variant_id_1": "control", "allocation_1": "0.5", "variant_id_2": "short", "allocation_2": "0.5"])
        #expect(made.status == 303 && made.location == "/experiments/exp_copy_test?created=1")
        #expect(try await count()?.count == before + 1)
        // Not for other roles, and not without the session's token.
        #expect(try await admin.post("/experiments/new", form: ["csrf": "x", "name": "y"]).status == 403)
        let analyst = WebClient(base: server.base)
        try await analyst.signIn(server.keys["analyst"]!)
        #expect(try await analyst.get("/experiments/new").status == 403)
    }

    @Test("an uploaded results export gets the same analysis page; a malformed one says which row and column")
    func analyzeUpload() async throws {
        let server = try await Harness()
        defer { server.stop() }
        let browser = WebClient(base: server.base)
        try await browser.signIn(server.keys["analyst"]!)
        let form = try await browser.get("/analyze")
        let csrf = try #require(form.field("csrf"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let good = try Data(contentsOf: root.appendingPathComponent("fixtures/analysis/checkout_export.csv"))
        let page = try await browser.upload("/analyze", fields: ["csrf": csrf], file: ("file", "checkout_export.csv", good))
        #expect(page.status == 200 && page.count("variant-card") == 2 && page.count("verdict") == 1 && page.count("uploaded") == 1, "\(page.status)")
        #expect(page.body.contains("data-field=\"participants\">34,139<"))  // 17,071 + 17,068, as the file says
        #expect(!page.body.contains("data-experiment="))  // no live stream for a file
        let broken = try Data(contentsOf: root.appendingPathComponent("fixtures/analysis/broken_export.csv"))
        let refused = try await browser.upload("/analyze", fields: ["csrf": csrf], file: ("file", "broken_export.csv", broken))
        #expect(refused.status == 422 && refused.count("form-error") == 1 && refused.body.contains("row 3") && refused.body.contains("1200 exceeds users (1000)"), "\(refused.body.prefix(800))")
        #expect(try await browser.upload("/analyze", fields: ["csrf": "nope"], file: ("file", "x.csv", good)).status == 403)
    }
}
