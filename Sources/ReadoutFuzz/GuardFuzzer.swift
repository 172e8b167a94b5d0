import Semantic
import Foundation
import Governance
import SQLParser

/// Fuzz target for the lexer, parser, resolver, formatter and guard (and, on the same inputs,
/// the tracking routes' JSON reader: `JSONFuzzer`).
///
/// Built with `-sanitize=fuzzer` and `-D FUZZING` it is a libFuzzer binary (see
/// docs/security.md); a normal build makes it a replayer that runs the same
/// checks over files given on the command line (e.g. a crash reproducer).
///
/// Besides "never crash, never hang", each input checks two invariants:
/// an approved query's normalised SQL is itself approved with the same
/// tables, and no approved query reads a table or column the role may not.
enum GuardFuzzer {
    static let contract: SemanticContract = {
        func asset(_ name: String, _ columns: [(String, Bool)]) -> Asset {
            Asset(name: name, description: "", grain: "", primaryKey: [], owner: "", columns: columns.map {
                Column(name: $0.0, type: "text", description: "", pii: !$0.1, allowed: true, synonyms: [])
            }, synonyms: [], relationships: [], file: "")
        }
        return SemanticContract(
            assets: [
                asset("experiments", [("experiment_id", true), ("name", true), ("status", true), ("owner", true)]),
                asset("fct_experiment_results", [("experiment_id", true), ("metric_id", true), ("uplift_rel", true)]),
                asset("metrics", [("metric_id", true), ("name", true)]),
                asset("users", [("user_id", true), ("email", false)]),
                asset("things", [("id", true), ("secret", false)]),
            ],
            roles: [
                Role(name: "analyst", description: "", assets: ["experiments", "fct_experiment_results", "metrics", "things"], rowPolicies: [:]),
                Role(name: "team", description: "", assets: ["experiments", "fct_experiment_results"], rowPolicies: [
                    "experiments": "owner = 'team-growth'",
                    "fct_experiment_results": "experiment_id IN (SELECT experiment_id FROM experiments WHERE owner = 'team-growth')",
                ]),
            ]
        )
    }()

    /// One guard per dialect: every input is read as SQLite's SQL and as PostgreSQL's.
    static let guards = SQLDialect.allCases.map { QueryGuard(contract: contract, configuration: GuardConfiguration(dialect: $0)) }

    static func check(_ data: UnsafeBufferPointer<UInt8>) {
        let sql = String(decoding: data, as: UTF8.self)
        for queryGuard in guards {
            if let violation = GuardInvariants.violation(of: sql, guard: queryGuard, contract: contract, roles: ["analyst", "team"]) {
                fatalError("\(queryGuard.configuration.dialect.rawValue): \(violation)")
            }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGuard(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    GuardFuzzer.check(UnsafeBufferPointer(start: data, count: size))
    JSONFuzzer.check(UnsafeBufferPointer(start: data, count: size))
    return 0
}

typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

@_silgen_name("__lsan_disable") func __lsan_disable()
@_silgen_name("__lsan_enable") func __lsan_enable()

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> CInt

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
@_cdecl("readout_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    // The guards (and the row policies they parse once) live for the whole run. LeakSanitizer
    // reports what they hold as leaked, most likely because it cannot follow some of Swift's enum
    // payload pointers (tag bits in them); they are made before the first input with leak
    // tracking off. (Not a real leak: making 20,000 guards in a loop grows RSS by ~0.1 MB.)
    __lsan_disable()
    _ = GuardFuzzer.guards
    __lsan_enable()
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzGuard(data, size) }
}
#else
@main
struct Replay {
    static func main() throws {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty { print("usage: readout-fuzz FILE… (replays inputs; see docs/security.md to fuzz)") }
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes {
                GuardFuzzer.check($0.bindMemory(to: UInt8.self))
                JSONFuzzer.check($0.bindMemory(to: UInt8.self))
            }
            print("ok \(path)")
        }
    }
}
#endif
