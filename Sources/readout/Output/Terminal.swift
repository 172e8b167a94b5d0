import Foundation

/// Where human-facing output goes, and whether a person is watching it.
enum Terminal {
    static var standardErrorIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var standardInputIsTTY: Bool { isatty(STDIN_FILENO) == 1 }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Asks a yes/no question on stderr and reads the answer from stdin; false unless "y"/"yes".
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

/// A one-line progress bar redrawn in place on stderr; silent when stderr is not a terminal.
struct ProgressBar {
    let enabled: Bool
    private var lastDrawn = -1

    init(enabled: Bool = Terminal.standardErrorIsTTY) {
        self.enabled = enabled
    }

    mutating func update(_ label: String, done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) [\(bar)] \(percent)%  \(done.formatted())/\(total.formatted())".utf8))
    }

    mutating func status(_ text: String) {
        guard enabled else { return }
        lastDrawn = -1
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
