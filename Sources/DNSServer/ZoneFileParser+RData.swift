// Text forms of RDATA (RFC 1035 5.1 and each type's RFC) and the generic form of
// RFC 3597 (`\# length hex...`), accepted for every type.
//
// TXT strings longer than 255 bytes are an error, as in BIND, NSD and Knot: silently
// splitting them would change what the zone author wrote (DKIM keys must be split by
// hand into several quoted strings, which we then join in one TXT record).

extension ZoneFileParser {
    func rdata(type: DNSRecordType, tokens: [ZoneFileToken]) throws(ZoneFileError) -> DNSRData {
        if [DNSRecordType.opt, .tsig, .ixfr, .axfr, .any].contains(type) {
            throw error(.metaTypeInZone(type.description))
        }
        if let first = tokens.first, !first.isQuoted, first.bytes == Array("\\#".utf8) {
            return try genericRData(type: type, tokens: Array(tokens.dropFirst()))
        }
        func expect(_ count: Int, _ fields: String) throws(ZoneFileError) {
            guard tokens.count == count else {
                throw error(.fieldCount(type: type.description, expected: fields, found: tokens.count))
            }
        }
        switch type {
        case .a:
            try expect(1, "1 field (address)")
            guard !tokens[0].isQuoted, let bytes = IPAddress.parseIPv4(Substring(tokens[0].text)) else {
                throw error(.invalidIPv4(tokens[0].text))
            }
            return .a(IPAddress(checkedBytes: bytes))
        case .aaaa:
            try expect(1, "1 field (address)")
            guard !tokens[0].isQuoted, tokens[0].text.contains(":"), let address = IPAddress(tokens[0].text),
                  !address.isIPv4, !tokens[0].text.contains("%") else {
                throw error(.invalidIPv6(tokens[0].text))
            }
            return .aaaa(address)
        case .ns:
            try expect(1, "1 field (name server)")
            return .ns(try name(tokens[0]))
        case .cname:
            try expect(1, "1 field (target)")
            return .cname(try name(tokens[0]))
        case .ptr:
            try expect(1, "1 field (target)")
            return .ptr(try name(tokens[0]))
        case .mx:
            try expect(2, "2 fields (preference exchange)")
            return .mx(preference: try number(tokens[0], field: "MX preference"), exchange: try name(tokens[1]))
        case .srv:
            try expect(4, "4 fields (priority weight port target)")
            return .srv(priority: try number(tokens[0], field: "SRV priority"),
                        weight: try number(tokens[1], field: "SRV weight"),
                        port: try number(tokens[2], field: "SRV port"), target: try name(tokens[3]))
        case .txt:
            guard !tokens.isEmpty else {
                throw error(.fieldCount(type: "TXT", expected: "at least 1 string", found: 0))
            }
            var strings: [[UInt8]] = []
            var total = 0
            for token in tokens {
                let string = try characterString(token)
                guard string.count <= 255 else { throw error(.stringTooLong(string.count)) }
                strings.append(string)
                total += 1 + string.count
            }
            guard total <= 65535 else { throw error(.rdataTooLong(total)) }
            return .txt(strings)
        case .caa:
            try expect(3, "3 fields (flags tag value)")
            let flags: UInt8 = try number(tokens[0], field: "CAA flags")
            let tag = tokens[1].bytes
            guard !tokens[1].isQuoted, (1...15).contains(tag.count),
                  tag.allSatisfy({ DNSName.isDigit($0) || ($0 | 0x20) &- 97 < 26 }) else {
                throw error(.invalidCAATag(tokens[1].text))
            }
            let value = try characterString(tokens[2])
            guard value.count + tag.count + 2 <= 65535 else { throw error(.rdataTooLong(value.count + tag.count + 2)) }
            return .caa(flags: flags, tag: tag, value: value)
        case .soa:
            try expect(7, "7 fields (primary mailbox serial refresh retry expire minimum)")
            return .soa(DNSSOA(primary: try name(tokens[0]), mailbox: try name(tokens[1]),
                               serial: try number(tokens[2], field: "SOA serial"),
                               refresh: try ttl(tokens[3]), retry: try ttl(tokens[4]),
                               expire: try ttl(tokens[5]), minimum: try ttl(tokens[6])))
        default:
            throw error(.unsupportedTextFormat(type.description))
        }
    }

    /// `\# length hex...` (RFC 3597 5): the hex may be split over several fields.
    private func genericRData(type: DNSRecordType, tokens: [ZoneFileToken]) throws(ZoneFileError) -> DNSRData {
        guard let lengthToken = tokens.first else { throw error(.invalidGenericRData("missing length")) }
        let length: Int = try number(lengthToken, field: "\\# length")
        guard length <= 65535 else { throw error(.rdataTooLong(length)) }
        var bytes: [UInt8] = []
        var pending: UInt8? = nil
        for token in tokens.dropFirst() {
            for byte in token.bytes {
                let nibble: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - 48
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - 87
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - 55
                default: throw error(.invalidGenericRData("'\(token.text)' is not hexadecimal"))
                }
                if let high = pending {
                    bytes.append(high << 4 | nibble)
                    pending = nil
                } else {
                    pending = nibble
                }
            }
        }
        guard pending == nil else { throw error(.invalidGenericRData("odd number of hex digits")) }
        guard bytes.count == length else {
            throw error(.invalidGenericRData("length \(length) but \(bytes.count) bytes of data"))
        }
        // Known types must decode to their own format (RFC 3597 5).
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DNSWireError) -> DNSRData in
                var reader = WireReader(raw)
                return try DNSRData.decode(type: type, from: &reader, length: raw.count)
            }
        }
        guard case .success(let rdata) = result else {
            throw error(.invalidGenericRData("not valid \(type) data"))
        }
        return rdata
    }
}
