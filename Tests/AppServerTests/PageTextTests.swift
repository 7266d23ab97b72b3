import Foundation
import Mustache
import Testing
@testable import AppServer

/// The page text helpers were rewritten on UTF-8 bytes for speed; each is checked here
/// against the straightforward Character / Foundation / swift-mustache version it replaced.
@Suite struct PageTextTests {
    /// The split PostBody.paragraphs implements, the slow way: lines end at LF, CR LF is
    /// one break, a lone CR is text; lines are trimmed of spaces and tabs by Characters.
    /// (The Character split it replaced also glued a CR just before a CR LF to the next
    /// line: "a\r" + "\n" formed a new CR LF grapheme after replacing CR LF by LF.)
    static func referenceParagraphs(_ text: String) -> [[String]] {
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" {
                lines.append(String(line))
                line = String.UnicodeScalarView()
            } else if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                continue
            } else {
                line.append(scalar)
            }
        }
        lines.append(String(line))
        var paragraphs: [[String]] = []
        var current: [String] = []
        for line in lines {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    static func referenceExcerpt(_ text: String, limit: Int) -> String {
        let first = referenceParagraphs(text).first?.joined(separator: " ") ?? ""
        guard first.count > limit else { return first }
        var cut = String(first.prefix(limit))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + "…"
    }

    static let tricky = [
        "", "\n", "\r\n", "a\rb", "a\r\n\r\nb", " \t x \t \n\n\n y", "\r", "\r\r\n\n", "x\r", "\n\r",
        " \u{301}combining after a leading space", "trailing prepend \u{600} ", "e\u{301} \n é\t",
        "日本語の 文章\n\n二つ目", "👩‍👩‍👧 family \r\n\r\n 😀", "tab\tinside\n  \n\t\nend  ",
    ]

    @Test func paragraphsMatchTheReferenceSplit() {
        for text in Self.tricky {
            #expect(PostBody.paragraphs(text) == Self.referenceParagraphs(text), "\(text.debugDescription)")
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "bc", " ", "\t", "\n", "\r", "\r\n", "é", "\u{301}", "\u{600}", "😀", "&", "<"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(PostBody.paragraphs(text) == Self.referenceParagraphs(text), "\(text.debugDescription)")
            let limit = Int.random(in: 0...12, using: &generator)
            #expect(PostBody.excerpt(text, limit: limit) == Self.referenceExcerpt(text, limit: limit), "\(text.debugDescription)")
        }
    }

    @Test func excerptsMatch() {
        let ascii = (0..<90).map { "word\($0 % 7)" }.joined(separator: " ")
        for limit in [0, 1, 5, 22, 279, 280, 281, 600] {
            #expect(PostBody.excerpt(ascii, limit: limit) == Self.referenceExcerpt(ascii, limit: limit))
            let accented = ascii.replacingOccurrences(of: "o", with: "ö")
            #expect(PostBody.excerpt(accented, limit: limit) == Self.referenceExcerpt(accented, limit: limit))
        }
        #expect(PostBody.excerpt("nospacesatall", limit: 4) == "nosp…")
    }

    @Test func escapingMatchesSwiftMustache() throws {
        let samples = ["", "plain", "<script>alert('x') & \"y\"</script>", "a&&b", "日本 <b>", "'", "é&é", "😀>"]
        let template = try MustacheTemplate(string: "{{value}}")
        for sample in samples {
            #expect(HTMLEscaping.escape(sample) == template.render(["value": sample]))
        }
        #expect(HTMLEscaping.escape("<&>\"'") == "&lt;&amp;&gt;&quot;&#39;")
    }

    @Test func datesMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December"]
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
                     Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31T23:59:59
                     Date(timeIntervalSince1970: -11_644_473_600.5), Date(timeIntervalSince1970: 1_795_000_000.999)]
        for _ in 0..<5000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -12_000_000_000...260_000_000_000, using: &generator))) }
        for date in dates {
            #expect(DateText.iso(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)")
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            #expect(DateText.human(date) == "\(c.day!) \(months[c.month! - 1]) \(c.year!)", "\(date.timeIntervalSince1970)")
        }
    }

    /// The blog's templates through PageRenderer (pragma, HTMLEscaping) give the same
    /// bytes as plain swift-mustache with its own HTML escaping.
    @Test func pagesMatchPlainSwiftMustache() async throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/templates").path
        let renderer = try await PageRenderer(directory: directory)
        let plain = try await MustacheLibrary(directory: directory)
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let posts = [Post(id: 7, title: "A <b>bold</b> & 'quoted' \"title\"", author: "Ada", createdAt: date,
                          body: "First line\nsecond <i>line</i>\n\nNext paragraph", commentCount: 2),
                     Post(id: 8, title: "Plain", author: "Grace", createdAt: date, body: "x", commentCount: 0)]
        let comments = [Comment(id: 1, author: "<script>alert(1)</script>", body: "hi & bye", createdAt: date)]
        var form = CommentForm()
        form.author = "Typed \"name\""
        let errors = ["body": "Please write a comment."]
        let contexts: [(String, TemplateFields)] = [
            ("index", renderer.frontPageContext(posts: posts)),
            ("index", renderer.frontPageContext(posts: [])),
            ("post", renderer.postPageContext(post: posts[0], comments: comments, form: form, errors: errors, csrfToken: "t<k>")),
            ("post", renderer.postPageContext(post: posts[1], comments: [], form: CommentForm(), errors: [:], csrfToken: "t")),
            ("error", renderer.errorPageContext(status: 404, heading: "Not <here>", message: "m & n", link: "/", linkLabel: "Back")),
        ]
        for (template, context) in contexts {
            let ours = renderer.render(template, context)
            #expect(ours == plain.render(context, withTemplate: template))
            #expect(!ours.contains("<script>alert"))
        }
    }
}
