public import Foundation
import Mustache

/// The pages' templates (`Templates/*.mustache`, package resources) and static files
/// (`Static/`), loaded once. `{{name}}` escapes HTML; only server-drawn SVG goes out unescaped.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let statics: [String: StaticFile]

    public struct StaticFile: Sendable {
        public var data: Data
        public var contentType: String
    }

    public static let templates = ["header", "footer", "login", "error", "experiments", "experiment", "ask", "audit", "alerts", "intake", "analyze"]

    public init() throws {
        var library = MustacheLibrary()
        for name in Self.templates {
            guard let url = Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "The page template \(name).mustache is missing from the Readout bundle."])
            }
            try library.register(String(contentsOf: url, encoding: .utf8), named: name)
        }
        var statics: [String: StaticFile] = [:]
        for (name, type) in [("readout.css", "text/css; charset=utf-8"), ("readout.js", "text/javascript; charset=utf-8")] {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Static") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "The static file \(name) is missing from the Readout bundle."])
            }
            statics[name] = StaticFile(data: try Data(contentsOf: url), contentType: type)
        }
        self.library = library
        self.statics = statics
    }

    /// The page `template` filled with `context`.
    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(Self.clean(context) ?? [:], withTemplate: template) ?? "<!doctype html><title>Readout</title><p>The page \(template) could not be drawn.</p>"
    }

    /// The context without absent values: an optional that holds nothing is left out (so a section
    /// on it is skipped) instead of reaching the template, which would print "nil".
    static func clean(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return clean(wrapped)
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(clean) }
        if let array = value as? [Any] { return array.compactMap(clean) }
        return value
    }

    /// A whole page: `body` with the parts every page has — the title, the version, and the
    /// signed-in viewer (the header's menu, and the CSRF token every form carries).
    public func page(_ template: String, title: String, viewer: Viewer?, version: String, _ body: [String: Any]) -> String {
        var context = body
        context["title"] = title
        context["version"] = version
        if let viewer {
            context["user"] = viewer.context
            context["csrf"] = viewer.csrf
        }
        return render(template, context)
    }

    public func staticFile(_ name: String) -> StaticFile? { statics[name] }
}
