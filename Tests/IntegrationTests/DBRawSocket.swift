import Foundation
import MySQLWire

/// A blocking TCP client that speaks raw MySQL packets, for feeding the server what
/// no real client sends (truncated, oversized, garbage). Reads time out after 20 s.
final class DBRawSocket {
    private let fd: Int32
    private var decoder = MySQLPacketDecoder(maximumPayloadLength: 1 << 30)
    private(set) var isClosedByPeer = false
    /// The greeting's nonce, once `login` has read it.
    private(set) var nonce: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close() }

    private var isOpen = true

    /// Closes the socket now (a client that vanishes).
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(fd)
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    func sendPacket(_ payload: [UInt8], sequenceID: UInt8) {
        var sequence = sequenceID
        send(MySQLPacketEncoder.encode(payload, sequenceID: &sequence))
    }

    /// The next packet, or nil when the server closed the connection (or timed out).
    func readPacket() -> MySQLPacket? {
        while true {
            if let packet = try? decoder.nextPacket() { return packet }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                isClosedByPeer = true
                return nil
            }
            decoder.append(buffer[0..<count])
        }
    }

    /// Reads until the server closes; true if it did.
    func waitForClose() -> Bool {
        while readPacket() != nil {}
        return isClosedByPeer
    }

    /// Logs in as root with caching_sha2_password's fast path (the server must have seen
    /// one full login of root since it started); returns the final reply.
    func login(password: String) throws -> MySQLPacket? {
        guard let greetingPacket = readPacket() else { return nil }
        let greeting = try MySQLHandshakeV10.decode(greetingPacket.payload)
        nonce = greeting.nonce
        let caps: MySQLCapabilities = [.longPassword, .protocol41, .secureConnection, .pluginAuth, .transactions,
                                       .multiStatements, .multiResults, .pluginAuthLengthEncodedClientData]
        let login = MySQLHandshakeResponse41(
            capabilities: caps, username: "root",
            authResponse: CachingSHA2Password.scramble(password: Array(password.utf8), nonce: greeting.nonce),
            authPluginName: "caching_sha2_password")
        sendPacket(login.encode(), sequenceID: 1)
        var reply = readPacket()
        if reply?.payload == MySQLAuthMoreData.fastAuthSuccess.encode() { reply = readPacket() }
        return reply
    }
}
