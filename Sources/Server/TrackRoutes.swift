import Foundation
import Hummingbird
import Semantic

/// `POST /api/track` and `POST /api/track/batch` (tracker keys only): the payload
/// earlier tools already send, unchanged.
enum TrackRoutes {
    static func add(to api: RouterGroup<ServerContext>, service: ReadoutService) {
        api.post("track") { request, context in
            _ = try context.require([.tracker])
            let body = try await Body.jsonObject(request, context: context)
            let event: TrackedEvent
            switch parse(body) {
            case .success(let parsed): event = parsed
            case .failure(let error): throw APIError(.init(code: error.status), error.code, error.message)
            }
            switch try await service.track(event) {
            case .accepted(let id, let occurred):
                return JSON.response(object: ["success": true, "duplicate": false, "message": "\(event.kind == .exposure ? "Exposure" : "Conversion") recorded.", "eventId": id, "occurredAt": occurred])
            case .duplicate(let id, let occurred):
                return JSON.response(object: ["success": true, "duplicate": true, "message": "Already recorded for this experiment and user; nothing stored.", "eventId": id, "occurredAt": occurred])
            case .rejected(let error):
                throw APIError(.init(code: error.status), error.code, error.message)
            }
        }
        api.post("track/batch") { request, context in
            _ = try context.require([.tracker])
            let body = try await Body.jsonObject(request, context: context, limit: 16 << 20)
            guard case .array(let events)? = body["events"] else { throw APIError.badRequest("events", "required, a list of events.") }
            guard events.count <= 10_000 else { throw APIError.badRequest("events", "at most 10,000 per batch (got \(events.count)).") }
            let parsed = events.enumerated().map { index, item -> Result<TrackedEvent, TrackError> in
                guard case .object(let object) = item else {
                    return .failure(TrackError(status: 400, code: "invalid_request", message: "events[\(index)]: expected an object."))
                }
                return parse(object)
            }
            let outcomes = try await service.trackBatch(parsed)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: batchAnswer(outcomes))))
        }
    }

    /// The answer to a batch — `{"accepted":…,"duplicates":…,"errors":…,"results":[{"eventId":…,
    /// "index":0,"status":"accepted"},…]}`, keys sorted as everywhere else — written directly: for
    /// 10,000 events a JSON encoder took longer than storing them.
    static func batchAnswer(_ outcomes: [TrackOutcome]) -> String {
        var accepted = 0, duplicates = 0, errors = 0
        var results = ""
        results.reserveCapacity(outcomes.count * 56)
        for (index, outcome) in outcomes.enumerated() {
            if index > 0 { results += "," }
            switch outcome {
            case .accepted(let id, _):
                accepted += 1
                results += "{\"eventId\":\(id),\"index\":\(index),\"status\":\"accepted\"}"
            case .duplicate(let id, _):
                duplicates += 1
                results += "{\"eventId\":\(id),\"index\":\(index),\"status\":\"duplicate\"}"
            case .rejected(let error):
                errors += 1
                results += "{\"error\":{\"code\":\(JSONText.quoted(error.code)),\"message\":\(JSONText.quoted(error.message))},\"index\":\(index),\"status\":\"error\"}"
            }
        }
        return "{\"accepted\":\(accepted),\"duplicates\":\(duplicates),\"errors\":\(errors),\"results\":[\(results)]}"
    }

    /// The event's text fields that have a length limit, with it.
    static let limited: [(String, Int)] = ["experimentId", "variantId", "userKey", "eventType", "occurredAt"].compactMap { field in
        InputLimits.limit(field).map { (field, $0) }
    }

    /// Validates one payload, naming the field at fault.
    static func parse(_ body: JSONObject) -> Result<TrackedEvent, TrackError> {
        func bad(_ field: String, _ message: String) -> Result<TrackedEvent, TrackError> {
            .failure(TrackError(status: 400, code: "invalid_request", message: "\(field): \(message)"))
        }
        for (field, limit) in Self.limited {
            // Characters never outnumber UTF-8 bytes: only a long text is counted by characters.
            if case .string(let text)? = body[field], text.utf8.count > limit, text.count > limit {
                return .failure(TrackError(status: 400, code: "too_long", message: InputLimits.message(field, limit: limit, got: text.count)))
            }
        }
        func identifier(_ field: String) -> String? {
            switch body[field] {
            case .string(let text)?: return text.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) ? nil : text
            case .number(let value, _)?: return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : nil
            default: return nil
            }
        }
        guard let experiment = identifier("experimentId") else { return bad("experimentId", "required, a string or a whole number.") }
        guard let variant = identifier("variantId") else { return bad("variantId", "required, a string or a whole number.") }
        guard let user = identifier("userKey") else { return bad("userKey", "required and not empty.") }
        // PostgreSQL cannot store the NUL character in text or JSON; refused on either engine, so the
        // same event is accepted or refused the same way whatever holds the warehouse.
        for (field, text) in [("experimentId", experiment), ("variantId", variant), ("userKey", user)] where text.utf8.contains(0) {
            return bad(field, "must not contain the NUL character (U+0000).")
        }
        guard case .string(let type)? = body["eventType"], let kind = TrackedEvent.Kind(rawValue: type) else {
            return bad("eventType", "required, \"exposure\" or \"conversion\".")
        }
        var props: String?
        var value: Double?
        if let raw = body["props"], raw != .null {
            guard case .object(let object) = raw else { return bad("props", "an object when given.") }
            let text = raw.serialized()
            guard text.utf8.count <= InputLimits.propsBytes else {
                return .failure(TrackError(status: 400, code: "too_long", message: "props: at most \(InputLimits.propsBytes.formatted()) bytes of JSON (got \(text.utf8.count.formatted())); send fewer or shorter properties."))
            }
            guard !raw.containsNUL else { return bad("props", "must not contain the NUL character (U+0000).") }
            props = text
            if case .number(let number, _)? = object["value"] { value = number }
        }
        var occurred: String?
        if let raw = body["occurredAt"], raw != .null {
            guard case .string(let text) = raw, let canonical = Timestamp.canonical(text) else {
                return bad("occurredAt", "an ISO 8601 time, e.g. 2026-10-01T12:00:00Z.")
            }
            occurred = canonical
        }
        return .success(TrackedEvent(experimentID: experiment, variantID: variant, userKey: user, kind: kind, props: props, occurredAt: occurred, value: value))
    }
}
