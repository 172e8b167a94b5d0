import Analysis
import Foundation
import Gateway
import Hummingbird
import Semantic
import ServiceLifecycle
import WebPages

/// `GET /experiments/{id}/live`: Server-Sent Events for an experiment's page. On connect it sends
/// the current numbers (unless `Last-Event-ID` says the page already has them), then one `results`
/// event per refresh that changed the experiment, with the same fields and charts the page draws.
enum LivePages {
    static func add(to web: RouterGroup<ServerContext>, site: WebRoutes.Site, hub: LiveHub) {
        let events = LiveEvents()
        web.get("experiments/:id/live") { request, context in
            let viewer = try context.page(site, allow: \.canView)
            let id = try ExperimentRoutes.id(context)
            let mode = try ExperimentRoutes.parseMode(request)
            // Refused before the stream opens: an experiment the role may not see is a 404.
            let first = await site.service.polished(try await site.service.overview(id, mode: mode, caller: viewer.caller))
            let seen = request.headers[.init("Last-Event-ID")!].flatMap { Int64($0) }
            let news = await hub.watch(id)
            let latest = await hub.latest
            let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await withGracefulShutdownHandler {
                    try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                    if seen != latest { try await writer.write(ByteBuffer(string: event(ExperimentDetailView(overview: first), id: latest))) }
                    for await item in news {
                        switch item {
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        case .refreshed(let run, let at):
                            // What a page sees depends on its role (row policies), not on who holds it: pages
                            // of one role on one experiment share the event, computed once per refresh.
                            let text = await events.event("\(run) \(id) \(mode.rawValue) \(viewer.role.rawValue)") {
                                guard let fresh = try? await site.service.overview(id, mode: mode, caller: viewer.caller) else { return nil }
                                return event(ExperimentDetailView(overview: await site.service.polished(fresh)), id: run, refreshedAt: at)
                            }
                            guard let text else { continue }
                            try await writer.write(ByteBuffer(string: text))
                        }
                    }
                } onGracefulShutdown: {
                    Task { await hub.closeAll() }
                }
                try await writer.finish(nil)
            })
        }
    }

    /// One `results` event: `{"fields": {data-field: text}, "lists": {data-list: [text]}, "charts": {data-chart: svg}, "refreshedAt": ms}`.
    static func event(_ view: ExperimentDetailView, id: Int64, refreshedAt: Double? = nil) -> String {
        var payload: [String: Any] = ["fields": view.fields(), "lists": view.lists(), "charts": view.charts()]
        if let refreshedAt { payload["refreshedAt"] = refreshedAt }
        let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data("{}".utf8)
        return "id: \(id)\nevent: results\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}

/// The `results` events of the newest refreshes, each made once however many pages wait for it.
actor LiveEvents {
    private var made: [String: Task<String?, Never>] = [:]

    func event(_ key: String, make: @escaping @Sendable () async -> String?) async -> String? {
        if let task = made[key] { return await task.value }
        if made.count >= 256 { made.removeAll() }
        let task = Task { await make() }
        made[key] = task
        return await task.value
    }
}
