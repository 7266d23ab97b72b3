import Foundation

/// Loads every zone of a directory.
public enum ZoneDirectory {
    /// Reads every `*.zone` file in `directory` (sorted by name). A file's initial
    /// origin is its name minus `.zone` (`foobar.com.zone` → `foobar.com.`); `$ORIGIN`
    /// inside may change it. Any bad file, or two files for one zone, fails the load.
    public static func load(directory: String, variables: [String: String] = [:]) throws(ZoneFileError) -> [Zone] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ZoneFileError(file: directory, line: nil, reason: .unreadableFile(error.localizedDescription))
        }
        var zones: [Zone] = []
        var seen: Set<DNSName> = []
        for fileName in names.sorted() where fileName.hasSuffix(".zone") && fileName.count > 5 {
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ZoneFileError(file: fileName, line: nil, reason: .unreadableFile(path))
            }
            let originText = String(fileName.dropLast(5))
            let origin: DNSName
            do {
                origin = try DNSName(originText, origin: .root)
            } catch {
                throw ZoneFileError(file: fileName, line: nil, reason: .invalidName(originText, error))
            }
            let zone = try ZoneFile.parse(bytes: Array(data), fileName: fileName, origin: origin, variables: variables)
            guard seen.insert(zone.origin).inserted else {
                throw ZoneFileError(file: fileName, line: nil, reason: .duplicateZone(zone.origin.description))
            }
            zones.append(zone)
        }
        return zones
    }
}
