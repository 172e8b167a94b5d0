/// A decision as one line of JSON, written straight into a byte buffer: the same bytes
/// `JSONEncoder` gives with `[.sortedKeys, .withoutEscapingSlashes]` (keys in UTF-8 order, `\b \f \n
/// \r \t` and `\u00xx` for the other control characters, `/` and all other text as it is), without
/// building an encoder and its containers for every query. `readout guard --file` streams these.
extension GuardDecision {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"columns":{"#.utf8)
        for (index, table) in columns.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(table, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.appendStrings(columns[table] ?? [], to: &out)
        }
        out.append(contentsOf: #"},"decision":""#.utf8)
        out.append(contentsOf: decision.rawValue.utf8)
        out.append(contentsOf: #"","functions":"#.utf8)
        Self.appendStrings(functions, to: &out)
        out.append(contentsOf: #","reasons":["#.utf8)
        for (index, reason) in reasons.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"code":""#.utf8)
            out.append(contentsOf: reason.code.rawValue.utf8)
            out.append(contentsOf: #"","message":"#.utf8)
            Self.appendString(reason.message, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"sql":"#.utf8)
        if let sql { Self.appendString(sql, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","tables":"#.utf8)
        Self.appendStrings(tables, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The decision as one line of JSON (without the newline).
    public var jsonLine: String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendStrings(_ strings: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(string, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var plainStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
                plainStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
