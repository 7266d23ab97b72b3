// A whole DNS message (RFC 1035 4.1), parsed or to be serialized.
//
//   +--------------------+
//   | header (12)        |  see DNSHeader.swift; counts follow the sections below
//   | question           |  name | type (2) | class (2)                 x QDCOUNT
//   | answer             |  name | type | class | TTL (4) | RDLEN (2) | RDATA   x ANCOUNT
//   | authority          |  (same record layout)                       x NSCOUNT
//   | additional         |  (same record layout, OPT lives here)       x ARCOUNT
//   +--------------------+
//
// Invariants of `parse`: every byte is accounted for (trailing bytes are an error),
// at most one OPT record and only in the additional section with the root as owner.
// `serialized()` compresses names and never emits a forward pointer (WireWriter).

/// A DNS message: header and four sections. The OPT record, if any, is kept in
/// `additional` like on the wire; `edns` and `rcode` read it.
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authority: [DNSRecord]
    public var additional: [DNSRecord]

    /// A message from its parts.
    public init(header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
                authority: [DNSRecord] = [], additional: [DNSRecord] = []) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
    }

    /// The EDNS fields of the OPT record, if the message has one.
    public var edns: EDNS? {
        additional.first { $0.type == .opt }.map(EDNS.init(record:))
    }

    /// The full response code: header bits plus the OPT record's extended bits.
    public var rcode: DNSRcode {
        DNSRcode(rawValue: UInt16(edns?.extendedRcodeBits ?? 0) << 4 | UInt16(header.rcodeBits))
    }

    /// Parses and validates a whole message.
    public static func parse(_ bytes: [UInt8]) throws(DNSWireError) -> DNSMessage {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DNSWireError) -> DNSMessage in try parse(raw) }
        }
        return try result.get()
    }

    /// Parses and validates a whole message from raw bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(DNSWireError) -> DNSMessage {
        var reader = WireReader(bytes)
        var header = DNSHeader(id: try reader.readUInt16())
        header.flags = try reader.readUInt16()
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())
        var message = DNSMessage(header: header)
        for _ in 0..<questionCount {
            let name = try reader.readName()
            let type = DNSRecordType(try reader.readUInt16())
            let qclass = DNSClass(rawValue: try reader.readUInt16())
            message.questions.append(DNSQuestion(name: name, type: type, qclass: qclass))
        }
        message.answers = try readRecords(answerCount, from: &reader)
        message.authority = try readRecords(authorityCount, from: &reader)
        message.additional = try readRecords(additionalCount, from: &reader)
        guard reader.remaining == 0 else { throw .trailingBytes(count: reader.remaining) }
        if message.answers.contains(where: { $0.type == .opt }) || message.authority.contains(where: { $0.type == .opt }) {
            throw .misplacedOPT
        }
        let options = message.additional.filter { $0.type == .opt }
        guard options.count <= 1 else { throw .multipleOPT }
        if let option = options.first, !option.name.isRoot { throw .misplacedOPT }
        return message
    }

    private static func readRecords(_ count: Int, from reader: inout WireReader) throws(DNSWireError) -> [DNSRecord] {
        var records: [DNSRecord] = []
        for _ in 0..<count {
            records.append(try readRecord(from: &reader))
        }
        return records
    }

    static func readRecord(from reader: inout WireReader) throws(DNSWireError) -> DNSRecord {
        let name = try reader.readName()
        let type = DNSRecordType(try reader.readUInt16())
        let rrClass = DNSClass(rawValue: try reader.readUInt16())
        let ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        let rdata = try DNSRData.decode(type: type, from: &reader, length: length)
        return DNSRecord(name: name, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata)
    }

    /// The message in wire form, names compressed.
    public func serialized() -> [UInt8] {
        var writer = WireWriter()
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags)
        writer.writeUInt16(UInt16(truncatingIfNeeded: questions.count))
        writer.writeUInt16(UInt16(truncatingIfNeeded: answers.count))
        writer.writeUInt16(UInt16(truncatingIfNeeded: authority.count))
        writer.writeUInt16(UInt16(truncatingIfNeeded: additional.count))
        for question in questions {
            writer.writeName(question.name, compress: true)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.qclass.rawValue)
        }
        for record in answers + authority + additional {
            record.write(into: &writer)
        }
        return writer.bytes
    }
}

extension DNSRecord {
    /// Appends the record in wire form, RDLENGTH filled in after the RDATA.
    func write(into writer: inout WireWriter, compress: Bool = true) {
        writer.writeName(name, compress: compress)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(rrClass.rawValue)
        writer.writeUInt32(ttl)
        let lengthOffset = writer.count
        writer.writeUInt16(0)
        rdata.encode(into: &writer, compress: compress)
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.count - lengthOffset - 2), at: lengthOffset)
    }
}
