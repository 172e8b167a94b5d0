import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A browser's HTTP side for the page tests: keeps its own cookies, sends forms, and does not
/// follow redirects (the tests read where they point).
final class WebClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    struct Page {
        let status: Int
        let headers: [String: String]
        let body: String
        var location: String? { header("Location") }
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        /// The value of the first `<input name="NAME" value="…">` (the form's hidden fields).
        func field(_ name: String) -> String? {
            guard let range = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return body[range.upperBound...].prefix { $0 != "\"" }.description
        }
        func count(_ testID: String) -> Int { body.components(separatedBy: "data-testid=\"\(testID)\"").count - 1 }
    }

    let base: String
    private(set) var cookies: [String: String] = [:]
    /// Every Set-Cookie line received, for the attribute checks.
    private(set) var setCookies: [String] = []
    private var session: URLSession!

    init(base: String) {
        self.base = base
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Page {
        try await send("GET", path, body: nil, headers: headers)
    }

    func post(_ path: String, form: [String: String]) async throws -> Page {
        var components = URLComponents()
        components.queryItems = form.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send("POST", path, body: Data(body.utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    /// A file upload form: `fields` and one file, as `multipart/form-data`.
    func upload(_ path: String, fields: [String: String], file: (field: String, name: String, data: Data)) async throws -> Page {
        let boundary = "readout-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await send("POST", path, body: body, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
    }

    func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Page {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        if !cookies.isEmpty { request.setValue(cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        // Several Set-Cookie lines may arrive folded into one, comma-joined.
        if let line = fields.first(where: { $0.key.lowercased() == "set-cookie" })?.value {
            for cookie in line.components(separatedBy: ", readout_").enumerated().map({ $0.offset == 0 ? $0.element : "readout_" + $0.element }) {
                setCookies.append(cookie)
                let pair = cookie.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else { continue }
                if parts[1].isEmpty || cookie.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
            }
        }
        return Page(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    /// Signs in with `key` through the form, as a person would; returns where it sent them.
    @discardableResult
    func signIn(_ key: String) async throws -> Page {
        let form = try await get("/login")
        return try await post("/login", form: ["key": key, "csrf": form.field("csrf") ?? ""])
    }

    func forget(_ cookie: String) { cookies[cookie] = nil }
    func set(_ cookie: String, _ value: String) { cookies[cookie] = value }
}
