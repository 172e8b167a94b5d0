public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// Reads one HTTP response; a streaming (SSE) body is read until `until` appears, then the
/// request is cancelled. Delegate-based, so it works with FoundationNetworking on Linux.
public final class StreamReader: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    public struct Reply: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
        public func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    private let lock = NSLock()
    private var buffer = Data()
    private var response: HTTPURLResponse?
    private var continuation: CheckedContinuation<Reply, any Error>?
    private let until: String?

    init(until: String?) { self.until = until }

    public static func read(_ request: URLRequest, until: String?) async throws -> Reply {
        let reader = StreamReader(until: until)
        let session = URLSession(configuration: .ephemeral, delegate: reader, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            reader.lock.lock()
            reader.continuation = continuation
            reader.lock.unlock()
            session.dataTask(with: request).resume()
        }
    }

    private func finish(_ task: URLSessionTask, error: (any Error)?) {
        lock.lock()
        guard let continuation else { lock.unlock(); return }
        self.continuation = nil
        let response = response
        let body = String(decoding: buffer, as: UTF8.self)
        lock.unlock()
        task.cancel()
        if let response {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields { headers["\(name)"] = "\(value)" }
            continuation.resume(returning: .init(status: response.statusCode, headers: headers, body: body))
        } else {
            continuation.resume(throwing: error ?? URLError(.badServerResponse))
        }
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        self.response = response as? HTTPURLResponse
        lock.unlock()
        completionHandler(.allow)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        buffer.append(data)
        let done = until.map { String(decoding: buffer, as: UTF8.self).contains($0) } ?? false
        lock.unlock()
        if done { finish(dataTask, error: nil) }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        finish(task, error: error)
    }
}
