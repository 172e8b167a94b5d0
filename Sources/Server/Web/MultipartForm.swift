import Foundation
import Hummingbird

/// A `multipart/form-data` body (a file upload form): each part's field name, file name and bytes.
struct MultipartForm {
    struct Part {
        var name: String
        var fileName: String?
        var data: Data
    }

    var parts: [Part]

    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    static func read(_ request: Request, context: ServerContext) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = type.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), !boundary.isEmpty else {
            throw APIError.badRequest("body", "send the form as multipart/form-data (the page's upload form does).")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return try parse(Data(buffer.readableBytesView), boundary: boundary)
    }

    static func parse(_ body: Data, boundary: String) throws -> MultipartForm {
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        var cursor = body.startIndex
        guard let first = body.range(of: delimiter, in: cursor..<body.endIndex) else { throw APIError.badRequest("body", "no form parts found.") }
        cursor = first.upperBound
        while let next = body.range(of: delimiter, in: cursor..<body.endIndex) {
            var chunk = body[cursor..<next.lowerBound]
            cursor = next.upperBound
            if chunk.starts(with: Data("\r\n".utf8)) { chunk = chunk.dropFirst(2) }
            if chunk.count >= 2, chunk.suffix(2) == Data("\r\n".utf8) { chunk = chunk.dropLast(2) }
            guard let split = chunk.range(of: headerEnd) else { continue }
            let headers = String(decoding: chunk[chunk.startIndex..<split.lowerBound], as: UTF8.self)
            guard let disposition = headers.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { continue }
            func attribute(_ key: String) -> String? {
                guard let range = disposition.range(of: "\(key)=\"") else { return nil }
                return String(disposition[range.upperBound...].prefix { $0 != "\"" })
            }
            guard let name = attribute("name") else { continue }
            parts.append(Part(name: name, fileName: attribute("filename"), data: Data(chunk[split.upperBound...])))
        }
        return MultipartForm(parts: parts)
    }
}
