import Foundation

/// Files only the owner may read (generated passwords, private keys): created with
/// mode 0600 before any byte is written, filled under a temporary name, then renamed
/// into place, so a crash never leaves a readable or half-written secret.
public enum PrivateFile {
    /// Writes `contents` to `path` (mode 0600), creating the directory (mode 0700).
    public static func write(_ contents: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp"
        _ = unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CertificateFileError(path: path, reason: "cannot create the file")
        }
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CertificateFileError(path: path, reason: "cannot open the file for writing")
        }
        try handle.write(contentsOf: Data(contents.utf8))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            throw CertificateFileError(path: path, reason: "cannot rename \(temporary) into place: errno \(errno)")
        }
    }
}
