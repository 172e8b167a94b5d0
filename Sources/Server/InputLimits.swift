import Foundation
import Gateway
import Hummingbird

/// The longest value each request field may hold. A longer one is a 400 naming the field and
/// the limit (never stored, never planned). docs/openapi.yaml states the same limits as
/// `maxLength`, and a test keeps the two equal.
public enum InputLimits {
    public static let fields: [String: Int] = [
        "question": ReadoutGateway.maxQuestionLength,
        "sql": 100_000,
        "planner": 16,
        "experimentId": 128, "variantId": 128, "userKey": 256, "eventType": 16, "occurredAt": 64,
        "name": 200, "hypothesis": 4_000, "primaryMetric": 128, "owner": 128, "to": 32, "decision": 32, "rationale": 4_000,
        "variants[].id": 128, "variants[].name": 200,
    ]
    /// A tracked event's props, as compact JSON.
    public static let propsBytes = 8_192
    /// Variations in one experiment.
    public static let variants = 20

    /// The limit for `field`, or nil when the field has none of its own (the body limit still applies).
    static func limit(_ field: String) -> Int? { fields[field] }

    /// A 400 when `text` is longer than the field's limit.
    static func check(_ text: String, _ field: String, key: String? = nil) throws {
        guard let limit = limit(key ?? field), text.count > limit else { return }
        throw tooLong(field, limit: limit, got: text.count)
    }

    static func tooLong(_ field: String, limit: Int, got: Int) -> APIError {
        APIError(.badRequest, "too_long", message(field, limit: limit, got: got), details: ["field": field, "limit": String(limit)])
    }

    /// "userKey: at most 256 characters (got 300); shorten it."
    static func message(_ field: String, limit: Int, got: Int, unit: String = "characters") -> String {
        "\(field): at most \(limit.formatted()) \(unit) (got \(got.formatted())); shorten it."
    }
}
