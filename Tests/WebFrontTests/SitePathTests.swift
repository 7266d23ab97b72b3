import Testing
@testable import WebFront

@Suite struct SitePathTests {
    @Test func plainPathsSplitIntoSegments() throws {
        let path = try #require(SitePath(requestTarget: "/static/style.css?v=3"))
        #expect(path.segments == ["static", "style.css"])
        #expect(path.relativePath == "static/style.css")
        #expect(path.fileExtension == "css")
        #expect(!path.hasTrailingSlash)
    }

    @Test func rootAndDirectories() throws {
        #expect(try #require(SitePath(requestTarget: "/")).segments.isEmpty)
        let directory = try #require(SitePath(requestTarget: "/static/"))
        #expect(directory.hasTrailingSlash)
        #expect(try #require(SitePath(requestTarget: "//static//a.css")).segments == ["static", "a.css"])
    }

    @Test func percentEscapesAreDecodedOnce() throws {
        #expect(try #require(SitePath(requestTarget: "/a%20b.txt")).segments == ["a b.txt"])
        // %25 decodes to a literal '%', never a second round of decoding.
        #expect(try #require(SitePath(requestTarget: "/%252e%252e/x")).segments == ["%2e%2e", "x"])
    }

    @Test(arguments: [
        "/../etc/passwd", "/static/../../etc/passwd", "/..", "/.", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc",
        "/.%2e/x", "/static/%2f..%2fetc", "/a%5c..%5cb", "/..%5c..%5cwindows", "/%00", "/a%0d%0ab",
        "/.env", "/.git/config", "/static/.hidden", "/%2egit/HEAD", "/%", "/%zz", "/%c0%ae%c0%ae/x",
        "relative", "", "/a\u{0}b",
    ])
    func hostilePathsAreRefused(_ target: String) {
        #expect(SitePath(requestTarget: target) == nil, "\(target) must be refused")
    }

    @Test func wellKnownIsTheOnlyDotDirectoryAllowed() throws {
        #expect(try #require(SitePath(requestTarget: "/.well-known/security.txt")).segments == [".well-known", "security.txt"])
    }
}

@Suite struct MediaTypesTests {
    @Test func typesComeFromTheFileServed() {
        #expect(MediaTypes.contentType(forFilePath: "/srv/site/index.html") == "text/html; charset=utf-8")
        #expect(MediaTypes.contentType(forFilePath: "/srv/site/static/LOGO.SVG") == "image/svg+xml")
        #expect(MediaTypes.contentType(forFilePath: "/srv/site.d/README") == "application/octet-stream")
        #expect(MediaTypes.isCompressible("text/css; charset=utf-8"))
        #expect(!MediaTypes.isCompressible("image/png"))
    }
}
