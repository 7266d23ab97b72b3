import OneboxCore

/// The outcome of RFC 9110 §13 preconditions for a GET/HEAD of a static file.
public enum ConditionalOutcome: Sendable, Equatable {
    /// Serve normally (200 or, with a Range, 206).
    case proceed
    /// 304 Not Modified.
    case notModified
    /// 412 Precondition Failed (If-Match / If-Unmodified-Since failed).
    case preconditionFailed
}

/// Evaluates the precondition headers against a file's validators, in the order of
/// RFC 9110 §13.2.2: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since.
public struct ConditionalRequest: Sendable {
    public var ifMatch: String?
    public var ifUnmodifiedSince: String?
    public var ifNoneMatch: String?
    public var ifModifiedSince: String?
    public var ifRange: String?

    public init(ifMatch: String? = nil, ifUnmodifiedSince: String? = nil, ifNoneMatch: String? = nil,
                ifModifiedSince: String? = nil, ifRange: String? = nil) {
        self.ifMatch = ifMatch
        self.ifUnmodifiedSince = ifUnmodifiedSince
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifRange = ifRange
    }

    /// The outcome for a representation with strong `etag` and `lastModified` (epoch seconds).
    public func evaluate(etag: String, lastModified: Int) -> ConditionalOutcome {
        if let ifMatch {
            if !Self.list(ifMatch, contains: etag, weak: false) { return .preconditionFailed }
        } else if let ifUnmodifiedSince, let date = HTTPDate.parse(ifUnmodifiedSince), lastModified > date {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if Self.list(ifNoneMatch, contains: etag, weak: true) { return .notModified }
        } else if let ifModifiedSince, let date = HTTPDate.parse(ifModifiedSince), lastModified <= date {
            return .notModified
        }
        return .proceed
    }

    /// Whether a Range may be honoured: no If-Range, or one that matches exactly
    /// (a strong ETag, or the Last-Modified date).
    public func rangeIsApplicable(etag: String, lastModified: Int) -> Bool {
        guard let ifRange = ifRange?.trimmingWhitespace(), !ifRange.isEmpty else { return true }
        if ifRange.hasPrefix("\"") { return ifRange == etag }
        if ifRange.hasPrefix("W/") { return false }
        return HTTPDate.parse(ifRange) == lastModified
    }

    /// `*` or a comma-separated list of entity tags; weak comparison ignores `W/`.
    static func list(_ header: String, contains etag: String, weak: Bool) -> Bool {
        for item in header.split(separator: ",") {
            var tag = String(item).trimmingWhitespace()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") {
                guard weak else { continue }
                tag = String(tag.dropFirst(2))
            }
            if tag == etag { return true }
        }
        return false
    }
}
