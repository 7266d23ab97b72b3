/// File extension → `Content-Type`, and which types are worth compressing.
/// Unknown extensions are `application/octet-stream` (nginx's `default_type`).
public enum MediaTypes {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8", "json": "application/json",
        "map": "application/json", "txt": "text/plain; charset=utf-8", "xml": "application/xml",
        "svg": "image/svg+xml", "ico": "image/x-icon", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "pdf": "application/pdf", "wasm": "application/wasm", "webmanifest": "application/manifest+json",
        "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "ogg": "audio/ogg",
        "zip": "application/zip", "gz": "application/gzip", "csv": "text/csv; charset=utf-8",
        "md": "text/markdown; charset=utf-8", "atom": "application/atom+xml", "rss": "application/rss+xml",
    ]

    /// The media type for a file extension (lower case, without the dot).
    public static func contentType(forExtension fileExtension: String) -> String {
        byExtension[fileExtension] ?? "application/octet-stream"
    }

    /// The media type for a file path, by the extension of its last component.
    public static func contentType(forFilePath path: String) -> String {
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map(bytes.index(after:)) ?? bytes.startIndex
        guard let dot = bytes[nameStart...].lastIndex(of: UInt8(ascii: ".")) else { return contentType(forExtension: "") }
        return contentType(forExtension: String(Substring(bytes[bytes.index(after: dot)...])).lowercased())
    }

    /// True for text-like types that gzip shrinks (not images, fonts, archives, media).
    public static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json")
            || contentType.hasPrefix("application/xml") || contentType.hasPrefix("image/svg+xml")
            || contentType.hasPrefix("application/manifest+json") || contentType.hasPrefix("application/atom+xml")
            || contentType.hasPrefix("application/rss+xml") || contentType.hasPrefix("application/wasm")
            || contentType == "image/x-icon"
    }
}
