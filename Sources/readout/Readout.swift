import ArgumentParser

/// The `readout` command-line tool.
@main
struct Readout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readout",
        abstract: "A governed query gateway and warehouse for experimentation data.",
        discussion: """
            Start with `readout demo` to create a warehouse full of realistic experiment data, \
            then ask it questions (`readout ask`, `readout repl`), run governed SQL \
            (`readout query`), analyse experiments (`readout analyze`) or serve it over HTTP \
            (`readout serve`). `readout build` rebuilds the models after the source tables change.

            The warehouse file is ./readout.db unless --db or READOUT_DB says otherwise.
            """,
        version: "0.1.0",
        subcommands: [Demo.self, Build.self, Check.self, Analyze.self, Memo.self, Power.self, Ask.self, Repl.self, Eval.self, Guard.self, Query.self, Contract.self, Audit.self, Config.self, Serve.self, MCPServe.self, Keys.self]
    )
}
