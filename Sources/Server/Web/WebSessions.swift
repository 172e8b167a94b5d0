import Foundation
import Governance

/// Signed-in browser sessions, kept on the server: the cookie carries only a random id. A session
/// ends on sign-out (removed here, so a copied cookie is dead too), when it expires, or when its
/// key is revoked (each page re-checks the key). Never holds the key's secret.
actor WebSessions {
    struct Session: Sendable {
        let id: String
        let keyID: String
        /// The token every form of this session carries (compared in constant time).
        let csrf: String
        let expires: ContinuousClock.Instant
    }

    let lifetime: Duration
    let limit: Int
    private var sessions: [String: Session] = [:]

    init(lifetime: Duration = .seconds(8 * 3600), limit: Int = 10_000) {
        self.lifetime = lifetime
        self.limit = limit
    }

    func begin(keyID: String) -> Session {
        expire()
        if sessions.count >= limit, let oldest = sessions.values.min(by: { $0.expires < $1.expires }) { sessions[oldest.id] = nil }
        let session = Session(id: Self.token(), keyID: keyID, csrf: Self.token(), expires: .now + lifetime)
        sessions[session.id] = session
        return session
    }

    func find(_ id: String) -> Session? {
        guard let session = sessions[id] else { return nil }
        guard session.expires > .now else {
            sessions[id] = nil
            return nil
        }
        return session
    }

    func end(_ id: String) { sessions[id] = nil }

    private func expire() {
        let now = ContinuousClock.now
        sessions = sessions.filter { $0.value.expires > now }
    }

    /// 32 random bytes from the system's secure generator, as hex.
    static func token() -> String { APIKeyStore.randomHex(bytes: 32) }

    static func same(_ a: String, _ b: String) -> Bool { APIKeyStore.constantTimeEqual(a, b) }
}
