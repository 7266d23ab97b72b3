/// Where a safe request path lands inside the site root.
public enum SiteLookup: Sendable, Equatable {
    /// A regular file below the root.
    case file(path: String, status: FileStatus)
    /// A directory asked for without its trailing slash: 301 to `path/`.
    case directoryRedirect
    /// Nothing servable (missing, a directory without index.html, or outside the root).
    case notFound
}

/// The site root on disk and the rule that keeps every served file inside it:
/// the real path (symlinks resolved) of a file must lie below the real path of the root.
public struct SiteDirectory: Sendable {
    /// The root as configured.
    public let root: String
    /// The root with symlinks resolved, ending without `/`.
    public let realRoot: String

    public init(root: String) throws(WebFrontError) {
        guard let status = FileStatus(path: root), status.isDirectory, let real = FileStatus.realPath(root) else {
            throw .siteDirectoryMissing(path: root)
        }
        self.root = root
        self.realRoot = real == "/" ? "" : real
    }

    /// Looks `path` up. `verifyRealPath` may be false when the caller already proved
    /// this very file (same device, inode, size and mtime) lies inside the root.
    public func lookup(_ path: SitePath, isKnownInside: (String, FileStatus) -> Bool = { _, _ in false }) -> SiteLookup {
        var full = realRoot + "/" + path.relativePath
        guard var status = FileStatus(path: full) else { return .notFound }
        if status.isDirectory {
            guard path.hasTrailingSlash || path.segments.isEmpty else { return .directoryRedirect }
            full += path.segments.isEmpty ? "index.html" : "/index.html"
            guard let index = FileStatus(path: full) else { return .notFound }
            status = index
        }
        guard status.isRegularFile else { return .notFound }
        if !isKnownInside(full, status) {
            guard let real = FileStatus.realPath(full), real.hasPrefix(realRoot + "/") else { return .notFound }
            // Hidden files reached through a symlink are refused like direct ones.
            guard !real.dropFirst(realRoot.count).split(separator: "/").contains(where: { $0.hasPrefix(".") && $0 != ".well-known" }) else {
                return .notFound
            }
        }
        return .file(path: full, status: status)
    }
}
