import Mustache

/// A template context object that swift-mustache reads without reflection or dictionary
/// casts: `{{name}}` looks up `child(named:)` (MustacheParent), a linear search over a
/// handful of names. Values are `PageText`, `Bool`, `TemplateFields` or arrays of them.
///
/// Why not `[String: Any]`: swift-mustache casts every object on the context stack and
/// every value it finds to several protocols (MustacheCustomRepresentation, MustacheParent,
/// MustacheTemplate, MustacheCustomRenderable, MustacheLambda, AnyOptional) and prints
/// plain values with `String(describing:)`; with dictionaries of `String`s those casts
/// were ~16% of the app's CPU on `GET /`. A final class and a renderable text type make
/// the casts that succeed come first and cost half the render time (a front page of 20
/// posts: 0.83 → 0.40 ms CPU in a micro-benchmark of the same templates).
final class TemplateFields: MustacheParent {
    private var names: [String] = []
    private var values: [Any] = []

    init(_ fields: KeyValuePairs<String, Any>) {
        names.reserveCapacity(fields.count + 2)
        values.reserveCapacity(fields.count + 2)
        for (name, value) in fields { set(name, value) }
    }

    /// Sets (or replaces) a field. Strings are stored as `PageText`.
    func set(_ name: String, _ value: Any) {
        let stored: Any = (value as? String).map(PageText.init) ?? value
        if let i = names.firstIndex(of: name) {
            values[i] = stored
        } else {
            names.append(name)
            values.append(stored)
        }
    }

    func child(named name: String) -> Any? {
        for i in names.indices where names[i] == name { return values[i] }
        return nil
    }
}

/// Text for `{{name}}`: the page's content type (HTMLEscaping) escapes it like a String,
/// without swift-mustache's `String(describing:)` and optional unwrapping of plain values.
struct PageText: MustacheCustomRenderable, Sendable {
    let renderText: String
    var isNull: Bool { false }

    init(_ text: String) { renderText = text }
}

/// `{{uppercased(name)}}` and swift-mustache's other String transforms work on PageText too.
extension PageText: MustacheTransformable {
    func transform(_ name: String) -> Any? { renderText.transform(name) }
}
