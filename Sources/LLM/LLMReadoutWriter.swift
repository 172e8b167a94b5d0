public import Foundation
import Mustache
public import Planner

/// The optional LLM readout: the model rewrites the deterministic readout. Rows are
/// sent only when `share_rows` is on; the gateway's grounding check decides whether
/// the text is used.
public struct LLMReadoutWriter: ReadoutPolisher {
    let client: any LLMClient
    let library: MustacheLibrary
    public let sharesRows: Bool

    public init(client: any LLMClient, promptDirectory: URL, sharesRows: Bool) throws(LLMError) {
        var library = MustacheLibrary()
        for name in ["readout_system", "readout_user"] {
            let url = promptDirectory.appendingPathComponent("\(name).mustache")
            do { try library.register(try String(contentsOf: url, encoding: .utf8), named: name) } catch {
                throw LLMError(.configuration, "Cannot load the prompt template \(url.path): \(error)")
            }
        }
        self.client = client
        self.library = library
        self.sharesRows = sharesRows
    }

    public func polish(question: String, readout: String, columns: [String], rowCount: Int, rows: [[String]]?) async -> Result<String, PolishFailure> {
        let object: [String: Any] = [
            "question": question, "readout": readout, "rowCount": rowCount, "columns": columns.joined(separator: ", "),
            "rows": (rows ?? []).map { $0.joined(separator: " | ") },
        ]
        let system = library.render([String: Any](), withTemplate: "readout_system") ?? ""
        let user = library.render(object, withTemplate: "readout_user") ?? readout
        do {
            let text = try await client.complete(system: system, user: user)
            return .success(text)
        } catch {
            return .failure(PolishFailure(error.description))
        }
    }
}
