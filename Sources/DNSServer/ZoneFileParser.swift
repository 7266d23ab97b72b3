/// Interprets zone-file entries: directives, owner/TTL/class/type fields, and the
/// carrying over of omitted owner and TTL.
///
/// - `$ORIGIN name` and `$TTL ttl` are honoured; `$INCLUDE` is rejected (a zone is one
///   file, so a reload sees every change); other `$` directives are errors.
/// - Owner: `@`, relative or absolute; a line starting with a blank reuses the
///   previous owner.
/// - TTL and class (`IN` only) are optional, in either order. A record without a TTL
///   takes `$TTL`, else the previous record's TTL, else (for the SOA) its minimum.
/// - TTLs accept units: `3600`, `1h`, `1h30m`, `1w2d` (s m h d w, any case).
struct ZoneFileParser {
    let lexerFileName: String
    var lexer: ZoneFileLexer
    var origin: DNSName
    var defaultTTL: UInt32? = nil
    var previousTTL: UInt32? = nil
    var previousOwner: DNSName? = nil
    /// The origin in force when the first SOA was read: the zone's apex.
    var apex: DNSName? = nil
    var line = 0

    init(text: [UInt8], fileName: String, origin: DNSName, variables: [String: String]) {
        lexerFileName = fileName
        lexer = ZoneFileLexer(text: text, fileName: fileName, variables: variables)
        self.origin = origin
    }

    func error(_ reason: ZoneFileErrorReason) -> ZoneFileError {
        ZoneFileError(file: lexerFileName, line: line, reason: reason)
    }

    /// Every record of the file with the line it starts on.
    mutating func parseRecords() throws(ZoneFileError) -> [(record: DNSRecord, line: Int)] {
        var records: [(record: DNSRecord, line: Int)] = []
        while let entry = try lexer.nextEntry() {
            line = entry.line
            let first = entry.tokens[0]
            if !entry.startsWithBlank, !first.isQuoted, first.bytes.first == UInt8(ascii: "$") {
                try directive(entry.tokens)
                continue
            }
            records.append((try record(entry), entry.line))
        }
        return records
    }

    private mutating func directive(_ tokens: [ZoneFileToken]) throws(ZoneFileError) {
        let name = tokens[0].text.uppercased()
        switch name {
        case "$ORIGIN":
            guard tokens.count == 2 else { throw error(.directiveArguments(name)) }
            origin = try self.name(tokens[1])
        case "$TTL":
            guard tokens.count == 2 else { throw error(.directiveArguments(name)) }
            defaultTTL = try ttl(tokens[1])
        case "$INCLUDE":
            throw error(.includeNotSupported)
        default:
            throw error(.unknownDirective(tokens[0].text))
        }
    }

    private mutating func record(_ entry: ZoneFileEntry) throws(ZoneFileError) -> DNSRecord {
        var tokens = entry.tokens[...]
        let owner: DNSName
        if entry.startsWithBlank {
            guard let previousOwner else { throw error(.missingOwner) }
            owner = previousOwner
        } else {
            owner = try name(tokens.removeFirst())
        }
        var explicitTTL: UInt32? = nil
        var sawClass = false
        while let token = tokens.first, !token.isQuoted {
            let upper = token.text.uppercased()
            if !sawClass, upper == "IN" || upper == "CLASS1" {
                sawClass = true
            } else if ["CH", "CHAOS", "HS", "HESIOD", "CS", "NONE"].contains(upper)
                        || (upper.hasPrefix("CLASS") && upper.count > 5 && upper.dropFirst(5).allSatisfy(\.isNumber)) {
                throw error(.unsupportedClass(token.text))
            } else if explicitTTL == nil, let byte = token.bytes.first, DNSName.isDigit(byte) {
                explicitTTL = try ttl(token)
            } else {
                break
            }
            tokens.removeFirst()
        }
        guard let typeToken = tokens.popFirst() else { throw error(.missingType) }
        guard let type = DNSRecordType(mnemonic: typeToken.text) else {
            throw error(.unknownRecordType(typeToken.text))
        }
        let rdata = try self.rdata(type: type, tokens: Array(tokens))
        var ttl = explicitTTL ?? defaultTTL ?? previousTTL
        if ttl == nil, case .soa(let soa) = rdata { ttl = soa.minimum }
        guard let ttl else { throw error(.missingTTL) }
        previousTTL = ttl
        previousOwner = owner
        if type == .soa, apex == nil { apex = origin }
        return DNSRecord(name: owner, type: type, ttl: ttl, rdata: rdata)
    }

    // MARK: - Fields shared by directives and RDATA

    func name(_ token: ZoneFileToken) throws(ZoneFileError) -> DNSName {
        do {
            return try DNSName(text: token.bytes, origin: origin)
        } catch {
            throw self.error(.invalidName(token.text, error))
        }
    }

    /// A TTL or SOA timer: seconds, or groups like `1w2d3h4m5s`.
    func ttl(_ token: ZoneFileToken) throws(ZoneFileError) -> UInt32 {
        let bad = error(.invalidTTL(token.text))
        guard !token.bytes.isEmpty, !token.isQuoted else { throw bad }
        var total: UInt64 = 0
        var number: UInt64? = nil
        for byte in token.bytes {
            if DNSName.isDigit(byte) {
                let value = (number ?? 0) * 10 + UInt64(byte - 48)
                guard value <= UInt64(UInt32.max) else { throw bad }
                number = value
                continue
            }
            guard let value = number else { throw bad }
            let unit: UInt64
            switch byte | 0x20 {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86400
            case UInt8(ascii: "w"): unit = 604800
            default: throw bad
            }
            total += value * unit
            number = nil
            guard total <= UInt64(UInt32.max) else { throw bad }
        }
        total += number ?? 0
        guard total <= UInt64(UInt32.max) else { throw bad }
        return UInt32(total)
    }

    /// A decimal number that fits `T`.
    func number<T: FixedWidthInteger>(_ token: ZoneFileToken, field: String, as _: T.Type = T.self) throws(ZoneFileError) -> T {
        guard !token.isQuoted, !token.bytes.isEmpty, token.bytes.count <= 10, token.bytes.allSatisfy(DNSName.isDigit),
              let value = T(token.text) else {
            throw error(.invalidNumber(field: field, text: token.text))
        }
        return value
    }

    /// The bytes of a character string, `\DDD` and `\X` decoded.
    func characterString(_ token: ZoneFileToken) throws(ZoneFileError) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        let bytes = token.bytes
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                do {
                    let (value, length) = try DNSName.unescape(bytes, at: index, display: token.text)
                    result.append(value)
                    index += length
                } catch {
                    throw self.error(.invalidEscape(token.text))
                }
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
