import Foundation

/// A webhook receiver on 127.0.0.1 for the alert tests: accepts POSTs on a thread of its own,
/// answers 200, and keeps each request's headers and body.
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery {
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private let fd: Int32
    let port: Int
    private let lock = NSLock()
    private var received: [Delivery] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { close(fd); throw WebDriver.Failure(description: "the webhook receiver could not listen") }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/readout" }

    var deliveries: [Delivery] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var headers: [String: String] = [:]
        var bodyStart: Data.Index?
        var length = 0
        while bodyStart.map({ data.count - $0 < length }) ?? true {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
            if bodyStart == nil, let end = data.range(of: Data("\r\n\r\n".utf8)) {
                bodyStart = end.upperBound
                for line in String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2 { headers[parts[0].lowercased()] = parts[1] }
                }
                length = Int(headers["content-length"] ?? "0") ?? 0
            }
        }
        let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        if let bodyStart {
            lock.lock()
            received.append(Delivery(headers: headers, body: Data(data[bodyStart...])))
            lock.unlock()
        }
    }
}
