import Semantic
import ArgumentParser
import Foundation
import Governance
import SQLParser
import Warehouse

extension ReadoutBench {
    /// Guard decisions per second over the approve corpus, side by side with sqlglot.
    struct Guard: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Guard throughput and latency over fixtures/guard/approve.jsonl, with sqlglot in the same run.",
            discussion: "Each decision is a full check: parse, resolve, policy, rewrite and print. The peer is fixtures/bench/peer_guard.py (sqlglot parse + table extraction)."
        )

        @Option(help: "Passes over the corpus.")
        var rounds = 200

        @Option(help: "Passes the Python peer makes (it is slower, so fewer are enough).")
        var peerRounds = 20

        @Flag(help: "Skip the Python peer.")
        var noPeer = false

        @Option(help: "The Python interpreter with sqlglot (default: python3 in $VENV/bin, then on PATH).")
        var python: String?

        @Flag(help: "Only run --rounds untimed passes of full decisions (for Callgrind: fixtures/bench/guard_instructions.sh).")
        var untimed = false

        func run() throws {
            // The peer's interpreter is found (or refused) before anything is measured.
            let interpreter = untimed || noPeer ? nil : try BenchTools.python(python)
            let semantic = try SemanticDirectory.locate(explicit: nil)
            let corpus = semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/guard/approve.jsonl")
            let queries = try String(contentsOf: corpus, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                return object["sql"] as? String
            }
            let contract = try ContractLoader.load(directory: semantic.root.appendingPathComponent("contract"))
            let queryGuard = QueryGuard(contract: contract)
            for sql in queries { _ = queryGuard.check(sql, role: "analyst") }  // warm-up
            if untimed {
                var approved = 0
                for _ in 0..<rounds { approved += fullDecisionPass(queries, queryGuard) }
                print("untimed: \(rounds * queries.count) decisions (\(approved) approved) over \(queries.count) queries")
                return
            }
            var samples: [UInt64] = []
            samples.reserveCapacity(queries.count * rounds)
            var approved = 0
            for _ in 0..<rounds {
                for sql in queries {
                    let start = DispatchTime.now().uptimeNanoseconds
                    if queryGuard.check(sql, role: "analyst").isApproved { approved += 1 }
                    samples.append(DispatchTime.now().uptimeNanoseconds - start)
                }
            }
            samples.sort()
            let total = Double(samples.reduce(0, +)) / 1e9
            let ours = Double(samples.count) / total
            print(String(format: "readout guard (parse, resolve, policy, rewrite, print): %d decisions (%d approved), %.0f decisions/s, p50 %.1f µs, p99 %.1f µs",
                         samples.count, approved, ours, Double(samples[samples.count / 2]) / 1e3, Double(samples[samples.count * 99 / 100]) / 1e3))
            // The same work as the peer: parse and list the physical tables.
            var parseSamples: [UInt64] = []
            parseSamples.reserveCapacity(samples.count)
            for _ in 0..<rounds {
                for sql in queries {
                    let start = DispatchTime.now().uptimeNanoseconds
                    if case .success(.select(let select))? = try? Parser.parse(sql).first {
                        _ = Resolver.analyse(select, catalog: queryGuard.catalog).tables
                    }
                    parseSamples.append(DispatchTime.now().uptimeNanoseconds - start)
                }
            }
            parseSamples.sort()
            let parseOnly = Double(parseSamples.count) / (Double(parseSamples.reduce(0, +)) / 1e9)
            print(String(format: "readout parse + resolve tables only: %.0f queries/s, p50 %.1f µs, p99 %.1f µs",
                         parseOnly, Double(parseSamples[parseSamples.count / 2]) / 1e3, Double(parseSamples[parseSamples.count * 99 / 100]) / 1e3))
            guard let interpreter else { return }
            let script = semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/bench/peer_guard.py").path
            let output: String
            do { output = try runToEnd(interpreter, [script, corpus.path, String(peerRounds)]) } catch {
                throw BenchFailure("the peer (fixtures/bench/peer_guard.py with \(interpreter)) failed: \(error); it needs sqlglot (pip install sqlglot), or pass --no-peer.")
            }
            guard let peer = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
                  let theirs = peer["decisions_per_second"] as? Double else {
                throw BenchFailure("the peer (fixtures/bench/peer_guard.py) printed no result: \(output.prefix(200))")
            }
            print(String(format: "sqlglot %@: %.0f parses/s, p50 %.1f µs, p99 %.1f µs (%d failures)",
                         peer["version"] as? String ?? "?", theirs, peer["p50_us"] as? Double ?? 0, peer["p99_us"] as? Double ?? 0, peer["failures"] as? Int ?? 0))
            print(String(format: "ratio: full decisions %.1f× sqlglot's throughput; parse + tables %.1f×", ours / theirs, parseOnly / theirs))
        }
    }
}

/// One untimed pass of full decisions over `queries`; its own symbol so Callgrind can count it
/// alone (`--toggle-collect=*fullDecisionPass*`). Returns how many were approved.
@inline(never)
func fullDecisionPass(_ queries: [String], _ queryGuard: QueryGuard) -> Int {
    var approved = 0
    for sql in queries where queryGuard.check(sql, role: "analyst").isApproved { approved += 1 }
    return approved
}
