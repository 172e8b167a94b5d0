import ArgumentParser
import Foundation
import Semantic
import Warehouse

extension ReadoutBench {
    /// `readout guard --file` as a whole process against sqlglot doing the same as a whole process.
    struct GuardFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "guard-file",
            abstract: "readout guard --file over N copies of the approve corpus vs sqlglot as a whole process, same file.",
            discussion: """
                The peer (fixtures/bench/peer_guard_file.py) parses every line as SQLite SQL, lists the \
                physical tables it reads and writes one JSON line per query, as `readout guard --file` \
                writes one decision per line. Start-up is inside both figures; the best run of each is \
                compared. Needs python3 with sqlglot ($VENV/bin, on PATH, or --python).
                """
        )

        @Option(help: "Copies of fixtures/guard/approve.jsonl in the file.")
        var copies = 400

        @Option(help: "Runs of each; the best is compared.")
        var runs = 3

        @Option(help: "The Python interpreter with sqlglot (default: python3 in $VENV/bin, then on PATH).")
        var python: String?

        @OptionGroup var binary: ReadoutBinary

        func run() throws {
            let readout = try binary.resolved()
            let python = try BenchTools.python(python)
            let semantic = try SemanticDirectory.locate(explicit: nil)
            let root = semantic.root.deletingLastPathComponent()
            let corpus = root.appendingPathComponent("fixtures/guard/approve.jsonl")
            let queries = try String(contentsOf: corpus, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                return (object["sql"] as? String)?.replacingOccurrences(of: "\n", with: " ")
            }
            let scratch = try BenchScratch("guard-file")
            let file = scratch.file("queries.sql")
            let count = queries.count * copies
            try (Array(repeating: queries.joined(separator: "\n"), count: copies).joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
            let version = try runToEnd(python, ["-c", "import sqlglot; print(sqlglot.__version__)"]).trimmingCharacters(in: .whitespacesAndNewlines)
            print("queries: \(count) (\(copies) × fixtures/guard/approve.jsonl), sqlglot \(version)")
            var ours: [Double] = [], theirs: [Double] = []
            for _ in 0..<max(runs, 1) {
                // Exit 3: some decision refused (a role may not read every corpus table); still a run.
                ours.append(try timedRun(readout, ["guard", "--file", file, "--semantic", semantic.root.path, "--audit-db", scratch.file("audit.db")],
                                         log: scratch.file("ours.jsonl"), errors: scratch.file("ours.err"), success: [0, 3]))
                theirs.append(try timedRun(python, [root.appendingPathComponent("fixtures/bench/peer_guard_file.py").path, file],
                                           log: scratch.file("theirs.jsonl"), errors: scratch.file("theirs.err")))
            }
            for (name, output) in [("readout", "ours.jsonl"), ("sqlglot", "theirs.jsonl")] {
                let lines = try String(contentsOfFile: scratch.file(output), encoding: .utf8).utf8.lazy.filter { $0 == 0x0A }.count
                guard lines == count else { throw BenchFailure("\(name) wrote \(lines) lines for \(count) queries.") }
            }
            print("readout guard --file: " + ours.map { String(format: "%.3f", $0) }.joined(separator: " ") + " s")
            print("sqlglot (python3):    " + theirs.map { String(format: "%.3f", $0) }.joined(separator: " ") + " s")
            let best = (ours.min() ?? 1, theirs.min() ?? 1)
            print(String(format: "best of each: readout %.0f queries/s, sqlglot %.0f queries/s: %.1f×", Double(count) / best.0, Double(count) / best.1, best.1 / best.0))
        }
    }
}
