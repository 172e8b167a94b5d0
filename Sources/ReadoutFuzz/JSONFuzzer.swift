import Foundation
import Semantic

/// Fuzz checks for ``JSONReader`` (the tracking routes' request bodies), run on every input
/// alongside the guard's:
///
/// - what the reader accepts, Foundation's `JSONSerialization` accepts too, with the same value
///   (the reader may refuse more: a byte-order mark, lone surrogates);
/// - what it serialises (`props` as stored) reads back and serialises to the same text.
enum JSONFuzzer {
    static func check(_ data: UnsafeBufferPointer<UInt8>) {
        let value: JSONValue
        do {
            value = try JSONReader.read(UnsafeRawBufferPointer(data))
        } catch {
            return
        }
        _ = value.containsNUL
        let text = value.serialized()
        guard let again = try? JSONReader.read(Array(text.utf8)) else {
            fatalError("JSONReader: its own serialisation does not read back: \(text.prefix(200))")
        }
        guard again.serialized() == text else {
            fatalError("JSONReader: serialising twice differs: \(text.prefix(200))")
        }
        guard let theirs = try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed]) else {
            fatalError("JSONReader accepted what JSONSerialization refuses: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        guard same(plain(value), normalised(theirs)) else {
            fatalError("JSONReader and JSONSerialization read different values: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    /// Equal values; numbers to 1e-12 relative, because JSONSerialization keeps only 38 digits of
    /// an integer beyond Int64 (an NSDecimalNumber) where the reader rounds the whole text to a Double.
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let x as Bool, let y as Bool): return x == y
        case (let x as Double, let y as Double): return x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
        case (let x as String, let y as String): return x == y
        case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return false
        }
    }

    /// Our value as Foundation's plain types (numbers as Double, -0 as 0).
    static func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let number, _): number == 0 ? 0.0 : number
        case .string(let text): text
        case .array(let items): items.map(plain)
        case .object(let object): Dictionary(object.uniqueMembers.map { ($0.name, plain($0.value)) }, uniquingKeysWith: { $1 })
        }
    }

    /// Foundation's value with every number as a Double (it reads integers as Int).
    static func normalised(_ value: Any) -> Any {
        switch value {
        case let number as NSNumber:
            // Booleans come back as NSNumbers whose Objective-C type is `c` (char).
            if number.objCType.pointee == 0x63 { number.boolValue } else { number.doubleValue == 0 ? 0.0 : number.doubleValue }
        case let items as [Any]: items.map(normalised)
        case let object as [String: Any]: object.mapValues(normalised)
        default: value
        }
    }
}
