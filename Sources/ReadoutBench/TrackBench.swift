import ArgumentParser
import Foundation
import ReadoutTesting
import Semantic
import Warehouse

extension ReadoutBench {
    /// Event ingestion over HTTP against a running `readout serve`: `/api/track/batch` with 10,000
    /// new exposures per request, then single `/api/track` events from many connections (wrk).
    struct Track: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Event ingestion over HTTP: 10,000-event batches, then single events from many connections (wrk).",
            discussion: """
                The server runs on a copy of DEMO.db with its defaults (synchronous = FULL: every answer \
                is sent after its event is on disk), the audit log on and the rate limit out of the way, \
                on 127.0.0.1 only, and is stopped at the end. Every request brings new users, so every \
                event is stored. Afterwards the stored rows are counted: every acknowledged event must be \
                there. Needs wrk on PATH.
                """
        )

        @Argument(help: "A demo warehouse (readout demo --db FILE).")
        var db: String

        @Option(help: "Batches of 10,000 events, sent one after another.")
        var batches = 5

        @Option(help: "Seconds of single-event load.")
        var seconds = 10

        @Option(help: "Concurrent connections for single events.")
        var connections = 64

        @OptionGroup var binary: ReadoutBinary

        func run() async throws {
            let readout = try binary.resolved()
            let wrk = try BenchTools.wrk()
            let scratch = try BenchScratch("track")
            let database = try scratch.copy(database: db, to: "demo.db")
            let key = try runToEnd(readout, ["keys", "create", "--role", "tracker", "--name", "bench", "--db", database])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let port = try LoopbackPort.free()
            let server = try BenchServer("readout", executable: readout, arguments: [
                "serve", "--db", database, "--audit-db", scratch.file("audit.db"), "--port", "\(port)", "--rate", "1000000", "--refresh-every", "0",
            ], port: port, log: scratch.file("readout.log"))
            defer { server.stop() }
            try await server.waitUntilAnswering("/healthz")

            print("== POST /api/track/batch, \(batches) batches of 10,000 new exposures, one client")
            let headers = ["Authorization": "Bearer \(key)", "Content-Type": "application/json"]
            // Each batch on a new connection, written in one go, as curl sends a file.
            var total = 0.0
            for batch in 0..<batches {
                let body = Array(Self.batch("batch\(batch)").utf8)
                let started = ContinuousClock.now
                let (status, answer) = try loopbackPost(port: port, path: "/api/track/batch", body: body, headers: headers)
                let elapsed = (ContinuousClock.now - started).inMilliseconds / 1000
                let accepted = (try jsonObject(answer, what: "/api/track/batch") as? [String: Any])?["accepted"] as? Int
                guard status == 200, accepted == 10_000 else {
                    throw BenchFailure("batch \(batch): HTTP \(status), \(String(decoding: answer.prefix(400), as: UTF8.self))")
                }
                total += elapsed
                print(String(format: "batch %d: %.3f s", batch, elapsed))
            }
            print(String(format: "batches: %.0f events/s (%.3f s for %d events)", Double(batches * 10_000) / total, total, batches * 10_000))

            // Single events: every request a new user (wrk's thread number and a counter).
            let script = scratch.file("track.lua")
            try """
                local threads = 0
                function setup(thread) thread:set("tid", threads); threads = threads + 1 end
                local counter = 0
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer \(key)"
                request = function()
                  counter = counter + 1
                  local body = string.format('{"experimentId":"exp_checkout_button","variantId":"treatment","userKey":"single%d-%d","eventType":"exposure"}', tid, counter)
                  return wrk.format(nil, "/api/track", nil, body)
                end
                """.write(toFile: script, atomically: false, encoding: .utf8)
            print("== POST /api/track, one new event per request, \(connections) connections, \(seconds) s (\(wrk))")
            let single = try runWrk(server.base + "/api/track", seconds: seconds, connections: connections, script: script)
            print(single.text)
            let stored = try Connection(path: database, mode: .readOnly)
            let storedBatch = try stored.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'batch%'").int64 ?? 0
            let storedSingle = try stored.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'single%'").int64 ?? 0
            let acknowledged = single.requests - single.non2xx
            print("single events: \(single.summary)")
            print("stored: \(storedBatch) of \(batches * 10_000) batch events; \(storedSingle) single events for \(acknowledged) acknowledged")
            guard storedBatch == Int64(batches * 10_000), storedSingle >= Int64(acknowledged) else {
                throw BenchFailure("An acknowledged event is missing from tracked_events.")
            }
        }

        /// 10,000 exposures in exp_checkout_button (running) for users no other batch has.
        static func batch(_ prefix: String) -> String {
            var body = #"{"events":["#
            body.reserveCapacity(1_200_000)
            for index in 0..<10_000 {
                if index > 0 { body += "," }
                body += #"{"experimentId":"exp_checkout_button","variantId":""# + (index % 2 == 0 ? "control" : "treatment")
                    + #"","userKey":"\#(prefix)-\#(index)","eventType":"exposure"}"#
            }
            return body + "]}"
        }
    }
}
