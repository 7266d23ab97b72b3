// RDATA wire formats (RFC 1035 3.3, 3.4; RFC 3596; RFC 2782; RFC 8659; RFC 3597).
//
// Invariants: a decoder consumes exactly RDLENGTH bytes or throws `.badRData`;
// names are compressed on output only in the RFC 1035 types (NS, CNAME, PTR, MX, SOA;
// RFC 3597 4), and accepted compressed on input in those and SRV.
//
//   type   RDATA
//   A      | address (4) |
//   AAAA   | address (16) |
//   NS/CNAME/PTR | name |
//   MX     | preference (2) | exchange name |
//   TXT    | len (1) | bytes | len (1) | bytes | ...    (one or more strings)
//   SRV    | priority (2) | weight (2) | port (2) | target name (uncompressed) |
//   CAA    | flags (1) | tag len (1) | tag | value (rest) |
//   SOA    | mname | rname | serial | refresh | retry | expire | minimum (4 each) |
//   other  | opaque bytes (RDLENGTH) |

extension DNSRData {
    /// Appends the RDATA (without RDLENGTH) to `writer`.
    func encode(into writer: inout WireWriter, compress: Bool) {
        switch self {
        case .a(let address), .aaaa(let address):
            writer.writeBytes(address.bytes)
        case .ns(let name), .cname(let name), .ptr(let name):
            writer.writeName(name, compress: compress)
        case .mx(let preference, let exchange):
            writer.writeUInt16(preference)
            writer.writeName(exchange, compress: compress)
        case .txt(let strings):
            for string in strings {
                writer.writeUInt8(UInt8(string.count))
                writer.writeBytes(string)
            }
        case .srv(let priority, let weight, let port, let target):
            writer.writeUInt16(priority)
            writer.writeUInt16(weight)
            writer.writeUInt16(port)
            writer.writeName(target, compress: false)
        case .caa(let flags, let tag, let value):
            writer.writeUInt8(flags)
            writer.writeUInt8(UInt8(tag.count))
            writer.writeBytes(tag)
            writer.writeBytes(value)
        case .soa(let soa):
            writer.writeName(soa.primary, compress: compress)
            writer.writeName(soa.mailbox, compress: compress)
            writer.writeUInt32(soa.serial)
            writer.writeUInt32(soa.refresh)
            writer.writeUInt32(soa.retry)
            writer.writeUInt32(soa.expire)
            writer.writeUInt32(soa.minimum)
        case .unknown(let bytes):
            writer.writeBytes(bytes)
        }
    }

    /// The RDATA in uncompressed wire form (RFC 3597 `\#` text, canonical comparisons).
    var uncompressedWire: [UInt8] {
        var writer = WireWriter(capacity: 64)
        encode(into: &writer, compress: false)
        return writer.bytes
    }

    /// Decodes `length` bytes of RDATA of `type` at the reader's position.
    static func decode(type: DNSRecordType, from reader: inout WireReader, length: Int) throws(DNSWireError) -> DNSRData {
        let start = reader.offset
        try reader.need(length)
        let end = start + length
        // Fields must not run past RDLENGTH even when the message goes on.
        var bounded = WireReader(UnsafeRawBufferPointer(rebasing: reader.bytes[0..<end]), offset: start)
        let bad = DNSWireError.badRData(type: type, offset: start)
        let rdata: DNSRData
        do throws(DNSWireError) {
            switch type {
            case .a:
                guard length == 4 else { throw bad }
                rdata = .a(IPAddress(checkedBytes: try bounded.readBytes(4)))
            case .aaaa:
                guard length == 16 else { throw bad }
                rdata = .aaaa(IPAddress(checkedBytes: try bounded.readBytes(16)))
            case .ns:
                rdata = .ns(try bounded.readName())
            case .cname:
                rdata = .cname(try bounded.readName())
            case .ptr:
                rdata = .ptr(try bounded.readName())
            case .mx:
                let preference = try bounded.readUInt16()
                rdata = .mx(preference: preference, exchange: try bounded.readName())
            case .txt:
                guard length > 0 else { throw bad }
                var strings: [[UInt8]] = []
                while bounded.offset < end {
                    let count = Int(try bounded.readUInt8())
                    strings.append(try bounded.readBytes(count))
                }
                rdata = .txt(strings)
            case .srv:
                let priority = try bounded.readUInt16()
                let weight = try bounded.readUInt16()
                let port = try bounded.readUInt16()
                rdata = .srv(priority: priority, weight: weight, port: port, target: try bounded.readName())
            case .caa:
                let flags = try bounded.readUInt8()
                let tagLength = Int(try bounded.readUInt8())
                guard tagLength > 0 else { throw bad }
                let tag = try bounded.readBytes(tagLength)
                rdata = .caa(flags: flags, tag: tag, value: try bounded.readBytes(end - bounded.offset))
            case .soa:
                let primary = try bounded.readName()
                let mailbox = try bounded.readName()
                rdata = .soa(DNSSOA(primary: primary, mailbox: mailbox, serial: try bounded.readUInt32(),
                                    refresh: try bounded.readUInt32(), retry: try bounded.readUInt32(),
                                    expire: try bounded.readUInt32(), minimum: try bounded.readUInt32()))
            default:
                rdata = .unknown(try bounded.readBytes(length))
            }
        } catch .badPointer(let offset) {
            throw .badPointer(offset: offset)
        } catch {
            throw bad
        }
        guard bounded.offset == end else { throw bad }
        reader.offset = end
        return rdata
    }
}
