import Foundation

/// Dates as people say them — "on Oct 8", "after September 15th", "between Oct 5 and Oct 10",
/// "Sept 5 through Sept 9", "in October 2026", "since 2026-10-01", "last 7 days" — as an
/// inclusive range of `YYYY-MM-DD` days (either end open). Pure: "today" is given.
struct DateRange: Equatable {
    /// First day included, or nil.
    var from: String?
    /// Last day included, or nil.
    var to: String?

    var isSingleDay: Bool { from != nil && from == to }

    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6,
        "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
        "november": 11, "dec": 12, "december": 12,
    ]

    /// A day mentioned in the words, with where it stands.
    struct Mention {
        var start: Int
        var day: String
        /// A whole month ("in October 2026") rather than one day.
        var wholeMonth: (first: String, last: String)?
    }

    /// Finds the range a question names, relative to `today` (`YYYY-MM-DD`); nil when it names none.
    static func parse(_ words: [String], original: String, today: String) -> DateRange? {
        let year = Int(today.prefix(4)) ?? 2026
        var mentions: [Mention] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            // An ISO date is one word followed by its three parts: 2026-10-08, 2026, 10, 08.
            let parts = word.split(separator: "-").compactMap { Int($0) }
            if word.count == 10, parts.count == 3, parts[0] > 1900, (1...12).contains(parts[1]), (1...31).contains(parts[2]) {
                mentions.append(Mention(start: index, day: format(parts[0], parts[1], parts[2])))
                index += 4
                continue
            }
            // "may" is a month only with a day beside it ("may I see…" is not).
            if word == "may", !(index + 1 < words.count && dayNumber(words[index + 1]) != nil) {
                index += 1
                continue
            }
            if let month = months[word] ?? (word.count >= 6 ? months.first(where: { $0.key.count >= 6 && QuestionText.matches(word, $0.key, fuzzy: true) })?.value : nil) {
                // "October 8", "Oct 8th", "8 October", "October 2026", "October".
                // "Oct 1-7": one word with both days.
                if index + 1 < words.count, words[index + 1].contains("-") {
                    let days = words[index + 1].split(separator: "-").compactMap { dayNumber(String($0)) }
                    if days.count == 2, days[0] < days[1] {
                        return DateRange(from: format(year, month, days[0]), to: format(year, month, days[1]))
                    }
                }
                if index + 1 < words.count, let day = dayNumber(words[index + 1]) {
                    var y = year
                    var next = index + 2
                    if next < words.count, let explicit = Int(words[next]), explicit > 1900 { y = explicit; next += 1 }
                    mentions.append(Mention(start: index, day: format(y, month, day)))
                    // "Oct 1–7", "October 3-9": a second day of the same month right after the first.
                    if next < words.count, let last = dayNumber(words[next]), last > day {
                        mentions.append(Mention(start: next, day: format(y, month, last)))
                        return DateRange(from: format(y, month, day), to: format(y, month, last))
                    }
                    index = next
                    continue
                }
                var y = year
                if index + 1 < words.count, let explicit = Int(words[index + 1]), explicit > 1900 { y = explicit }
                // "the 10th of October"; "between the 3rd and the 10th of October": both days in that month.
                if index > 1, words[index - 1] == "of", let day = dayNumber(words[index - 2]), words[index - 2].first?.isNumber == true {
                    let before = words[..<(index - 2)].reversed().drop { $0 == "the" }
                    if before.first.map({ ["and", "to", "through", "until", "-"].contains($0) }) == true,
                       let earlier = before.dropFirst().drop(while: { $0 == "the" }).first, let first = dayNumber(earlier), first < day {
                        return DateRange(from: format(y, month, first), to: format(y, month, day))
                    }
                    mentions.append(Mention(start: index - 2, day: format(y, month, day)))
                    index += 1
                    continue
                }
                // "The first week of October", "the last week of September": seven days of that month.
                if index > 2, words[index - 1] == "of", words[index - 2].hasPrefix("week") {
                    let ordinals = ["first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4]
                    if let n = ordinals[words[index - 3]] {
                        return DateRange(from: format(y, month, 7 * (n - 1) + 1), to: format(y, month, 7 * n))
                    }
                    if ["last", "final"].contains(words[index - 3]) {
                        let last = daysIn(month, y)
                        return DateRange(from: format(y, month, last - 6), to: format(y, month, last))
                    }
                }
                // "From 15 to 21 October", "15-21 Oct", "between the 3rd and 9th October": both days in that month.
                if index > 0, words[index - 1].contains("-") {
                    let days = words[index - 1].split(separator: "-").compactMap { dayNumber(String($0)) }
                    if days.count == 2, days[0] < days[1] {
                        return DateRange(from: format(y, month, days[0]), to: format(y, month, days[1]))
                    }
                }
                if index > 2, let day = dayNumber(words[index - 1]), words[index - 1].first?.isNumber == true,
                   ["to", "through", "thru", "until", "and"].contains(words[index - 2]),
                   let first = dayNumber(words[index - 3]), words[index - 3].first?.isNumber == true, first < day {
                    return DateRange(from: format(y, month, first), to: format(y, month, day))
                }
                if index > 0, let day = dayNumber(words[index - 1]) {
                    mentions.append(Mention(start: index - 1, day: format(y, month, day)))
                } else {
                    mentions.append(Mention(start: index, day: format(y, month, 1), wholeMonth: (format(y, month, 1), format(y, month, daysIn(month, y)))))
                }
            }
            index += 1
        }
        func word(before position: Int) -> String? { position > 0 ? words[position - 1] : nil }
        if mentions.count >= 2 {
            let (a, b) = (mentions[0], mentions[1])
            // ("On Oct 9 lower than on Oct 8": the two days, compared.)
            let joined = words[a.start..<b.start].contains { ["through", "to", "and", "until", "thru", "than"].contains($0) }
            if joined {
                let (first, second) = a.day <= b.day ? (a, b) : (b, a)
                return DateRange(from: first.wholeMonth?.first ?? first.day, to: second.wholeMonth?.last ?? second.day)
            }
        }
        if let mention = mentions.first {
            switch word(before: mention.start) {
            case "after": return DateRange(from: shift(mention.wholeMonth?.last ?? mention.day, days: 1), to: nil)
            case "since", "from": return DateRange(from: mention.wholeMonth?.first ?? mention.day, to: nil)
            case "before": return DateRange(from: nil, to: shift(mention.wholeMonth?.first ?? mention.day, days: -1))
            case "until", "through", "thru": return DateRange(from: nil, to: mention.wholeMonth?.last ?? mention.day)
            default:
                if let month = mention.wholeMonth { return DateRange(from: month.first, to: month.last) }
                return DateRange(from: mention.day, to: mention.day)
            }
        }
        // Relative: yesterday, today, last N days, last week.
        if words.contains("yesterday") { let day = shift(today, days: -1); return DateRange(from: day, to: day) }
        if words.contains("today") { return DateRange(from: today, to: today) }
        for (position, word) in words.enumerated() where (word == "last" || word == "past") && position + 1 < words.count {
            if position + 2 < words.count, let days = Int(words[position + 1]), days > 0, days <= 3650, words[position + 2].hasPrefix("day") {
                return DateRange(from: shift(today, days: -days), to: today)
            }
            if words[position + 1].hasPrefix("week") { return DateRange(from: shift(today, days: -7), to: today) }
        }
        return nil
    }

    /// Days counted from an experiment's start: "the first week", "second week", "week 2",
    /// "first 3 days" (the start day is day one). nil when the words name no such span.
    static func relative(_ words: [String], start: String) -> DateRange? {
        let ordinals = ["first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4]
        for (index, word) in words.enumerated() where index + 1 < words.count {
            if let n = ordinals[word], words[index + 1].hasPrefix("week") {
                return DateRange(from: shift(start, days: 7 * (n - 1)), to: shift(start, days: 7 * n - 1))
            }
            if word == "week", let n = Int(words[index + 1]) ?? ["one": 1, "two": 2, "three": 3, "four": 4][words[index + 1]], (1...8).contains(n) {
                return DateRange(from: shift(start, days: 7 * (n - 1)), to: shift(start, days: 7 * n - 1))
            }
            if word == "first", let n = Int(words[index + 1]), n > 0, n <= 60, index + 2 < words.count, words[index + 2].hasPrefix("day") {
                return DateRange(from: start, to: shift(start, days: n - 1))
            }
        }
        return nil
    }

    static func dayNumber(_ word: String) -> Int? {
        var digits = word
        for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) { digits = String(digits.dropLast(2)) }
        guard let day = Int(digits), (1...31).contains(day) else { return nil }
        return day
    }

    static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The Gregorian calendar in UTC, and an ISO day (`YYYY-MM-DD`) as a date in it.
    private static func calendarDate(_ day: String) -> (Calendar, Date)? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar.date(from: components).map { (calendar, $0) }
    }

    /// The weekday of an ISO day, 1 = Sunday … 7 = Saturday (`2026-10-05` → 2, a Monday).
    static func weekday(of day: String) -> Int? {
        calendarDate(day).map { $0.0.component(.weekday, from: $0.1) }
    }

    /// `day` moved by `days` (Gregorian, UTC).
    static func shift(_ day: String, days: Int) -> String {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let (calendar, date) = calendarDate(day),
              let moved = calendar.date(byAdding: .day, value: days, to: date) else { return day }
        let result = calendar.dateComponents([.year, .month, .day], from: moved)
        return format(result.year ?? parts[0], result.month ?? parts[1], result.day ?? parts[2])
    }
}
