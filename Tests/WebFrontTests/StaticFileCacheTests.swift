import Foundation
import NIOCore
import Testing
@testable import WebFront

/// The memory cache's remembered lookups: answered without a `stat` only within the
/// revalidate interval, only while the entry is still cached and unchanged.
@Suite struct StaticFileCacheTests {
    static func makeFile(_ text: String) throws -> (path: String, status: FileStatus) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onebox-cache-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return (url.path, try #require(FileStatus(path: url.path)))
    }

    static let sitePath = SitePath(requestTarget: "/robots.txt")!

    @Test func rememberedLookupsLastTheInterval() throws {
        let cache = StaticFileCache(maxFileSize: 1024, maxBytes: 4096, gzip: false, revalidateInterval: .seconds(1))
        let (path, status) = try Self.makeFile("hello")
        let file = try #require(cache.load(path: path, status: status, contentType: "text/plain"))
        let start = NIODeadline.now()
        #expect(cache.recentlyValidated(Self.sitePath, now: start) == nil)
        cache.rememberValidated(Self.sitePath, path: path, file: file, now: start)
        let hit = try #require(cache.recentlyValidated(Self.sitePath, now: start + .milliseconds(999)))
        #expect(hit.path == path)
        #expect(hit.file === file)
        // Past the interval the caller must look on disk again.
        #expect(cache.recentlyValidated(Self.sitePath, now: start + .seconds(1)) == nil)
        // Another spelling is another key until it is checked itself.
        #expect(cache.recentlyValidated(SitePath(requestTarget: "/robots.txt/")!, now: start) == nil)
    }

    @Test func zeroIntervalRemembersNothing() throws {
        let cache = StaticFileCache(maxFileSize: 1024, maxBytes: 4096, gzip: false, revalidateInterval: .zero)
        let (path, status) = try Self.makeFile("hello")
        let file = try #require(cache.load(path: path, status: status, contentType: "text/plain"))
        let now = NIODeadline.now()
        cache.rememberValidated(Self.sitePath, path: path, file: file, now: now)
        #expect(cache.recentlyValidated(Self.sitePath, now: now) == nil)
        #expect(cache.validatedPathCount == 0)
    }

    @Test func evictedOrReplacedEntriesAreNotServed() throws {
        // Room for one 5-byte file only.
        let cache = StaticFileCache(maxFileSize: 1024, maxBytes: 8, gzip: false, revalidateInterval: .seconds(60))
        let (path, status) = try Self.makeFile("hello")
        let file = try #require(cache.load(path: path, status: status, contentType: "text/plain"))
        let now = NIODeadline.now()
        cache.rememberValidated(Self.sitePath, path: path, file: file, now: now)
        #expect(cache.recentlyValidated(Self.sitePath, now: now) != nil)
        // Another file pushes it out: the remembered lookup names nothing cached any more.
        let (other, otherStatus) = try Self.makeFile("world")
        _ = try #require(cache.load(path: other, status: otherStatus, contentType: "text/plain"))
        #expect(cache.recentlyValidated(Self.sitePath, now: now) == nil)
        // Cached again from a changed file: the remembered status no longer matches.
        try "changed!".write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try #require(FileStatus(path: path))
        _ = try #require(cache.load(path: path, status: changed, contentType: "text/plain"))
        #expect(cache.recentlyValidated(Self.sitePath, now: now) == nil)
        cache.removeAll()
        #expect(cache.validatedPathCount == 0)
    }

    @Test func theTableOfRememberedPathsIsBounded() throws {
        let cache = StaticFileCache(maxFileSize: 1024, maxBytes: 4096, gzip: false, revalidateInterval: .seconds(60))
        let (path, status) = try Self.makeFile("hello")
        let file = try #require(cache.load(path: path, status: status, contentType: "text/plain"))
        let now = NIODeadline.now()
        for index in 0..<(StaticFileCache.maxValidatedPaths + 10) {
            cache.rememberValidated(SitePath(requestTarget: "/spelling-\(index)")!, path: path, file: file, now: now)
        }
        #expect(cache.validatedPathCount <= StaticFileCache.maxValidatedPaths)
    }

    @Test func missingPathsAreRememberedForTheIntervalAndBounded() throws {
        let cache = StaticFileCache(maxFileSize: 1024, maxBytes: 4096, gzip: false, revalidateInterval: .seconds(1))
        let start = NIODeadline.now()
        let missing = SitePath(requestTarget: "/api/posts")!
        #expect(!cache.recentlyMissing(missing, now: start))
        cache.rememberMissing(missing, now: start)
        #expect(cache.recentlyMissing(missing, now: start + .milliseconds(999)))
        #expect(!cache.recentlyMissing(missing, now: start + .seconds(1)))
        #expect(!cache.recentlyMissing(Self.sitePath, now: start))
        for index in 0..<(StaticFileCache.maxValidatedPaths + 10) {
            cache.rememberMissing(SitePath(requestTarget: "/missing-\(index)")!, now: start)
        }
        #expect(cache.missingPathCount <= StaticFileCache.maxValidatedPaths)
        cache.removeAll()
        #expect(cache.missingPathCount == 0)
        // Interval zero: nothing is remembered.
        let uncached = StaticFileCache(maxFileSize: 1024, maxBytes: 4096, gzip: false, revalidateInterval: .zero)
        uncached.rememberMissing(missing, now: start)
        #expect(!uncached.recentlyMissing(missing, now: start))
    }
}
