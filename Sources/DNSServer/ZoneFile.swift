import Foundation

/// Reads zones in RFC 1035 master-file format, as BIND, NSD and Knot do, plus the
/// onebox `${name}` substitution. See `ZoneFileParser` for the accepted syntax.
public enum ZoneFile {
    /// Parses and checks a whole zone; any error rejects the zone and names the file,
    /// the line and what is wrong.
    /// - Parameters:
    ///   - text: the zone file's contents.
    ///   - fileName: used in error messages only.
    ///   - origin: the initial origin (`$ORIGIN` may change it for later lines); the
    ///     zone's apex is the origin in force when the SOA is read.
    ///   - variables: values for `${name}` inside fields.
    public static func parse(_ text: String, fileName: String, origin: DNSName,
                             variables: [String: String] = [:]) throws(ZoneFileError) -> Zone {
        try parse(bytes: Array(text.utf8), fileName: fileName, origin: origin, variables: variables)
    }

    /// Parses zone-file bytes (see `parse(_:fileName:origin:variables:)`).
    public static func parse(bytes: [UInt8], fileName: String, origin: DNSName,
                             variables: [String: String] = [:]) throws(ZoneFileError) -> Zone {
        var parser = ZoneFileParser(text: bytes, fileName: fileName, origin: origin, variables: variables)
        let records = try parser.parseRecords()
        return try Zone(origin: parser.apex ?? origin, records: records, fileName: fileName)
    }
}
