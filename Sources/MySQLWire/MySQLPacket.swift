// MySQL packet framing (client/server protocol, both directions).
//
//   offset  size  field
//   0       3     payload length, little-endian (0...0xFFFFFF)
//   3       1     sequence id
//   4       n     payload
//
// Invariants:
// - A logical payload of 0xFFFFFF bytes or more is sent as chunks of exactly 0xFFFFFF
//   bytes followed by one shorter chunk, which is empty when the length is an exact
//   multiple; the reader joins chunks until a chunk shorter than 0xFFFFFF.
// - Sequence ids run on (mod 256) across chunks and across the packets of one command
//   exchange, and restart at 0 with each new command from the client.

/// One logical packet: the joined payload of one or more chunks.
public struct MySQLPacket: Sendable, Equatable {
    /// Sequence id of the first chunk.
    public var sequenceID: UInt8
    /// Sequence id of the last chunk: the reply continues with `lastSequenceID &+ 1`.
    public var lastSequenceID: UInt8
    public var payload: [UInt8]

    public init(sequenceID: UInt8, payload: [UInt8]) {
        self.sequenceID = sequenceID
        self.lastSequenceID = sequenceID &+ UInt8(truncatingIfNeeded: payload.count / MySQLPacket.maximumChunkLength)
        self.payload = payload
    }

    public init(sequenceID: UInt8, lastSequenceID: UInt8, payload: [UInt8]) {
        self.sequenceID = sequenceID
        self.lastSequenceID = lastSequenceID
        self.payload = payload
    }

    /// The largest payload one chunk carries.
    public static let maximumChunkLength = 0xFF_FFFF
}

/// Frames payloads into chunks with sequence ids.
public enum MySQLPacketEncoder {
    /// Appends `payload` framed as one logical packet to `output`, starting at
    /// `sequenceID`, which is advanced past the chunks written.
    public static func encode(_ payload: [UInt8], sequenceID: inout UInt8, into output: inout [UInt8]) {
        // No reserveCapacity here: an exact reservation on every call defeats the array's
        // geometric growth and made a 100-row result set quadratic in copying.
        var start = 0
        while true {
            let length = min(payload.count - start, MySQLPacket.maximumChunkLength)
            appendHeader(length: length, sequenceID: &sequenceID, into: &output)
            output.append(contentsOf: payload[start..<(start + length)])
            start += length
            if length < MySQLPacket.maximumChunkLength { break }
        }
    }

    /// Appends `payload` framed as one logical packet to `output` (any collection of bytes).
    public static func encode(_ payload: some Collection<UInt8>, sequenceID: inout UInt8, into output: inout [UInt8]) {
        encode(Array(payload), sequenceID: &sequenceID, into: &output)
    }

    /// `payload` framed as one logical packet.
    public static func encode(_ payload: some Collection<UInt8>, sequenceID: inout UInt8) -> [UInt8] {
        var output: [UInt8] = []
        encode(Array(payload), sequenceID: &sequenceID, into: &output)
        return output
    }

    /// Appends one logical packet whose payload `body` writes straight into `output`
    /// (no intermediate payload array): a header is reserved, then patched with the
    /// length; a payload of a whole chunk or more is re-framed into chunks.
    public static func appendPacket(sequenceID: inout UInt8, into output: inout [UInt8],
                                    _ body: (inout MySQLPacketWriter) throws -> Void) rethrows {
        let headerAt = output.count
        var writer = MySQLPacketWriter(continuing: &output)
        writer.writeZeros(4)
        do {
            try body(&writer)
        } catch {
            output = writer.takeBytes()
            output.removeSubrange(headerAt...)
            throw error
        }
        output = writer.takeBytes()
        let length = output.count - headerAt - 4
        if length < MySQLPacket.maximumChunkLength {
            output[headerAt] = UInt8(truncatingIfNeeded: length)
            output[headerAt + 1] = UInt8(truncatingIfNeeded: length >> 8)
            output[headerAt + 2] = UInt8(truncatingIfNeeded: length >> 16)
            output[headerAt + 3] = sequenceID
            sequenceID &+= 1
        } else {
            let payload = Array(output[(headerAt + 4)...])
            output.removeSubrange(headerAt...)
            encode(payload, sequenceID: &sequenceID, into: &output)
        }
    }

    @inline(__always)
    private static func appendHeader(length: Int, sequenceID: inout UInt8, into output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: length))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(sequenceID)
        sequenceID &+= 1
    }
}

/// Reassembles logical packets from a byte stream. Feed received bytes with
/// `append`, then call `nextPacket()` until it returns nil.
public struct MySQLPacketDecoder: Sendable {
    /// The largest logical payload accepted (max_allowed_packet); longer ones fail
    /// as soon as a chunk header shows the total would exceed it.
    public var maximumPayloadLength: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Chunks of the logical packet being joined.
    private var partial: [UInt8] = []
    private var partialFirstSequenceID: UInt8?
    private var partialLastSequenceID: UInt8 = 0

    public init(maximumPayloadLength: Int) {
        precondition(maximumPayloadLength > 0, "maximumPayloadLength must be positive")
        self.maximumPayloadLength = maximumPayloadLength
    }

    /// Bytes received but not yet returned in a packet.
    public var bufferedByteCount: Int { buffer.count - readIndex + partial.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if readIndex == buffer.count {
            // Everything was consumed: drop a large buffer instead of keeping its capacity
            // (a connection that once sent a 64 MiB packet must not hold 64 MiB forever).
            if buffer.capacity > Self.retainedCapacity { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            readIndex = 0
        } else if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The receive buffer capacity kept between packets.
    static let retainedCapacity = 1 << 20

    /// Removes and returns the raw bytes not yet framed into a packet: after an
    /// SSLRequest they are the start of the TLS handshake, which belongs to TLS.
    public mutating func takeUnprocessedBytes() -> [UInt8] {
        precondition(partialFirstSequenceID == nil, "takeUnprocessedBytes inside a split packet")
        defer {
            buffer = []
            readIndex = 0
        }
        return Array(buffer[readIndex...])
    }

    /// The next complete logical packet, or nil when more bytes are needed.
    public mutating func nextPacket() throws(MySQLWireError) -> MySQLPacket? {
        while buffer.count - readIndex >= 4 {
            let length = Int(buffer[readIndex]) | Int(buffer[readIndex + 1]) << 8 | Int(buffer[readIndex + 2]) << 16
            let sequenceID = buffer[readIndex + 3]
            if partialFirstSequenceID != nil {
                let expected = partialLastSequenceID &+ 1
                guard sequenceID == expected else { throw .outOfOrder(expected: expected, received: sequenceID) }
            }
            guard partial.count + length <= maximumPayloadLength else {
                throw .packetTooLarge(limit: maximumPayloadLength)
            }
            guard buffer.count - readIndex - 4 >= length else { return nil }
            let start = readIndex + 4
            readIndex = start + length
            if length == MySQLPacket.maximumChunkLength {
                if partialFirstSequenceID == nil { partialFirstSequenceID = sequenceID }
                partialLastSequenceID = sequenceID
                partial.append(contentsOf: buffer[start..<readIndex])
                continue
            }
            if let first = partialFirstSequenceID {
                partial.append(contentsOf: buffer[start..<readIndex])
                let packet = MySQLPacket(sequenceID: first, lastSequenceID: sequenceID, payload: partial)
                partial = []
                partialFirstSequenceID = nil
                return packet
            }
            return MySQLPacket(sequenceID: sequenceID, lastSequenceID: sequenceID, payload: Array(buffer[start..<readIndex]))
        }
        return nil
    }
}
