/// Rewrites a deterministic readout in friendlier words (an LLM). Its text is
/// data: the gateway accepts it only if every number in it is grounded in the
/// rows or the deterministic readout.
public protocol ReadoutPolisher: Sendable {
    /// Whether result rows may be sent (`llm.share_rows`); otherwise only the
    /// deterministic readout and the result's shape are.
    var sharesRows: Bool { get }
    func polish(question: String, readout: String, columns: [String], rowCount: Int, rows: [[String]]?) async -> Result<String, PolishFailure>
}

public struct PolishFailure: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
