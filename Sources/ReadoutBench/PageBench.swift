import Analysis
import ArgumentParser
import Foundation
import Gateway
import Governance
import Planner
import Semantic
import SQLParser
import Warehouse
import WebPages

extension ReadoutBench {
    /// The experiment page's server-side work, in process: the overview through the Gateway (the
    /// engine's analysis, the memo, the daily series), the view, and the Mustache render.
    struct Page: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Experiment page render time (overview, view, template), in process.")

        @Option(help: "The warehouse (a demo built with `readout demo`).")
        var db: String = "./readout.db"

        @Option(help: "Renders per experiment.")
        var rounds = 50

        func run() async throws {
            let (gateway, _) = try benchGateway(db: db, workflow: true)
            let pages = try PageRenderer()
            let caller = Caller(principal: "bench", role: RoleName("analyst"), channel: .web)
            let viewer = Viewer(name: "bench", role: RoleName("analyst"), csrf: String(repeating: "0", count: 64), readers: [RoleName("analyst")])
            let ids = try gateway.experiments(status: nil, caller: caller).map(\.id)
            var samples: [Double] = []
            var bytes = 0
            for round in 0..<(rounds + 2) {
                for id in ids {
                    let start = ContinuousClock.now
                    let overview = try gateway.overview(id, mode: .itt, caller: caller)
                    let html = pages.render("experiment", ExperimentDetailView(overview: overview).context(viewer: viewer))
                    let elapsed = (ContinuousClock.now - start).inMilliseconds
                    if round >= 2 { samples.append(elapsed) }  // two warm-up rounds
                    bytes = max(bytes, html.utf8.count)
                }
            }
            samples.sort()
            print(String(format: "experiment page (%d experiments × %d renders, %@): p50 %.2f ms, p99 %.2f ms, max %.2f ms; largest page %d bytes",
                         ids.count, rounds, db, samples[samples.count / 2], samples[samples.count * 99 / 100], samples.last ?? 0, bytes))
        }
    }
}
