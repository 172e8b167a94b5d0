/// An optional that encodes as JSON `null` instead of dropping its key, so the
/// analysis JSON always has every documented field ("undefined is null").
/// Non-finite doubles (NaN, ±∞) are stored as nil, never written.
@propertyWrapper
public struct Nullable<Value: Encodable & Sendable & Hashable>: Encodable, Sendable, Hashable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        if let double = wrappedValue as? Double, !double.isFinite {
            self.wrappedValue = nil
        } else {
            self.wrappedValue = wrappedValue
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
