import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ReadoutTesting
import Testing

/// A W3C WebDriver client for Debian's chromium-driver: one headless Chromium session driven over
/// HTTP on loopback, as Selenium would drive it.
final class WebDriver: @unchecked Sendable {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = "/usr/bin/chromium"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: driverPath) && FileManager.default.isExecutableFile(atPath: browserPath) }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let driver: Child
    let base: String
    private(set) var session = ""

    /// Starts chromedriver on a free loopback port and opens a browser session.
    init() async throws {
        let port = try LoopbackPort.free()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.driverPath)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        // Chromium leaves its org.chromium.Chromium.* singleton folders in the temp folder: give
        // it one inside the test scratch folder, which is removed when the tests end.
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": TestScratch.directory("chromium").path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        driver = Child(process)
        try driver.run()
        base = "http://127.0.0.1:\(port)"
        var ready = false
        var problem = "no answer"
        for _ in 0..<100 where !ready {
            do {
                let status = try await call("GET", "/status") as? [String: Any]
                ready = (status?["ready"] as? NSNumber)?.boolValue == true
                problem = "status \(String(describing: status))"
            } catch {
                problem = "\(error)"
            }
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard ready else {
            driver.stop(grace: 2)
            throw Failure(description: "chromedriver did not become ready on port \(port): \(problem)")
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": Self.browserPath, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2000"]],
        ]]]
        let created = try await call("POST", "/session", capabilities) as? [String: Any]
        guard let id = created?["sessionId"] as? String else {
            driver.stop(grace: 2)
            throw Failure(description: "chromedriver opened no session: \(String(describing: created))")
        }
        session = id
    }

    /// Closes the browser and stops the driver.
    func quit() async {
        _ = try? await call("DELETE", "/session/\(session)")
        driver.stop(grace: 5)
    }


    /// One WebDriver command; its `value`. Over a plain socket: chromedriver writes header lines
    /// without a space after the colon, which FoundationNetworking's URLSession refuses.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        guard let port = Int(base.split(separator: ":").last ?? "") else { throw Failure(description: "bad driver address \(base)") }
        let (status, data) = try await RawHTTP.perform(port: port, method: method, path: path, body: payload)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let value = object?["value"]
        if status != 200 {
            let error = (value as? [String: Any]).map { "\($0["error"] ?? ""): \($0["message"] ?? "")" } ?? "\(String(describing: object))"
            throw Failure(description: "\(method) \(path): \(error)")
        }
        return value
    }

    func open(_ url: String) async throws { try await call("POST", "/session/\(session)/url", ["url": url]) }

    var url: String { get async throws { try await call("GET", "/session/\(session)/url") as? String ?? "" } }

    func elements(_ css: String) async throws -> [String] {
        let found = try await call("POST", "/session/\(session)/elements", ["using": "css selector", "value": css]) as? [[String: String]] ?? []
        return found.compactMap(\.values.first)
    }

    func element(_ css: String) async throws -> String {
        guard let first = try await elements(css).first else { throw Failure(description: "no element matches \(css)") }
        return first
    }

    /// Waits (up to 15 s) for an element to appear, as after a form's submission.
    func wait(for css: String) async throws {
        for _ in 0..<150 where try await elements(css).isEmpty { try await Task.sleep(for: .milliseconds(100)) }
    }

    func text(_ css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await element(css))/text") as? String ?? ""
    }

    func type(_ css: String, _ text: String) async throws {
        try await call("POST", "/session/\(session)/element/\(try await element(css))/value", ["text": text])
    }

    func click(_ css: String) async throws {
        try await call("POST", "/session/\(session)/element/\(try await element(css))/click", [:])
    }

    func script(_ source: String) async throws -> Any? {
        try await call("POST", "/session/\(session)/execute/sync", ["script": source, "args": []])
    }

    /// Whether an alert (or confirm, or prompt) is open.
    func alertOpen() async -> Bool {
        (try? await call("GET", "/session/\(session)/alert/text")) != nil
    }

    /// A PNG of the viewport, written to `folder/name.png`; its path.
    func screenshot(_ name: String, in folder: URL) async throws -> String {
        let encoded = try await call("GET", "/session/\(session)/screenshot") as? String ?? ""
        let url = folder.appendingPathComponent("\(name).png")
        try Data(base64Encoded: encoded)?.write(to: url)
        return url.path
    }

    /// Signs in through the form with `key`.
    func signIn(_ site: String, key: String) async throws {
        try await open(site + "/login")
        try await type("#key", key)
        try await click("form[data-testid=login-form] button")
        for _ in 0..<100 where try await url.contains("/login") { try await Task.sleep(for: .milliseconds(50)) }
    }

    /// Signs out and waits for the sign-in page.
    func signOut() async throws {
        try await click("form.logout button")
        for _ in 0..<100 where !(try await url.contains("/login")) { try await Task.sleep(for: .milliseconds(50)) }
    }
}

/// HTTP/1.1 over a loopback socket, one request per connection, on a thread of its own (a WebDriver
/// command can take seconds; no Swift concurrency thread waits for it).
enum RawHTTP {
    static func perform(port: Int, method: String, path: String, body: Data) async throws -> (Int, Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(port: port, method: method, path: path, body: body) })
            }
        }
    }

    static func exchange(port: Int, method: String, path: String, body: Data) throws -> (Int, Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriver.Failure(description: "socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw WebDriver.Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        request.append(body)
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw WebDriver.Failure(description: "short write to the driver") }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        // Read the head, then as many bytes as Content-Length says (the driver may keep the
        // connection open), or to the end when it gives none.
        var expected: Int?
        while expected.map({ response.count < $0 }) ?? true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
            if expected == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
                    expected = split.upperBound - response.startIndex + length
                }
            }
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { throw WebDriver.Failure(description: "no HTTP response from the driver") }
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self)
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var payload = Data(response[split.upperBound...])
        // chromedriver answers with Content-Length; a chunked answer is joined here.
        if head.lowercased().contains("transfer-encoding:chunked") || head.lowercased().contains("transfer-encoding: chunked") {
            payload = dechunk(payload)
        }
        return (status, payload)
    }

    static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var rest = data[...]
        while let line = rest.range(of: Data("\r\n".utf8)) {
            let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16) ?? 0
            if size == 0 { break }
            let start = line.upperBound
            guard let end = rest.index(start, offsetBy: size, limitedBy: rest.endIndex) else { break }
            out.append(rest[start..<end])
            rest = rest[min(rest.endIndex, end + 2)...]
        }
        return out
    }
}
