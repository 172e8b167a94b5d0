import Foundation
import Gateway
import Governance
import Hummingbird

/// The HTTP status and body of an answer (`/api/ask`, `/api/query`). An approved answer, or
/// a question the planner could not map (`not_planned`, which says what it understood), is
/// 200 with the answer. Everything else has the documented error shape, with the answer beside it:
///
///     {"error": {"code", "message", "details": {"reasons": [{code, message}]}}, "answer": {…}}
///
/// `blocked` → 403; a SQL syntax error → 400 `syntax_error`; a query stopped at its time limit →
/// 422 `timeout` (the request was fine; repeating it unchanged will time out again, so not 408 or 5xx);
/// any other failed query → 400 `query_failed`;
/// an audit log that cannot be written → 503 `audit_unavailable` (nothing is answered); every reader
/// busy and the line full → 503 `busy` with `Retry-After` (nothing was run).
enum AnswerResponse {
    static func response(_ answer: Answer) -> Response {
        let status: HTTPResponse.Status
        let code: String
        switch answer.outcome {
        case .approved, .notPlanned:
            return JSON.response(answer)
        case .blocked:
            let syntaxOnly = !answer.reasons.isEmpty && answer.reasons.allSatisfy { $0.code == .syntaxError }
            (status, code) = syntaxOnly ? (.badRequest, "syntax_error") : (.forbidden, "blocked")
        case .error where answer.reasons.contains { $0.code == .timeout }:
            (status, code) = (.unprocessableContent, "timeout")
        case .error:
            (status, code) = (.badRequest, "query_failed")
        case .auditUnavailable:
            (status, code) = (.serviceUnavailable, "audit_unavailable")
        case .busy:
            (status, code) = (.serviceUnavailable, "busy")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let answerObject = (try? encoder.encode(answer)).flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? [String: Any]()
        let reasons = answer.reasons.map { ["code": $0.code.rawValue, "message": $0.message] }
        let body: [String: Any] = [
            "error": ["code": code, "message": answer.readout, "details": ["reasons": reasons]] as [String: Any],
            "answer": answerObject,
        ]
        var response = JSON.response(object: body, status: status)
        if let seconds = answer.retryAfter { response.headers[.retryAfter] = String(seconds) }
        return response
    }
}
