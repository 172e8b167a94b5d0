public import Analysis
import Foundation
public import Gateway
import Governance
import Planner
import Semantic
import WebPages

/// What the pages ask of the service: the same gateway calls as the API, under the web caller
/// (channel `web`, so the audit log says where a question came from).
extension ReadoutService {
    func activeKey(_ keyID: String) throws -> APIKey? {
        do {
            return try gateway.activeKey(keyID)
        } catch {
            throw APIError(error)
        }
    }

    /// The experiments the caller may see, each with the engine's report (nil when it has no data).
    func experimentList(caller: Caller) throws -> [ExperimentListView.Item] {
        let records = try gatewayCall { try gateway.experiments(status: nil, caller: caller) }
        return records.map { record in
            let report = try? gateway.results(record.id, mode: .itt, caller: caller)
            return ExperimentListView.Item(record: record, report: report)
        }
    }

    func overview(_ id: String, mode: WarehouseExperiment.Mode, caller: Caller) throws -> ExperimentOverview {
        try gatewayCall { try gateway.overview(id, mode: mode, caller: caller) }
    }

}

extension ReadoutService {
    /// The alert check after a refresh (see ``ReadoutGateway/checkAlerts(_:settings:now:)``).
    public func checkAlerts(_ experiments: Set<String>?, settings: AlertSettings) throws -> [RecordedAlert] {
        do {
            return try gateway.checkAlerts(experiments, settings: settings)
        } catch let error as GatewayError {
            throw APIError(error)
        }
    }

    func alerts(experiment: String?, caller: Caller) throws -> [RecordedAlert] {
        try gatewayCall { try gateway.alerts(experiment: experiment, caller: caller) }
    }
}

extension ReadoutService {
    func analyzeUpload(_ text: String, file: String) throws -> ExperimentOverview {
        try gatewayCall { try gateway.analyzeUpload(text, file: file) }
    }
}

extension ReadoutService {
    /// The overview with its prose polished by the configured LLM (grounded, or left as it was);
    /// each distinct prose is sent once, then served from a small cache.
    func polished(_ overview: ExperimentOverview) async -> ExperimentOverview {
        guard gateway.polisher != nil else { return overview }
        let key = overview.commentary.joined(separator: "\n")
        if let cached = polishCache[key] {
            var copy = overview
            copy.commentary = cached.commentary
            copy.commentarySource = cached.commentarySource
            copy.commentaryNote = cached.commentaryNote
            return copy
        }
        let result = await gateway.polishedCommentary(overview)
        if polishCache.count >= 256 { polishCache.removeAll() }
        polishCache[key] = result
        return result
    }
}
