import Foundation

/// Conversions between Unix seconds and the warehouse's timestamp text.
///
/// Every timestamp in the warehouse is UTC in SQLite's canonical form
/// `YYYY-MM-DD HH:MM:SS`, so text order is time order and `datetime()`
/// returns values comparable with stored ones. Formatting is hand-rolled
/// (Hinnant's civil-from-days) because the demo formats millions of them.
public enum Timestamp {
    /// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC).
    public static func format(_ epochSeconds: Int64) -> String {
        let days = floorDivide(epochSeconds, 86_400)
        let secondsOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        var bytes = [UInt8](repeating: 0, count: 19)
        write(year, width: 4, into: &bytes, at: 0)
        bytes[4] = UInt8(ascii: "-")
        write(month, width: 2, into: &bytes, at: 5)
        bytes[7] = UInt8(ascii: "-")
        write(day, width: 2, into: &bytes, at: 8)
        bytes[10] = UInt8(ascii: " ")
        write(secondsOfDay / 3600, width: 2, into: &bytes, at: 11)
        bytes[13] = UInt8(ascii: ":")
        write(secondsOfDay / 60 % 60, width: 2, into: &bytes, at: 14)
        bytes[16] = UInt8(ascii: ":")
        write(secondsOfDay % 60, width: 2, into: &bytes, at: 17)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unix seconds for a UTC civil date and time.
    public static func epochSeconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        days(fromCivil: year, month, day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`) into Unix seconds; nil if malformed.
    public static func parse(_ text: String) -> Int64? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10 || utf8.count == 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = days(fromCivil: year, month, day) * 86_400
        if utf8.count == 19 {
            guard utf8[10] == UInt8(ascii: " ") || utf8[10] == UInt8(ascii: "T"),
                  utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
                  let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                  hour < 24, minute < 60, second < 60
            else { return nil }
            seconds += Int64(hour * 3600 + minute * 60 + second)
        }
        return seconds
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func write(_ value: Int, width: Int, into bytes: inout [UInt8], at offset: Int) {
        var remaining = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[position] = UInt8(48 + remaining % 10)
            remaining /= 10
        }
    }

    /// `2026-10-01T12:00:00Z`, `…+02:00`, `….123Z` or `2026-10-01 12:00:00` → canonical UTC; nil if unreadable.
    public static func canonical(_ text: String) -> String? {
        if let seconds = parse(text), text.count == 19 { return format(seconds) }
        var strategy = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        strategy.timeZone = TimeZone(identifier: "UTC") ?? .current
        if let date = try? Date(text, strategy: strategy) { return format(Int64(date.timeIntervalSince1970)) }
        if let date = try? Date(text, strategy: .iso8601) { return format(Int64(date.timeIntervalSince1970)) }
        return nil
    }
}
