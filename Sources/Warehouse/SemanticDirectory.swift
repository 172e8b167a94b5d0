public import SQLParser
public import Foundation

/// The `semantic/` folder: migrations, models and data checks, as files.
///
/// SQL and check declarations are data, not Swift: this type only finds and
/// reads them. Layout: `migrations/NNNN_name.sql`, `models/<model>.sql`,
/// `models/*.yml` (data checks).
public struct SemanticDirectory: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var migrationsDirectory: URL { root.appendingPathComponent("migrations") }
    public var modelsDirectory: URL { root.appendingPathComponent("models") }

    /// Finds the semantic folder: `explicit` if given, else `./semantic`, else
    /// the one in the source checkout this binary was built from.
    ///
    /// - Throws: `.io` naming every place looked at.
    public static func locate(explicit: String?, currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> SemanticDirectory {
        var candidates: [URL] = []
        if let explicit {
            candidates.append(URL(fileURLWithPath: explicit, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).standardizedFileURL)
        } else {
            candidates.append(URL(fileURLWithPath: currentDirectory, isDirectory: true).appendingPathComponent("semantic"))
            candidates.append(sourceCheckoutRoot.appendingPathComponent("semantic"))
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("models").path, isDirectory: &isDirectory), isDirectory.boolValue {
                return SemanticDirectory(root: candidate)
            }
        }
        throw WarehouseError(
            code: .io,
            message: "No semantic folder (with a models/ subfolder) at \(candidates.map(\.path).joined(separator: " or ")). Run from the repository root or pass --semantic PATH."
        )
    }

    /// The repository root this file was compiled in (a fallback for running the built binary elsewhere).
    static var sourceCheckoutRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    // MARK: Loading

    /// Every `NNNN_name.sql` under `migrations/` (SQLite's), or under `migrations/<dialect>/`
    /// for another engine: each engine has its own complete, append-only list.
    public func migrations(for dialect: SQLDialect = .sqlite) throws -> [Migration] {
        let directory = dialect.folder.map { migrationsDirectory.appendingPathComponent($0) } ?? migrationsDirectory
        return try files(in: directory, withExtension: "sql").map { url in
            let base = url.deletingPathExtension().lastPathComponent
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]) else {
                throw WarehouseError(code: .migration, message: "\(url.path): migration files are named NNNN_description.sql (e.g. 0002_add_runs.sql); rename it.")
            }
            return Migration(version: version, name: String(parts[1]), sql: try read(url))
        }
    }

    /// Every model under `models/`; for another engine, a file of the same name under
    /// `models/<dialect>/` replaces the shared one (the models that must differ by dialect).
    public func models(for dialect: SQLDialect = .sqlite) throws -> [SemanticModel] {
        var overrides: [String: URL] = [:]
        if let folder = dialect.folder {
            let directory = modelsDirectory.appendingPathComponent(folder)
            if FileManager.default.fileExists(atPath: directory.path) {
                for url in try files(in: directory, withExtension: "sql") {
                    overrides[url.deletingPathExtension().lastPathComponent] = url
                }
            }
        }
        let shared = try files(in: modelsDirectory, withExtension: "sql")
        let sharedNames = Set(shared.map { $0.deletingPathExtension().lastPathComponent })
        if let stray = overrides.keys.sorted().first(where: { !sharedNames.contains($0) }), let url = overrides[stray] {
            throw WarehouseError(code: .modelFile, message: "\(relativePath(url)) replaces no model: there is no models/\(stray).sql. A dialect's file must have the name of the shared model it stands in for.")
        }
        return try shared.map { sharedURL in
            let name = sharedURL.deletingPathExtension().lastPathComponent
            let url = overrides[name] ?? sharedURL
            return try SemanticModel.parse(name: name, text: try read(url), file: relativePath(url))
        }
    }

    /// Every data check declared in `models/*.yml`, plus one uniqueness check per model grain.
    public func dataChecks() throws -> [DataCheck] {
        var checks: [DataCheck] = []
        for url in try files(in: modelsDirectory, withExtension: "yml") {
            checks += try DataCheckFile.parse(yaml: try read(url), file: relativePath(url))
        }
        for model in try models() {
            checks.append(DataCheck(table: model.name, kind: .unique(columns: model.grain), origin: "grain of \(model.file)"))
        }
        return checks
    }

    private func files(in directory: URL, withExtension pathExtension: String) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw WarehouseError(code: .io, message: "Cannot list \(directory.path): \(error.localizedDescription).")
        }
        return names.filter { $0.hasSuffix("." + pathExtension) }.sorted().map { directory.appendingPathComponent($0) }
    }

    private func read(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw WarehouseError(code: .io, message: "Cannot read \(url.path) as UTF-8 text: \(error.localizedDescription).")
        }
    }

    private func relativePath(_ url: URL) -> String {
        let parent = root.deletingLastPathComponent().path
        return url.path.hasPrefix(parent + "/") ? String(url.path.dropFirst(parent.count + 1)) : url.path
    }
}
