import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scripted HTTP/1.1 server on 127.0.0.1 standing in for an LLM provider: each
/// request gets the next scripted reply (status, body, delay). Real sockets, real HTTP.
final class FakeLLMServer: @unchecked Sendable {
    struct Reply {
        var status = 200
        var body: String
        var delay: Double = 0
        var headers: [String: String] = [:]
    }

    struct Request {
        var path: String
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var replies: [Reply]
    private var received: [Request] = []
    private var stopped = false

    init(replies: [Reply]) throws {
        self.replies = replies
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socket = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            let handler = Thread { [self] in self.handle(client) }
            handler.start()
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            data.append(contentsOf: buffer[0..<count])
            headerEnd = data.range(of: Data("\r\n\r\n".utf8))
        }
        guard let end = headerEnd else { return }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while data.count - end.upperBound < length {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        let body = String(decoding: data[end.upperBound...], as: UTF8.self)
        lock.lock()
        received.append(Request(path: requestLine.count > 1 ? String(requestLine[1]) : "", headers: headers, body: body))
        let reply = replies.isEmpty ? Reply(status: 500, body: "{\"error\": \"no more scripted replies\"}") : replies.removeFirst()
        lock.unlock()
        // A delayed reply waits until its delay passes or the server is stopped, so a slow
        // reply never outlives the test that scripted it.
        let until = Date().addingTimeInterval(reply.delay)
        while Date() < until {
            lock.lock(); let done = stopped; lock.unlock()
            if done { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        var response = "HTTP/1.1 \(reply.status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(reply.body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in reply.headers { response += "\(name): \(value)\r\n" }
        response += "\r\n" + reply.body
        _ = response.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// An OpenAI Chat Completions body whose message content is `content`.
    static func openAI(_ content: String) -> String {
        let object: [String: Any] = ["choices": [["message": ["role": "assistant", "content": content]]]]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    /// An Anthropic Messages body whose text block is `content`.
    static func anthropic(_ content: String) -> String {
        let object: [String: Any] = ["content": [["type": "text", "text": content]], "role": "assistant"]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    static func sql(_ sql: String) -> String {
        let object: [String: Any] = ["sql": sql, "rationale": "scripted"]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }
}
