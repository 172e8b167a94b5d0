public import Gateway
import Governance

/// `/ask`: the question box, and the Gateway's answer to it — the readout, the guard's reasons
/// when it refused, the SQL that ran and the rows.
public struct AskView {
    public var question: String
    public var answer: Answer?
    /// Rows shown on the page; the rest are counted, not drawn.
    public static let rowLimit = 200

    public init(question: String = "", answer: Answer? = nil) {
        self.question = question
        self.answer = answer
    }

    public func context() -> [String: Any] {
        var context: [String: Any] = ["question": question]
        if let answer {
            let rows = answer.rows.prefix(Self.rowLimit).map { row in ["cells": row.map { $0.string ?? "" }] }
            context["answer"] = [
                "readout": answer.readout, "decision": answer.outcome.rawValue,
                "reasons": answer.reasons.map { ["code": $0.code.rawValue, "message": $0.message] },
                "suggestions": answer.suggestions, "sql": (answer.sqlExecuted ?? answer.sql) as Any,
                "auditId": answer.auditId.map { String($0) } ?? "—",
                "columns": answer.columns, "rows": Array(rows), "hasRows": !rows.isEmpty,
                "truncated": answer.truncated || answer.rows.count > Self.rowLimit,
            ] as [String: Any]
        }
        return context
    }
}
