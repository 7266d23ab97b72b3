import Mustache

/// The pages' escaping of `{{name}}`: the five characters swift-mustache's HTML content
/// type replaces (`& < > " '`), with the same replacements, but scanned as UTF-8 bytes
/// (every one of them is ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte
/// scalar) and returning the string itself when nothing needs escaping, which is most
/// values. swift-mustache's own escape walks Characters through a dictionary and was
/// a fifth of the app's CPU time per page.
struct HTMLEscaping: MustacheContentType {
    /// The name the templates are rendered under (`{{% CONTENT_TYPE: ... }}`, which
    /// `PageRenderer` puts in front of every template it loads).
    static let contentTypeName = "ONEBOX_HTML"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: needsEscaping) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        bytes.append(contentsOf: utf8[..<first])
        for byte in utf8[first...] {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }
}
