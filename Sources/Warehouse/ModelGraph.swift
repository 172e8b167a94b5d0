/// The models in dependency order.
///
/// Built from each model's declared `depends_on`; refuses an undeclared
/// dependency (a model whose SQL names another model it does not declare), a
/// dependency on itself, and cycles, naming the models involved.
public struct ModelGraph: Sendable {
    /// The models, each after everything it depends on.
    public let ordered: [SemanticModel]

    public init(models: [SemanticModel]) throws {
        var byName: [String: SemanticModel] = [:]
        for model in models {
            if let existing = byName[model.name] {
                throw WarehouseError(code: .modelGraph, message: "Two models are named \(model.name) (\(existing.file) and \(model.file)); rename one.")
            }
            byName[model.name] = model
        }
        for model in models {
            let declared = Set(model.dependencies.map { $0.lowercased() })
            if declared.contains(model.name.lowercased()) {
                throw WarehouseError(code: .modelGraph, message: "\(model.file): model \(model.name) lists itself in depends_on; remove it.")
            }
            let undeclared = model.referencedIdentifiers
                .intersection(byName.keys.map { $0.lowercased() })
                .subtracting(declared)
                .subtracting([model.name.lowercased()])
            if let missing = undeclared.sorted().first {
                throw WarehouseError(code: .modelGraph, message: "\(model.file): model \(model.name) reads \(missing) but does not declare it; add it to '-- depends_on:'.")
            }
        }

        // Kahn's algorithm; ties broken by name so the order is stable.
        var remaining = Dictionary(uniqueKeysWithValues: models.map { model in
            (model.name, Set(model.dependencies.filter { byName[$0] != nil }))
        })
        var ordered: [SemanticModel] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.keys.sorted()
            guard !ready.isEmpty else {
                throw WarehouseError(code: .modelGraph, message: "Models depend on each other in a cycle: \(Self.cycle(in: remaining)). Break it by removing one dependency.")
            }
            for name in ready {
                remaining[name] = nil
                if let model = byName[name] { ordered.append(model) }
            }
            for key in remaining.keys {
                remaining[key]?.subtract(ready)
            }
        }
        self.ordered = ordered
    }

    /// Dependencies that are not models: the source tables the build reads.
    public var sourceDependencies: Set<String> {
        let modelNames = Set(ordered.map(\.name))
        return Set(ordered.flatMap(\.dependencies)).subtracting(modelNames)
    }

    private static func cycle(in edges: [String: Set<String>]) -> String {
        guard var current = edges.keys.sorted().first else { return "" }
        var path: [String] = []
        while !path.contains(current) {
            path.append(current)
            guard let next = edges[current]?.sorted().first else { break }
            current = next
        }
        let start = path.firstIndex(of: current) ?? 0
        return (path[start...] + [current]).joined(separator: " → ")
    }
}
