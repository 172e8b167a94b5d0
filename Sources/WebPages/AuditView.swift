public import Governance

/// `/audit` (auditors only): entries oldest first, a page at a time, with the filters applied, and whether the hash
/// chain verifies.
public struct AuditView {
    public var entries: [AuditEntry]
    public var verification: AuditVerification?
    public var verificationError: String?
    public var filter: [String: String]
    public var filterError: String?
    /// The link to the next (older) page, when there is one.
    public var more: String?

    public init(entries: [AuditEntry], verification: AuditVerification?, verificationError: String?, filter: [String: String], filterError: String?, more: String?) {
        self.entries = entries
        self.verification = verification
        self.verificationError = verificationError
        self.filter = filter
        self.filterError = filterError
        self.more = more
    }

    public func context() -> [String: Any] {
        let chain: String
        let chainClass: String
        if let verification, verification.ok {
            chain = "Chain verified: \(verification.entries) entries, each linked to the one before\(verification.head.map { "; head \($0.description)" } ?? "")."
            chainClass = "flash"
        } else if let verification {
            chain = "Chain broken at entry \(verification.firstBrokenID.map(String.init) ?? "?"): \(verification.problem ?? "hash mismatch")."
            chainClass = "form-error"
        } else {
            chain = "The chain could not be checked: \(verificationError ?? "no audit log")."
            chainClass = "form-error"
        }
        var context: [String: Any] = [
            "chain": chain, "chainClass": chainClass,
            "entries": entries.map { entry -> [String: Any] in
                [
                    "id": String(entry.id), "timestamp": entry.timestamp, "principal": entry.principal, "role": entry.role,
                    "channel": entry.channel.rawValue, "question": entry.question ?? "", "sql": entry.sqlExecuted ?? entry.sqlReceived ?? "",
                    "decision": entry.decision.rawValue, "codes": entry.reasonCodes.joined(separator: ", "),
                ]
            },
            "hasEntries": !entries.isEmpty,
            "blocked": filter["blocked"] == "true", "principal": filter["principal"] ?? "", "code": filter["code"] ?? "", "since": filter["since"] ?? "",
        ]
        if let filterError { context["filterError"] = filterError }
        if let more {
            context["more"] = more
            context["pageSize"] = String(entries.count)
        }
        return context
    }
}
