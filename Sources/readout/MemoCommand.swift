import ArgumentParser
import Analysis
import Foundation

extension Readout {
    /// `readout memo`: the one-page decision memo of an experiment.
    struct Memo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the one-page decision memo (conclusion, evidence, risks, next actions).",
            discussion: "Markdown by default; --format html writes one self-contained page with an inline SVG chart."
        )

        enum MemoFormat: String, ExpressibleByArgument, CaseIterable { case markdown, html }

        @OptionGroup var options: WarehouseOptions
        @OptionGroup var source: ExperimentSourceOptions
        @OptionGroup var analysis: AnalysisOptions

        @Option(help: "markdown or html.")
        var format: MemoFormat = .markdown

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() async throws {
            let input = try source.load(mode: analysis.mode, options: options)
            let report = Analyzer(configuration: try analysis.configuration()).analyze(input)
            let memo = DecisionMemo(report: report, input: input)
            let text = format == .html ? memo.html() : memo.markdown()
            if let output {
                do {
                    try text.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw ValidationError("Cannot write \(output): \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("Wrote \(output) (\(report.decision.verdict.rawValue)).\n".utf8))
            } else {
                print(text, terminator: "")
            }
        }
    }
}
