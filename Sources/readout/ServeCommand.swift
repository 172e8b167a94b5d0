import Analysis
import ArgumentParser
import Foundation
import MLflow
import MCPServer
import Gateway
import Governance
import Hummingbird
import Logging
import NIOCore
import PostgresWarehouse
import Semantic
import Server
import WebPages
import Warehouse

extension Readout {
    /// `readout serve`: the HTTP API.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the HTTP API, MCP at /mcp, and the web dashboard (experiments, live results, ask, audit, alerts).",
            discussion: """
                Every /api route, /metrics and /mcp need `Authorization: Bearer KEY` (create keys with \
                `readout keys create`). /mcp serves the same tools to chat assistants over MCP's \
                Streamable HTTP transport, with the same keys and roles. The pages (/login, /experiments, /ask, /audit, \
                /alerts) sign in with a key; they update live after each background refresh (--refresh-every), which also \
                checks for alerts and posts them to --alert-webhook URLs. Stops gracefully on SIGTERM or SIGINT: in-flight requests \
                finish, databases close.
                """
        )

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .customLong("mcp-allow-origin"), help: ArgumentHelp("A browser origin (scheme://host[:port]) allowed to call /mcp; repeat for more. Bound to loopback, loopback origins are allowed already; any other Origin is refused with 403.", valueName: "origin"))
        var mcpAllowOrigin: [String] = []

        @Flag(name: .customLong("mcp-json-responses"), help: "Answer each MCP POST at /mcp with one JSON body instead of an SSE stream (for clients that read only JSON).")
        var mcpJSONResponses = false

        @Option(help: "Port to listen on (0 picks a free one).")
        var port = 8080

        @Option(help: "Requests per second each key may make on average (burst twice that).")
        var rate: Double = 20

        @Option(name: .customLong("refresh-every"), help: "Seconds between background incremental model refreshes (0 turns them off, and the alert check with them).")
        var refreshEvery = 60

        @Option(name: .customLong("alert-webhook"), help: ArgumentHelp("A URL each new alert is POSTed to (Slack-compatible JSON, signed with $READOUT_ALERT_SECRET when set); repeat for more. Adds to readout.yaml's alerts.webhooks.", valueName: "url"))
        var alertWebhook: [String] = []

        @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent (slow or stalled clients) before it is closed.")
        var idleTimeout = 30

        @Option(help: ArgumentHelp("Read-only connections (each on its own thread) that run questions' and SQL's queries at the same time (default: four per core, at least four).", valueName: "n"))
        var readers: Int?

        @Option(name: .customLong("queue"), help: ArgumentHelp("Queries that may wait for a free reader; beyond that, and after --queue-wait seconds of waiting, a query is turned away with 503 and Retry-After (default: eight per reader).", valueName: "n"))
        var queueLimit: Int?

        @Option(name: .customLong("queue-wait"), help: "Seconds a query may wait for a free reader before it is turned away.")
        var queueWait: Double = 1

        @Option(name: .customLong("log-format"), help: "text, or json (one object per line, with the request id).")
        var logFormat: LogFormat = .text

        enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: ArgumentHelp("Log each experiment whose decision a background refresh changes as an MLflow run on this tracking server (default: $READOUT_MLFLOW, else readout.yaml mlflow.tracking_uri).", valueName: "uri"))
        var mlflow: String?

        @OptionGroup var governance: GovernanceOptions
        @OptionGroup var options: WarehouseOptions

        /// Brings the models up to date with tracked events every `every` seconds, on its own
        /// connection: readers keep the previous state (WAL) until each refresh commits.
        /// After each refresh, the alert check: every running experiment on the first pass and every
        /// 30 s or so (staleness needs no events to change), the refreshed ones whenever events arrive.
        /// New alerts go to the webhooks without waiting for them.
        static func refreshLoop(warehouse: WarehouseLocation, contract: SemanticContract, semantic: SemanticDirectory, analysis: AnalysisConfiguration, every seconds: Int, live: LiveHub,
                                service: ReadoutService, alerts: AlertSettings, webhooks: WebhookDelivery, mlflow: MLflowClient? = nil) async {
            var logger = Logger(label: "readout.refresh")
            logger.logLevel = .info
            var lastFullCheck: ContinuousClock.Instant?
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                if Task.isCancelled { return }
                do {
                    let connection = try warehouse.open(name: "readout-refresh")
                    let before = mlflow == nil ? nil : try? Self.decisions(connection)
                    let run = try IncrementalBuild.analysed(semantic, configuration: analysis).run(on: connection)
                    // On PostgreSQL the database enforces the contract too: a rebuilt table needs its grants
                    // again (tables refreshed in place keep theirs, and applying takes exclusive locks).
                    if run.rebuiltTables, let postgres = connection as? PostgresSession { try PostgresContract.apply(contract, on: postgres) }
                    if run.events > 0 {
                        logger.info("incremental refresh", metadata: ["run_id": "\(run.runID)", "events": "\(run.events)", "experiments": "\(run.experiments.joined(separator: ","))"])
                        await live.refreshed(run: run.runID, experiments: Set(run.experiments))
                        if let mlflow, let before {
                            Self.logDecisionChanges(before: before, connection: connection, analysis: analysis, to: mlflow, logger: logger)
                        }
                    }
                    let full = lastFullCheck.map { ContinuousClock.now - $0 > .seconds(30) } ?? true
                    if full || run.events > 0 {
                        if full { lastFullCheck = .now }
                        let found = try await service.checkAlerts(full ? nil : Set(run.experiments), settings: alerts)
                        for alert in found {
                            logger.info("alert", metadata: ["alert_id": "\(alert.id)", "experiment": "\(alert.experimentID)", "kind": "\(alert.kind)"])
                        }
                        webhooks.send(found)
                    }
                } catch {
                    logger.error("incremental refresh failed", metadata: ["error": "\((error as? WarehouseError)?.message ?? "\(error)")"])
                }
            }
        }

        /// Every experiment's decision per analysis mode, as the verdicts table holds it now.
        static func decisions(_ connection: any WarehouseSession) throws -> DecisionSnapshot {
            var decisions: [DecisionSnapshot.Key: String] = [:]
            for row in try connection.rows("SELECT experiment_id, analysis_mode, verdict, variation_id FROM fct_experiment_verdicts") {
                guard let id = row[0].string, let mode = row[1].string else { continue }
                decisions[DecisionSnapshot.Key(experimentID: id, mode: mode)] = "\(row[2].string ?? "") \(row[3].string ?? "")"
            }
            return DecisionSnapshot(decisions: decisions)
        }

        /// After a refresh: each experiment and mode whose decision changed is analysed again and logged as an
        /// MLflow run, on its own task (a slow or absent tracking server never holds up the refresh).
        static func logDecisionChanges(before: DecisionSnapshot, connection: any WarehouseSession, analysis: AnalysisConfiguration, to mlflow: MLflowClient, logger: Logger) {
            guard let after = try? decisions(connection) else { return }
            for change in before.changes(to: after) {
                guard let mode = WarehouseExperiment.Mode(rawValue: change.mode),
                      let input = try? WarehouseExperiment.load(change.experimentID, mode: mode, from: connection) else { continue }
                let report = Analyzer(configuration: analysis).analyze(input)
                let run = MLflowRun(report: report, experimentID: change.experimentID)
                Task.detached {
                    do {
                        let logged = try await mlflow.log(run)
                        logger.info("decision logged to MLflow", metadata: ["experiment": "\(change.experimentID)", "mode": "\(change.mode)", "decision": "\(report.decision.verdict.rawValue)", "run_id": "\(logged.runID)"])
                    } catch {
                        logger.warning("MLflow logging failed", metadata: ["experiment": "\(change.experimentID)", "error": "\(error)"])
                    }
                }
            }
        }

        func validate() throws {
            if let mlflow, URL(string: mlflow).map({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") && $0.host != nil }) != true {
                throw ValidationError("--mlflow takes the http(s) address of an MLflow tracking server, e.g. http://127.0.0.1:5000 (got \(mlflow)).")
            }
            if let readers, !(1...256).contains(readers) { throw ValidationError("--readers takes 1 to 256 (got \(readers)).") }
            if let queueLimit, !(0...100_000).contains(queueLimit) { throw ValidationError("--queue takes 0 to 100000 (got \(queueLimit)).") }
            if !(0...60).contains(queueWait) { throw ValidationError("--queue-wait takes 0 to 60 seconds (got \(queueWait)).") }
            for url in alertWebhook {
                guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                    throw ValidationError("--alert-webhook takes an http(s) URL such as https://hooks.slack.com/services/… (got \(url)).")
                }
            }
            for origin in mcpAllowOrigin {
                guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.path.isEmpty || url.path == "/" else {
                    throw ValidationError("--mcp-allow-origin takes an origin such as https://chat.example.com or http://localhost:3000 (got \(origin)).")
                }
            }
        }

        func run() async throws {
            if logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
            let semantic = try options.semanticDirectory()
            let analysis = try Settings.resolve(warehouse: options, governance: governance).analysis
            let workflow = try options.workflow(analysis: analysis)
            let location = try options.location
            let gateway = try options.gateway(governance, workflow: workflow)
            try gateway.startReaders(ReaderPool.Configuration(size: readers ?? ReaderPool.Configuration.defaultSize, queueLimit: queueLimit,
                                                              maxWait: .milliseconds(Int64(max(0, queueWait) * 1000))))
            let service = ReadoutService(gateway: gateway, rate: rate, burst: rate * 2, scrapeToken: ProcessInfo.processInfo.environment["READOUT_METRICS_TOKEN"])
            let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
            let mcp = MCPHTTPEndpoint(backend: service, contract: gateway.contract, version: Readout.configuration.version,
                                      configuration: .init(loopbackOnly: loopback, allowedOrigins: mcpAllowOrigin, jsonResponses: mcpJSONResponses))
            let live = LiveHub()
            let file = try ReadoutConfiguration.current()
            let alertSettings = file.alerts
            let webhooks = WebhookDelivery(urls: (file.alertWebhooks + alertWebhook).compactMap(URL.init(string:)),
                                           secret: ReadoutConfiguration.env(file.alertSecretVariable))
            let app = Application(
                router: ReadoutRoutes.router(service: service, mcp: mcp, pages: try PageRenderer(), live: live, version: Readout.configuration.version),
                server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(Int64(max(1, idleTimeout))))),
                configuration: .init(address: .hostname(host, port: port), serverName: "readout"),
                onServerRunning: { channel in
                    // Written unbuffered, so a supervisor reading a pipe sees the port at once.
                    let line = "Readout is listening on http://\(host):\(channel.localAddress?.port ?? port) (warehouse \(location), audit \(governance.auditPath)).\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            )
            let configuredMLflow = try ReadoutConfiguration.current().mlflowTrackingURI
            let tracking = (mlflow ?? ReadoutConfiguration.env("READOUT_MLFLOW") ?? configuredMLflow).flatMap(URL.init(string:)).map { MLflowClient(trackingURI: $0) }
            let contract = gateway.contract
            let refresher = refreshEvery > 0 ? Task.detached { [location, interval = refreshEvery] in
                await Self.refreshLoop(warehouse: location, contract: contract, semantic: semantic, analysis: analysis, every: interval, live: live,
                                       service: service, alerts: alertSettings, webhooks: webhooks, mlflow: tracking)
            } : nil
            defer { refresher?.cancel() }
            var logger = Logger(label: "readout.serve")
            logger.logLevel = .info
            do {
                try await app.runService()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                Terminal.printError("port \(port) is already in use on \(host); choose another with --port (or stop the other server).")
                throw ExitCode(1)
            } catch let error as IOError where error.errnoCode == EACCES {
                Terminal.printError("not allowed to listen on \(host):\(port) (ports below 1024 need privileges); choose another with --port.")
                throw ExitCode(1)
            }
            logger.info("Readout stopped", metadata: ["reason": "shutdown signal"])
        }
    }

    /// `readout keys …`: API keys for the HTTP service.
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke API keys for `readout serve`.",
            subcommands: [Create.self, List.self, Revoke.self]
        )

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a key; it is printed once and stored only as a salted hash.")
            @Option(help: "analyst, chat, auditor, admin, tracker (or another role of the contract).") var role: String
            @Option(help: "Who or what holds the key, e.g. slack-bot.") var name: String
            @OptionGroup var options: WarehouseOptions

            func run() async throws {
                let contract = try options.contract()
                let roles = APIKeyStore.validRoles(contract)
                guard roles.contains(role) else { throw ValidationError("Unknown role \(role); choose one of \(roles.joined(separator: ", ")).") }
                let connection = try options.openMigrated()
                let (key, token) = try APIKeyStore(connection: connection).create(name: name, role: role)
                print(token)
                Terminal.printError("Created key \(key.keyID) for \(key.name) (role \(key.role)). It is shown only this once; store it now.")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
            @Option(help: "Output format.") var format: OutputFormat = .table
            @OptionGroup var options: WarehouseOptions

            func run() async throws {
                let connection = try options.openMigrated()
                let rows: [[DatabaseValue]] = try APIKeyStore(connection: connection).list().map {
                    [.text($0.keyID), .text($0.name), .text($0.role), .text($0.createdAt), $0.revokedAt.map { .text($0) } ?? .null]
                }
                print(ResultTable(columns: ["key_id", "name", "role", "created_at", "revoked_at"], rows: rows).rendered(as: format), terminator: "")
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a key by name or key id; it stops working at once.")
            @Argument(help: "The key's name or id.") var key: String
            @OptionGroup var options: WarehouseOptions

            func run() async throws {
                let connection = try options.openMigrated()
                guard try APIKeyStore(connection: connection).revoke(key) else {
                    throw ValidationError("No active key named \(key); `readout keys list` shows them.")
                }
                print("Revoked \(key).")
            }
        }
    }
}
