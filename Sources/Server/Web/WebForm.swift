import Foundation
import Hummingbird

/// An HTML form's fields (`application/x-www-form-urlencoded`), read with a size limit.
struct WebForm {
    var fields: [String: String]

    subscript(_ name: String) -> String? { fields[name] }

    static func read(_ request: Request, context: ServerContext) async throws -> WebForm {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return WebForm(fields: parse(String(decoding: buffer.readableBytesView, as: UTF8.self)))
    }

    /// `a=1&b=x+y%21` → ["a": "1", "b": "x y!"]; the first value of a repeated name wins.
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
