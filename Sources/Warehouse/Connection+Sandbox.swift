internal import CSQLite
import Foundation

/// One request SQLite's authorizer asks about while compiling a statement.
public enum AuthorizerRequest: Sendable, Equatable {
    case select
    /// A column read; `column` is empty when a table is read without naming a column (`count(*)`).
    case read(schema: String, table: String, column: String)
    case function(String)
    /// A recursive CTE reference.
    case recursive
    /// Anything else: the action code and its two arguments, for the refusal message.
    case other(action: Int32, first: String?, second: String?)

    public var description: String {
        switch self {
        case .select: "SELECT"
        case .read(let schema, let table, let column): "READ \(schema).\(table).\(column.isEmpty ? "*" : column)"
        case .function(let name): "FUNCTION \(name)"
        case .recursive: "RECURSIVE"
        case .other(let action, let first, let second): "action \(action) (\(first ?? "-"), \(second ?? "-"))"
        }
    }
}

public enum AuthorizerDecision: Sendable {
    case allow
    case deny
}

/// The callbacks installed on a connection; SQLite sees an unretained pointer to this box.
final class ConnectionHooks {
    var authorizer: ((AuthorizerRequest) -> AuthorizerDecision)?
    var progress: (() -> Bool)?
}

/// SQLite's run-time limits (`sqlite3_limit`) a sandboxed connection lowers.
public enum ConnectionLimit: Sendable {
    case length, sqlLength, column, expressionDepth, compoundSelect, virtualMachineOperations
    case functionArguments, attached, likePatternLength, variableNumber, triggerDepth, workerThreads

    var code: Int32 {
        switch self {
        case .length: SQLITE_LIMIT_LENGTH
        case .sqlLength: SQLITE_LIMIT_SQL_LENGTH
        case .column: SQLITE_LIMIT_COLUMN
        case .expressionDepth: SQLITE_LIMIT_EXPR_DEPTH
        case .compoundSelect: SQLITE_LIMIT_COMPOUND_SELECT
        case .virtualMachineOperations: SQLITE_LIMIT_VDBE_OP
        case .functionArguments: SQLITE_LIMIT_FUNCTION_ARG
        case .attached: SQLITE_LIMIT_ATTACHED
        case .likePatternLength: SQLITE_LIMIT_LIKE_PATTERN_LENGTH
        case .variableNumber: SQLITE_LIMIT_VARIABLE_NUMBER
        case .triggerDepth: SQLITE_LIMIT_TRIGGER_DEPTH
        case .workerThreads: SQLITE_LIMIT_WORKER_THREADS
        }
    }
}

extension Connection {
    /// Installs SQLite's authorizer: `decide` is asked about every table, column
    /// and function while a statement compiles; a `.deny` makes the prepare fail
    /// with SQLITE_AUTH. It works independently of any parsing Readout does.
    public func setAuthorizer(_ decide: @escaping (AuthorizerRequest) -> AuthorizerDecision) {
        let hooks = self.hooks ?? ConnectionHooks()
        hooks.authorizer = decide
        self.hooks = hooks
        let context = Unmanaged.passUnretained(hooks).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, schema, _ in
            guard let context else { return SQLITE_DENY }
            let hooks = Unmanaged<ConnectionHooks>.fromOpaque(context).takeUnretainedValue()
            guard let authorizer = hooks.authorizer else { return SQLITE_DENY }
            let a = first.map { String(cString: $0) }
            let b = second.map { String(cString: $0) }
            let request: AuthorizerRequest
            switch action {
            case SQLITE_SELECT: request = .select
            case SQLITE_READ: request = .read(schema: schema.map { String(cString: $0) } ?? "", table: a ?? "", column: b ?? "")
            case SQLITE_FUNCTION: request = .function(b ?? "")
            case SQLITE_RECURSIVE: request = .recursive
            default: request = .other(action: action, first: a, second: b)
            }
            return authorizer(request) == .allow ? SQLITE_OK : SQLITE_DENY
        }, context)
    }

    /// Calls `shouldInterrupt` every `instructions` virtual-machine steps; returning
    /// true aborts the running statement with SQLITE_INTERRUPT.
    public func setProgressHandler(every instructions: Int32, _ shouldInterrupt: @escaping () -> Bool) {
        let hooks = self.hooks ?? ConnectionHooks()
        hooks.progress = shouldInterrupt
        self.hooks = hooks
        let context = Unmanaged.passUnretained(hooks).toOpaque()
        sqlite3_progress_handler(handle, instructions, { context in
            guard let context else { return 1 }
            let hooks = Unmanaged<ConnectionHooks>.fromOpaque(context).takeUnretainedValue()
            return (hooks.progress?() ?? true) ? 1 : 0
        }, context)
    }

    /// Lowers (or raises, up to the compile-time maximum) one of SQLite's run-time limits.
    public func setLimit(_ limit: ConnectionLimit, _ value: Int32) {
        sqlite3_limit(handle, limit.code, value)
    }

    /// Turns off SQLite's double-quoted-string misfeature for DML, so `"x"` is
    /// always a name and an unknown one is an error rather than a string.
    public func disableDoubleQuotedStrings() {
        readout_sqlite_disable_dqs(handle)
    }
}
