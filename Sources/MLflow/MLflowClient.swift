public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Logs analyses to an MLflow tracking server through its REST API (2.0): finds or creates the
/// MLflow experiment, creates a run, logs params, metrics and tags in one batch, and finishes the run.
///
/// Each call has a timeout and is retried with backoff on a connection failure or a 5xx/429 answer;
/// a server that stays unreachable is a clear ``MLflowError`` (the analysis itself is not affected:
/// callers log after analysing). The tracking URI's credentials, if any, never appear in errors.
public struct MLflowClient: Sendable {
    public var trackingURI: URL
    var attempts: Int
    var timeout: TimeInterval
    var firstDelay: Duration

    public init(trackingURI: URL, attempts: Int = 3, timeout: TimeInterval = 10, firstDelay: Duration = .milliseconds(500)) {
        self.trackingURI = trackingURI
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.firstDelay = firstDelay
    }

    /// The run logged: its id and its MLflow experiment's id.
    public struct Logged: Sendable, Equatable {
        public var runID: String
        public var experimentID: String
    }

    public func log(_ run: MLflowRun, at date: Date = Date()) async throws(MLflowError) -> Logged {
        let milliseconds = Int64(date.timeIntervalSince1970 * 1000)
        let experimentID = try await experiment(named: run.experimentName)
        let created = try await call("runs/create", [
            "experiment_id": experimentID, "start_time": milliseconds, "run_name": run.runName,
            "tags": run.tags.map { ["key": $0.0, "value": $0.1] },
        ])
        guard let info = (created["run"] as? [String: Any])?["info"] as? [String: Any], let runID = info["run_id"] as? String ?? info["run_uuid"] as? String else {
            throw MLflowError(message: "MLflow at \(redactedURI) answered runs/create without a run id.")
        }
        // log-batch takes at most 1,000 metrics, 100 params and 100 tags per call.
        var metrics = run.metrics[...]
        var first = true
        while first || !metrics.isEmpty {
            let chunk = metrics.prefix(1000)
            metrics = metrics.dropFirst(chunk.count)
            var body: [String: Any] = [
                "run_id": runID,
                "metrics": chunk.map { ["key": $0.key, "value": $0.value, "timestamp": milliseconds, "step": 0] as [String: Any] },
            ]
            if first { body["params"] = run.params.map { ["key": $0.0, "value": $0.1] } }
            _ = try await call("runs/log-batch", body)
            first = false
        }
        _ = try await call("runs/update", ["run_id": runID, "status": "FINISHED", "end_time": Int64(Date().timeIntervalSince1970 * 1000)])
        return Logged(runID: runID, experimentID: experimentID)
    }

    /// The id of the MLflow experiment with this name, created when missing.
    func experiment(named name: String) async throws(MLflowError) -> String {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+/"))) ?? name
        do {
            let found = try await call("experiments/get-by-name?experiment_name=\(encoded)", nil)
            if let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
        } catch where error.errorCode == "RESOURCE_DOES_NOT_EXIST" {
            // created below
        }
        do {
            let created = try await call("experiments/create", ["name": name])
            if let id = created["experiment_id"] as? String { return id }
        } catch where error.errorCode == "RESOURCE_ALREADY_EXISTS" {
            // Created meanwhile by another run: read it again.
            let found = try await call("experiments/get-by-name?experiment_name=\(encoded)", nil)
            if let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
        }
        throw MLflowError(message: "MLflow at \(redactedURI) did not give an id for the experiment \(name).")
    }

    /// The tracking URI without a password, for messages.
    public var redactedURI: String {
        guard var components = URLComponents(url: trackingURI, resolvingAgainstBaseURL: false) else { return trackingURI.absoluteString }
        if components.password != nil { components.password = "***" }
        return components.string ?? trackingURI.absoluteString
    }

    /// One REST call (GET without a body, POST with one), retried on connection failures, 429 and 5xx.
    func call(_ path: String, _ body: [String: Any]?) async throws(MLflowError) -> [String: Any] {
        let base = trackingURI.absoluteString.hasSuffix("/") ? String(trackingURI.absoluteString.dropLast()) : trackingURI.absoluteString
        guard let url = URL(string: "\(base)/api/2.0/mlflow/\(path)") else {
            throw MLflowError(message: "\(redactedURI) is not a usable MLflow tracking URI; give one like http://127.0.0.1:5000.")
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        if let body {
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            do { request.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) } catch {
                throw MLflowError(message: "Could not encode the MLflow request \(path): \(error).")
            }
        }
        var delay = firstDelay
        var last = ""
        for attempt in 1...attempts {
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
                if (200..<300).contains(status) { return object }
                let code = object["error_code"] as? String
                let message = object["message"] as? String ?? String(decoding: data.prefix(300), as: UTF8.self)
                last = "HTTP \(status)\(code.map { " \($0)" } ?? ""): \(message)"
                if status != 429 && status < 500 {
                    throw MLflowError(message: "MLflow at \(redactedURI) refused \(path.split(separator: "?")[0]): \(last)", errorCode: code)
                }
            } catch let error as MLflowError {
                throw error
            } catch {
                last = error.localizedDescription
            }
            if attempt < attempts {
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        throw MLflowError(message: "MLflow at \(redactedURI) could not be reached after \(attempts) attempts (\(last)). Check that the tracking server runs there (mlflow server --host 127.0.0.1 --port 5000). The analysis itself was not affected.")
    }
}

/// A failed MLflow call: what failed, with MLflow's error code when it gave one.
public struct MLflowError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var errorCode: String?

    public init(message: String, errorCode: String? = nil) {
        self.message = message
        self.errorCode = errorCode
    }

    public var description: String { message }
}
