public import Foundation

/// Scratch space for tests: one folder per test process under the system temp folder,
/// removed when the process exits. Folders left by processes that died are removed by
/// the next run, so a full `swift test` leaves nothing behind.
public enum TestScratch {
    static let prefix = "readout-test-"

    /// This process's folder (created on first use).
    public static let root: URL = {
        let temp = FileManager.default.temporaryDirectory
        removeStale(in: temp)
        let url = temp.appendingPathComponent("\(prefix)\(getpid())")
        try? FileManager.default.removeItem(at: url)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("Cannot create the test scratch folder \(url.path): \(error)")
        }
        atexit { TestScratch.removeRoot() }
        return url
    }()

    /// A new, empty folder inside the scratch folder.
    public static func directory(_ label: String = "dir") -> URL {
        let url = root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("Cannot create \(url.path): \(error)")
        }
        return url
    }

    /// A path for a new file (not created) inside the scratch folder.
    public static func file(_ name: String) -> String {
        root.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)").path
    }

    static func removeRoot() {
        try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)\(getpid())").path)
    }

    /// Scratch folders whose process is gone (a crash, a kill) are removed.
    static func removeStale(in temp: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temp.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: temp.appendingPathComponent(name))
            }
        }
    }
}
