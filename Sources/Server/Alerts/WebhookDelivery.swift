import Crypto
public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import Gateway
import Logging

/// Posts each new alert to every configured webhook: a Slack-compatible `{"text": …}` body with the
/// alert's fields beside it, signed with HMAC-SHA256 when a secret is set
/// (`X-Readout-Signature: sha256=<hex of HMAC(secret, body)>`). Each post runs on its own task and
/// is retried with backoff (1, 2, 4 s), so a slow or failing receiver never holds up a refresh. Logs
/// name only the receiver's host: a webhook URL often carries a secret in its path.
public struct WebhookDelivery: Sendable {
    public var urls: [URL]
    var secret: String?
    var attempts: Int
    var firstDelay: Duration

    public init(urls: [URL], secret: String?, attempts: Int = 4, firstDelay: Duration = .seconds(1)) {
        self.urls = urls
        self.secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
    }

    /// Starts delivering `alerts`; returns at once.
    public func send(_ alerts: [RecordedAlert]) {
        for alert in alerts {
            guard let body = try? Self.body(alert) else { continue }
            for url in urls {
                Task.detached { await deliver(body, alertID: alert.id, to: url) }
            }
        }
    }

    static func body(_ alert: RecordedAlert) throws -> Data {
        let object: [String: Any] = [
            "text": "Readout alert (\(alert.kind)): \(alert.message)",
            "alert": ["id": alert.id, "experiment_id": alert.experimentID, "kind": alert.kind, "message": alert.message,
                      "details": alert.details, "created_at": alert.createdAt] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
    public static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func deliver(_ body: Data, alertID: Int64, to url: URL) async {
        var logger = Logger(label: "readout.alerts")
        logger.logLevel = .info
        let host = url.host ?? "?"
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = 10
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("alert", forHTTPHeaderField: "X-Readout-Event")
        request.setValue(String(alertID), forHTTPHeaderField: "X-Readout-Alert-Id")
        if let secret { request.setValue(Self.signature(body, secret: secret), forHTTPHeaderField: "X-Readout-Signature") }
        var delay = firstDelay
        for attempt in 1...attempts {
            let status = (try? await URLSession.shared.data(for: request).1 as? HTTPURLResponse)?.statusCode
            if let status, (200..<300).contains(status) {
                logger.info("alert delivered", metadata: ["alert_id": "\(alertID)", "host": "\(host)", "attempt": "\(attempt)"])
                return
            }
            logger.warning("alert delivery failed", metadata: ["alert_id": "\(alertID)", "host": "\(host)", "attempt": "\(attempt)", "status": "\(status.map(String.init) ?? "no answer")"])
            if attempt < attempts {
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }
}
