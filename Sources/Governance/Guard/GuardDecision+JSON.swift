/// A decision as one line of JSON, written straight into a byte buffer with the audit log's
/// `CanonicalJSON`: the same bytes `JSONEncoder` gives with `[.sortedKeys, .withoutEscapingSlashes]`
/// (keys in UTF-8 order, `\b \f \n \r \t` and `\u00xx` for the other control characters, `/` and all
/// other text as it is), without building an encoder and its containers for every query.
/// `readout guard --file` streams these.
extension GuardDecision {
    public func appendJSON(to out: inout [UInt8]) {
        var json = CanonicalJSON()
        swap(&json.bytes, &out)
        defer { swap(&json.bytes, &out) }
        json.bytes.append(contentsOf: #"{"columns":{"#.utf8)
        for (index, table) in columns.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { json.bytes.append(UInt8(ascii: ",")) }
            json.string(table)
            json.bytes.append(UInt8(ascii: ":"))
            json.strings(columns[table] ?? [])
        }
        json.bytes.append(contentsOf: #"},"decision":"#.utf8)
        json.string(decision.rawValue)
        json.bytes.append(contentsOf: #","functions":"#.utf8)
        json.strings(functions)
        json.bytes.append(contentsOf: #","reasons":["#.utf8)
        for (index, reason) in reasons.enumerated() {
            if index > 0 { json.bytes.append(UInt8(ascii: ",")) }
            json.bytes.append(contentsOf: #"{"code":"#.utf8)
            json.string(reason.code.rawValue)
            json.bytes.append(contentsOf: #","message":"#.utf8)
            json.string(reason.message)
            json.bytes.append(UInt8(ascii: "}"))
        }
        json.bytes.append(contentsOf: #"],"sql":"#.utf8)
        json.string(sql)
        json.bytes.append(contentsOf: #","tables":"#.utf8)
        json.strings(tables)
        json.bytes.append(UInt8(ascii: "}"))
    }

    /// The decision as one line of JSON (without the newline).
    public var jsonLine: String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
