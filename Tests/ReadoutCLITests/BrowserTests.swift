import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Crypto
import Testing

/// The pages in a real browser: Debian's Chromium, headless, driven over WebDriver against
/// `readout serve` on an ephemeral port. `.ci/run` installs chromium and chromium-driver.
/// Screenshots of each page go to `$TMPDIR/readout-screenshots/` and their paths are printed.
@Suite("Pages in a real browser", .serialized, .enabled(if: WebDriver.available, "needs chromium and chromium-driver (apt)"))
struct BrowserTests {
    let cli = CLITests()

    static let screenshots: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("readout-screenshots")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    struct Site {
        let server: Child
        let base: String
        let keys: [String: String]
    }

    func start(extra: [String] = [], secret: String? = nil) throws -> Site {
        let dir = try cli.scratch()
        let db = dir.appendingPathComponent("w.db").path
        var env = ["READOUT_DB": db, "READOUT_AUDIT_DB": dir.appendingPathComponent("audit.db").path]
        #expect(try cli.run(["demo", "--db", db, "--users", "2000"]).status == 0)
        var keys: [String: String] = [:]
        for role in ["analyst", "chat", "auditor", "admin", "tracker"] {
            keys[role] = try cli.run(["keys", "create", "--role", role, "--name", "\(role)-browser"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let secret { env["READOUT_ALERT_SECRET"] = secret }
        let (server, base) = try ServeCLITests().start(env, extra: ["--refresh-every", "1"] + extra)
        return Site(server: server, base: base, keys: keys)
    }

    func post(_ site: Site, _ path: String, key: String, json: [String: Any]) async throws -> Int {
        var request = URLRequest(url: URL(string: site.base + path)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        return (try await URLSession.shared.data(for: request).1 as? HTTPURLResponse)?.statusCode ?? 0
    }

    func shoot(_ browser: WebDriver, _ name: String) async throws {
        print("screenshot: \(try await browser.screenshot(name, in: Self.screenshots))")
    }

    @Test("sign in, the list, an experiment whose numbers update live after tracked events, ask, and the audit log by role")
    func pagesInChromium() async throws {
        let site = try start()
        defer { site.server.stop() }
        let browser = try await WebDriver()
        do {
            try await browser.signIn(site.base, key: site.keys["analyst"]!)
            #expect(try await browser.url.hasSuffix("/experiments"))
            #expect(try await browser.elements("[data-testid=experiment-row]").count == 8)
            try await shoot(browser, "experiments")

            try await browser.open(site.base + "/experiments/exp_checkout_button")
            #expect(try await browser.elements("[data-testid=variant-card]").count == 2)
            #expect(try await browser.elements("[data-testid=significance] meter").count == 1)
            let before = try await browser.text("[data-field=participants]")
            try await shoot(browser, "experiment")
            // Mark this page; a reload would lose the mark.
            _ = try await browser.script("window.readoutMark = 42; return true;")
            for index in 0..<5 {
                let status = try await post(site, "/api/track", key: site.keys["tracker"]!, json: [
                    "experimentId": "exp_checkout_button", "variantId": index % 2 == 0 ? "control" : "treatment",
                    "userKey": "browser-\(index)", "eventType": "exposure",
                ])
                #expect(status == 200)
            }
            // A refresh may take some of the events and the next one the rest: wait for all five.
            let expected = (Int(before.filter(\.isNumber)) ?? 0) + 5
            var after = before
            for _ in 0..<240 where Int(after.filter(\.isNumber)) != expected {
                try await Task.sleep(for: .milliseconds(250))
                after = try await browser.text("[data-field=participants]")
            }
            #expect(Int(after.filter(\.isNumber)) == expected, "\(before) → \(after)")
            #expect(try await browser.script("return window.readoutMark;") as? Int == 42, "the page reloaded")
            // Every place the number shows moved together: the card and the comparison table agree.
            #expect(try await browser.text("[data-field=rate-control]") == (try await browser.text("[data-field=cmp-conversion_7d-treatment-control]")))
            // The demo's build and this refresh are two points: the lift-over-time line is drawn in place.
            for _ in 0..<40 where try await browser.elements("[data-chart=lift] svg").isEmpty { try await Task.sleep(for: .milliseconds(250)) }
            #expect(try await browser.elements("[data-chart=lift] svg polyline").count == 1)
            try await shoot(browser, "experiment-live")

            try await browser.open(site.base + "/ask")
            try await browser.type("input[name=question]", "what is the lift on checkout button?")
            try await browser.click("form[data-testid=ask-form] button")
            try await browser.wait(for: "[data-testid=readout]")
            #expect(try await browser.text("[data-testid=readout]").hasPrefix("In exp_checkout_button (ITT)"))
            try await shoot(browser, "ask")

            // A results export, uploaded through the file field, gets the same analysis page.
            try await browser.open(site.base + "/analyze")
            try await browser.type("input[type=file]", CLITests.repositoryRoot.appendingPathComponent("fixtures/analysis/checkout_export.csv").path)
            try await browser.click("form[data-testid=analyze-form] button")
            try await browser.wait(for: "[data-testid=uploaded]")
            #expect(try await browser.elements("[data-testid=variant-card]").count == 2)
            #expect(try await browser.text("[data-testid=verdict] [data-field=verdict]").isEmpty == false)
            try await shoot(browser, "analyze")

            // The audit log: refused to a chat key, shown to an auditor key.
            try await browser.signOut()
            try await browser.signIn(site.base, key: site.keys["chat"]!)
            try await browser.open(site.base + "/audit")
            #expect(try await browser.text("h1") == "Not for your role")
            try await shoot(browser, "audit-refused")
            try await browser.signOut()
            try await browser.signIn(site.base, key: site.keys["auditor"]!)
            #expect(try await browser.url.hasSuffix("/audit"))
            // The question asked on the page, with who asked it and through which face.
            #expect(try await browser.elements("[data-testid=audit-row]").count == 1)
            #expect(try await browser.text("[data-testid=audit-row]").contains("analyst-browser"))
            #expect(try await browser.text("[data-testid=audit-row] td:nth-child(4)") == "web")
            #expect(try await browser.text("[data-testid=chain]").hasPrefix("Chain verified"))
            try await shoot(browser, "audit")
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }

    @Test("a hostile experiment name is shown as text and never runs")
    func hostileNameDoesNotExecute() async throws {
        let site = try start()
        defer { site.server.stop() }
        let name = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2;alert(2)\">"
        #expect(try await post(site, "/api/experiments", key: site.keys["admin"]!, json: [
            "experimentId": "exp_hostile", "name": name, "hypothesis": "<svg onload=alert(3)>", "primaryMetric": "conversion_7d", "owner": "team-x",
            "variants": [["id": "control", "allocation": 0.5, "isControl": true], ["id": "treatment", "allocation": 0.5]],
        ]) == 201)
        let browser = try await WebDriver()
        do {
            try await browser.signIn(site.base, key: site.keys["admin"]!)
            for path in ["/experiments", "/experiments/exp_hostile"] {
                try await browser.open(site.base + path)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await !browser.alertOpen(), "\(path)")
                #expect(try await browser.script("return typeof window.pwned;") as? String == "undefined", "\(path)")
            }
            #expect(try await browser.text("h1").contains("<script>window.pwned=1</script>"))
            try await shoot(browser, "hostile")
            // The intake form: errors shown inline, nothing created.
            try await browser.open(site.base + "/experiments/new")
            try await browser.type("input[name=name]", "Half a form")
            try await browser.type("textarea[name=hypothesis]", "Something improves.")
            try await browser.type("input[name=owner]", "team-x")
            _ = try await browser.script("document.querySelector('input[name=allocation_2]').value = 'half'; return true;")
            try await browser.click("form[data-testid=intake-form] button")
            try await browser.wait(for: "[data-testid=form-error]")
            #expect(try await browser.elements("[data-testid=form-error]").count == 1)
            #expect(try await browser.text("[data-testid=form-error]").contains("(got half)"))
            #expect(try await browser.script("return document.querySelector('input[name=name]').value;") as? String == "Half a form")
            try await shoot(browser, "intake-errors")
            try await browser.open(site.base + "/experiments")
            #expect(try await browser.elements("[data-testid=experiment-row]").count == 9)
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }

    @Test("a sample-ratio mismatch is posted to the webhook, signed, once, and shown on the experiment's page and under Alerts")
    func srmAlertReachesTheWebhookAndThePage() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let secret = "test-signing-secret"
        let site = try start(extra: ["--alert-webhook", receiver.url], secret: secret)
        defer { site.server.stop() }
        // 600 more users in control only: the arms no longer match their 50/50 plan.
        let events: [[String: Any]] = (0..<600).map { ["experimentId": "exp_checkout_button", "variantId": "control", "userKey": "skew-\($0)", "eventType": "exposure"] }
        #expect(try await post(site, "/api/track/batch", key: site.keys["tracker"]!, json: ["events": events]) == 200)
        // (The first check may also find other conditions, e.g. weeks without events elsewhere.)
        func srm(_ delivery: WebhookReceiver.Delivery) -> Bool {
            let alert = delivery.json["alert"] as? [String: Any]
            return alert?["experiment_id"] as? String == "exp_checkout_button" && alert?["kind"] as? String == "srm"
        }
        var alert: WebhookReceiver.Delivery?
        for _ in 0..<240 where alert == nil {
            try await Task.sleep(for: .milliseconds(250))
            alert = receiver.deliveries.first(where: srm)
        }
        let delivery = try #require(alert, "no alert for exp_checkout_button reached the webhook: \(receiver.deliveries.map { String(decoding: $0.body, as: UTF8.self) })")
        let fields = try #require(delivery.json["alert"] as? [String: Any])
        #expect(fields["kind"] as? String == "srm")
        #expect((delivery.json["text"] as? String)?.contains("sample-ratio mismatch") == true)
        // The signature is HMAC-SHA256 of the body under the secret; the secret itself is never sent.
        let mac = HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Data(secret.utf8)))
        #expect(delivery.headers["x-readout-signature"] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
        #expect(!String(decoding: delivery.body, as: UTF8.self).contains(secret))
        // Recorded once: later refreshes do not post it again.
        try await Task.sleep(for: .seconds(3))
        #expect(receiver.deliveries.filter(srm).count == 1)

        let browser = try await WebDriver()
        do {
            try await browser.signIn(site.base, key: site.keys["analyst"]!)
            try await browser.open(site.base + "/experiments/exp_checkout_button")
            #expect(try await browser.elements("[data-testid=alert][data-kind=srm]").count == 1)
            #expect(try await browser.text("[data-testid=alert][data-kind=srm]").contains("sample-ratio mismatch"))
            try await shoot(browser, "experiment-alert")
            try await browser.open(site.base + "/alerts")
            #expect(try await browser.elements("[data-testid=alert][data-kind=srm]").count >= 1)
            try await shoot(browser, "alerts")
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }
}
