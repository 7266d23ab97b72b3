import Foundation

/// REGEXP / RLIKE / REGEXP_LIKE through Foundation's ICU regular expressions (MySQL 8 uses ICU too).
final class RegexMatcher: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: [UInt8], caseInsensitive: Bool) throws {
        let text = String(decoding: pattern, as: UTF8.self)
        do {
            regex = try NSRegularExpression(pattern: text, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw SQLError(code: 3685, sqlState: "HY000", message: "Illegal argument to a regular expression.")
        }
    }

    nonisolated(unsafe) private static let cache = NSCache<NSString, RegexMatcher>()

    static func cached(_ pattern: [UInt8], caseInsensitive: Bool) throws -> RegexMatcher {
        let key = ((caseInsensitive ? "i:" : "c:") + String(decoding: pattern, as: UTF8.self)) as NSString
        if let m = cache.object(forKey: key) { return m }
        let m = try RegexMatcher(pattern, caseInsensitive: caseInsensitive)
        cache.setObject(m, forKey: key)
        return m
    }

    func matches(_ text: [UInt8]) -> Bool {
        let s = String(decoding: text, as: UTF8.self)
        return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    func replace(_ text: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        let s = String(decoding: text, as: UTF8.self)
        let r = regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: String(decoding: replacement, as: UTF8.self))
        return Array(r.utf8)
    }

    func firstMatch(_ text: [UInt8]) -> (String, Int)? {
        let s = String(decoding: text, as: UTF8.self)
        guard let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), let r = Range(m.range, in: s) else { return nil }
        return (String(s[r]), s.distance(from: s.startIndex, to: r.lowerBound) + 1)
    }
}
