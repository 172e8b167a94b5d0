import ArgumentParser
import Foundation
import ReadoutTesting
import Warehouse

extension ReadoutBench {
    /// `/api/query` under load against Datasette's JSON API on the same file and query, in one run.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "POST /api/query under load vs Datasette on the same file and query (wrk), in one run.",
            discussion: """
                Both servers serve a copy of DEMO.db on 127.0.0.1 only and are stopped at the end. Readout \
                runs with its audit log on (every request appended and fsynced before it is answered) and \
                a rate limit high enough not to interfere. Both answer the query correctly before anything \
                is timed, and each gets the same 3-second warm-up under the same load. With --pg-url (a \
                PostgreSQL database holding the same demo: readout demo --warehouse URL with the file's \
                --users and seed), a third run serves that database, after checking it answers the same \
                rows. Needs wrk, and datasette ($VENV/bin, on PATH, or --datasette).
                """
        )

        static let sql = "SELECT variation_id, n_users, conversion_rate, uplift_rel FROM fct_experiment_results WHERE experiment_id = 'exp_checkout_button' AND metric_id = 'conversion_7d' AND analysis_mode = 'itt'"

        @Argument(help: "A demo warehouse (readout demo --db FILE).")
        var db: String

        @Option(help: "Seconds of load per server.")
        var seconds = 15

        @Option(help: "Concurrent connections.")
        var connections = 64

        @Option(help: "The datasette executable (default: $VENV/bin/datasette, then on PATH).")
        var datasette: String?

        @Option(help: "Also serve this PostgreSQL demo (postgresql://user@host:port/db).")
        var pgURL: String?

        @Option(help: "Readers in the PostgreSQL pool.")
        var pgReaders = 64

        @OptionGroup var binary: ReadoutBinary

        func run() async throws {
            let readout = try binary.resolved()
            guard let datasette = try BenchTools.peer("datasette", given: datasette, option: "--datasette") else {
                throw BenchFailure("datasette is not on PATH; install it in a venv (pip install datasette) and pass --datasette or VENV=.")
            }
            _ = try BenchTools.wrk()
            let scratch = try BenchScratch("serve")
            let database = try scratch.copy(database: db, to: "demo.db")
            let key = try runToEnd(readout, ["keys", "create", "--role", "analyst", "--name", "bench", "--db", database])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let ours = try LoopbackPort.free(), theirs = try LoopbackPort.free()
            let server = try BenchServer("readout", executable: readout, arguments: [
                "serve", "--db", database, "--audit-db", scratch.file("audit.db"), "--port", "\(ours)", "--rate", "1000000", "--refresh-every", "0",
            ], port: ours, log: scratch.file("readout.log"))
            defer { server.stop() }
            let peer = try BenchServer("datasette", executable: datasette, arguments: [
                "serve", database, "--port", "\(theirs)", "--setting", "sql_time_limit_ms", "2000",
            ], port: theirs, log: scratch.file("datasette.log"))
            defer { peer.stop() }
            try await server.waitUntilAnswering("/healthz")
            try await peer.waitUntilAnswering("/")

            let body = try JSONSerialization.data(withJSONObject: ["sql": Self.sql])
            let script = scratch.file("readout.lua")
            try Self.luaScript(body: body, key: key).write(toFile: script, atomically: false, encoding: .utf8)
            let query = Self.sql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let datasetteURL = peer.base + "/demo.json?sql=\(query)&_shape=array"

            // Both answer the query correctly before they are timed.
            let rows = try await Self.rows(server.base, body: body, key: key)
            guard rows.count == 2 else { throw BenchFailure("readout answered \(rows.count) rows, expected 2.") }
            let (status, answer) = try await httpRequest("GET", datasetteURL)
            guard status == 200, (try jsonObject(answer, what: "datasette") as? [Any])?.count == 2 else {
                throw BenchFailure("datasette answered HTTP \(status): \(String(decoding: answer.prefix(300), as: UTF8.self))")
            }

            // The PostgreSQL run's key is revoked however the run ends (its server stops with it).
            var revokeKey: String?
            defer {
                if let revokeKey, let pgURL { _ = try? runToEnd(readout, ["keys", "revoke", revokeKey, "--warehouse", pgURL]) }
            }
            var postgres: (server: BenchServer, script: String)?
            if let pgURL {
                let keyName = "bench-\(getpid())"
                let pgKey = try runToEnd(readout, ["keys", "create", "--role", "analyst", "--name", keyName, "--warehouse", pgURL])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                revokeKey = keyName
                let port = try LoopbackPort.free()
                let pgServer = try BenchServer("readout on PostgreSQL", executable: readout, arguments: [
                    "serve", "--warehouse", pgURL, "--audit-db", scratch.file("audit-pg.db"), "--port", "\(port)", "--rate", "1000000",
                    "--refresh-every", "0", "--readers", "\(pgReaders)",
                ], port: port, log: scratch.file("readout-pg.log"))
                try await pgServer.waitUntilAnswering("/healthz")
                let pgRows = try await Self.rows(pgServer.base, body: body, key: pgKey)
                guard Self.same(rows, pgRows) else {
                    throw BenchFailure("PostgreSQL at \(pgURL) answers \(pgRows), the file \(rows): load the same demo first.")
                }
                let pgScript = scratch.file("readout-pg.lua")
                try Self.luaScript(body: body, key: pgKey).write(toFile: pgScript, atomically: false, encoding: .utf8)
                postgres = (pgServer, pgScript)
            }
            defer { postgres?.server.stop() }

            // The same 3-second warm-up for each (page cache, pools, first-call paths); only the
            // runs after it are reported.
            _ = try runWrk(server.base + "/api/query", seconds: 3, connections: connections, script: script)
            _ = try runWrk(datasetteURL, seconds: 3, connections: connections)
            print("== readout POST /api/query (audit on, synchronous=FULL), \(connections) connections, \(seconds) s")
            let readoutReport = try runWrk(server.base + "/api/query", seconds: seconds, connections: connections, script: script)
            print(readoutReport.text)
            print("== datasette GET /demo.json?sql=…, \(connections) connections, \(seconds) s")
            let datasetteReport = try runWrk(datasetteURL, seconds: seconds, connections: connections)
            print(datasetteReport.text)
            var postgresReport: WrkReport?
            if let postgres {
                print("== readout on PostgreSQL POST /api/query (pool \(pgReaders), audit on), \(connections) connections, \(seconds) s")
                _ = try runWrk(postgres.server.base + "/api/query", seconds: 3, connections: connections, script: postgres.script)
                postgresReport = try runWrk(postgres.server.base + "/api/query", seconds: seconds, connections: connections, script: postgres.script)
                print(postgresReport?.text ?? "")
            }

            let audited = try Connection(path: scratch.file("audit.db"), mode: .readOnly).scalar("SELECT count(*) FROM audit_log").int64 ?? 0
            let verify = try timedRun(readout, ["audit", "verify", "--audit-db", scratch.file("audit.db")], log: scratch.file("verify.log"))
            print(String(format: "audit entries written: %lld; audit verify: %.2f s", audited, verify))
            print("readout:   \(readoutReport.summary)")
            print("datasette: \(datasetteReport.summary)")
            print(String(format: "ratio: %.2f× requests/s", readoutReport.perSecond / datasetteReport.perSecond))
            if let postgresReport {
                print("readout on PostgreSQL: \(postgresReport.summary)" + String(format: " (%.2f× datasette)", postgresReport.perSecond / datasetteReport.perSecond))
            }
        }

        static func luaScript(body: Data, key: String) -> String {
            """
            wrk.method = "POST"
            wrk.body = [[\(String(decoding: body, as: UTF8.self))]]
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer \(key)"
            """
        }

        /// The rows `/api/query` answers, after checking the query was approved.
        static func rows(_ base: String, body: Data, key: String) async throws -> [[Any]] {
            let (status, data) = try await httpRequest("POST", base + "/api/query", body: body, headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/json"])
            let answer = try jsonObject(data, what: "/api/query") as? [String: Any]
            guard status == 200, answer?["decision"] as? String == "approved", let rows = answer?["rows"] as? [[Any]] else {
                throw BenchFailure("\(base)/api/query answered HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return rows
        }

        /// Equal rows, numbers to a relative 1e-9 (as the engines' parity tests).
        static func same(_ a: [[Any]], _ b: [[Any]]) -> Bool {
            guard a.count == b.count else { return false }
            for (left, right) in zip(a, b) {
                guard left.count == right.count else { return false }
                for (x, y) in zip(left, right) {
                    if let x = x as? Double, let y = y as? Double {
                        if abs(x - y) > 1e-9 * max(abs(x), abs(y)) { return false }
                    } else if "\(x)" != "\(y)" {
                        return false
                    }
                }
            }
            return true
        }
    }
}
