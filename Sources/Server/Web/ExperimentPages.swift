import Analysis
import Foundation
import Gateway
import Governance
import Hummingbird
import Semantic
import WebPages

/// `/experiments`, `/experiments/{id}` and the admin's workflow forms on it, and the memo download.
enum ExperimentPages {
    static func add(to web: RouterGroup<ServerContext>, site: WebRoutes.Site) {
        let service = site.service
        web.get("experiments") { request, context in
            let viewer = try context.page(site, allow: \.canView)
            let query = request.uri.queryParameters
            let status = query["status"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let owner = query["owner"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            if let status, ExperimentLifecycle.transitions[status] == nil {
                throw APIError.badRequest("status", "one of \(ExperimentLifecycle.transitions.keys.sorted().joined(separator: ", ")).")
            }
            let all = try await service.experimentList(caller: viewer.caller)
            let items = all.filter { (status == nil || $0.record.status == status) && (owner == nil || $0.record.owner == owner) }
            let owners = Set(all.compactMap(\.record.owner)).sorted()
            let view = ExperimentListView(items: items, status: status, owner: owner, owners: owners)
            var context = view.context()
            context["canCreate"] = viewer.canDecide
            return WebRoutes.page(site, "experiments", title: "Experiments", viewer: viewer, context)
        }
        let metrics = site.service.contract.metrics.map { (id: $0.id, name: $0.name) }
        web.get("experiments/new") { _, context in
            let viewer = try context.page(site, allow: \.canDecide)
            return WebRoutes.page(site, "intake", title: "New experiment", viewer: viewer, IntakeView(metrics: metrics).context())
        }
        web.post("experiments/new") { request, context in
            let viewer = try context.page(site, allow: \.canDecide)
            let form = try await WebForm.read(request, context: context)
            try context.checkCSRF(form)
            func again(_ errors: [String]) -> Response {
                WebRoutes.page(site, "intake", title: "New experiment", viewer: viewer,
                               IntakeView(fields: form.fields, errors: errors, metrics: metrics).context(), status: .unprocessableContent)
            }
            for (name, value) in form.fields where name != "csrf" {
                let key = name.hasPrefix("variant_id_") ? "variants[].id" : name.hasPrefix("variant_name_") ? "variants[].name" : name
                do { try InputLimits.check(value, name, key: key) } catch let error as APIError { return again([error.message]) }
            }
            switch IntakeView.intake(form.fields) {
            case .failure(let problems):
                return again(problems.messages)
            case .success(let intake):
                do {
                    let record = try await service.createExperiment(intake)
                    return WebRoutes.redirect(to: "/experiments/\(record.id)?created=1")
                } catch let error as APIError where error.status != .serviceUnavailable {
                    return again([error.message])
                }
            }
        }
        web.get("experiments/:id") { request, context in
            let viewer = try context.page(site, allow: \.canView)
            let query = request.uri.queryParameters
            let overview = await service.polished(try await service.overview(try ExperimentRoutes.id(context), mode: try ExperimentRoutes.parseMode(request), caller: viewer.caller))
            var flash: String?
            if let moved = query["moved"].map(String.init), ExperimentLifecycle.transitions[moved] != nil { flash = "Moved to \(moved)." }
            if let decided = query["decided"].map(String.init), ["ship", "kill"].contains(decided) { flash = "Recorded \(decided); the decision is in the audit log." }
            if query["created"] == "1" { flash = "Created as a draft. Move it to review, then running, when it is ready." }
            let alerts = try await service.alerts(experiment: overview.record.id, caller: viewer.caller)
            let view = ExperimentDetailView(overview: overview, alerts: Array(alerts.prefix(20)))
            return WebRoutes.page(site, "experiment", title: overview.record.name, viewer: viewer, view.context(viewer: viewer, flash: flash))
        }
        web.get("alerts") { _, context in
            let viewer = try context.page(site, allow: \.canView)
            let alerts = try await service.alerts(experiment: nil, caller: viewer.caller)
            return WebRoutes.page(site, "alerts", title: "Alerts", viewer: viewer, AlertsView(alerts: alerts).context())
        }
        web.get("analyze") { _, context in
            let viewer = try context.page(site, allow: \.canView)
            return WebRoutes.page(site, "analyze", title: "Analyse a CSV", viewer: viewer, [:])
        }
        web.post("analyze") { request, context in
            let viewer = try context.page(site, allow: \.canView)
            let form = try await MultipartForm.read(request, context: context)
            try context.checkCSRF(form["csrf"].map { String(decoding: $0.data, as: UTF8.self) })
            func again(_ message: String) -> Response {
                WebRoutes.page(site, "analyze", title: "Analyse a CSV", viewer: viewer, ["error": message], status: .unprocessableContent)
            }
            guard let file = form["file"], !file.data.isEmpty else { return again("Choose a CSV file to upload.") }
            guard let text = String(data: file.data, encoding: .utf8) else { return again("The file is not UTF-8 text; export it as CSV (UTF-8).") }
            let name = file.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "upload.csv"
            let overview: ExperimentOverview
            do {
                overview = try await service.analyzeUpload(text, file: name)
            } catch let error as APIError {
                return again(error.message)
            }
            var view = ExperimentDetailView(overview: overview).context(viewer: viewer)
            view["uploaded"] = name
            view["canDecide"] = false
            return WebRoutes.page(site, "experiment", title: "\(name) — analysis", viewer: viewer, view)
        }
        web.get("experiments/:id/memo") { request, context in
            let viewer = try context.page(site, allow: \.canView)
            let id = try ExperimentRoutes.id(context)
            let html = try ExperimentRoutes.memoIsHTML(request)
            let text = try await service.memo(id, html: html, mode: try ExperimentRoutes.parseMode(request), caller: viewer.caller)
            return ExperimentRoutes.memoResponse(text, html: html, download: "\(id)-memo")
        }
        web.post("experiments/:id/transition") { request, context in
            let (viewer, form, id) = try await adminForm(request, context, site: site)
            let target = form["to"] ?? ""
            do {
                _ = try await service.transition(id, to: target)
            } catch let error as APIError {
                return try await again(id, viewer: viewer, error: error.message, site: site)
            }
            return WebRoutes.redirect(to: "/experiments/\(id)?moved=\(target)")
        }
        web.post("experiments/:id/decision") { request, context in
            let (viewer, form, id) = try await adminForm(request, context, site: site)
            let decision = form["decision"] ?? ""
            let rationale = (form["rationale"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !rationale.isEmpty else { return try await again(id, viewer: viewer, error: "Give a reason for the decision.", site: site) }
            try InputLimits.check(rationale, "rationale")
            do {
                _ = try await service.decide(id, decision: decision, rationale: rationale, caller: viewer.caller)
            } catch let error as APIError where error.status != .serviceUnavailable {
                return try await again(id, viewer: viewer, error: error.message, site: site)
            }
            return WebRoutes.redirect(to: "/experiments/\(id)?decided=\(decision)")
        }
    }

    /// An admin's workflow form on an experiment: the viewer (admin, else 403), the form with this
    /// session's token (else 403), and the experiment's id.
    static func adminForm(_ request: Request, _ context: ServerContext, site: WebRoutes.Site) async throws -> (Viewer, WebForm, String) {
        let viewer = try context.page(site, allow: \.canDecide)
        let form = try await WebForm.read(request, context: context)
        try context.checkCSRF(form)
        return (viewer, form, try ExperimentRoutes.id(context))
    }

    /// The experiment's page again, with why the form was refused (422: nothing changed).
    static func again(_ id: String, viewer: Viewer, error: String, site: WebRoutes.Site) async throws -> Response {
        let overview = try await site.service.overview(id, mode: .itt, caller: viewer.caller)
        let view = ExperimentDetailView(overview: overview)
        return WebRoutes.page(site, "experiment", title: overview.record.name, viewer: viewer, view.context(viewer: viewer, formError: error), status: .unprocessableContent)
    }
}
