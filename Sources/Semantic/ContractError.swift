/// A problem in the semantic contract's files: which file, line and field, and how to fix it.
public struct ContractError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let field { location += " (\(field))" }
        return "\(location): \(message)"
    }
}
