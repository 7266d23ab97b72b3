import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The upgrade hand-over of a listening port (onebox serve's `reload --upgrade`).
///
/// Two fronts listen on one port with SO_REUSEPORT while one replaces the other. Each
/// socket has its own accept queue and the kernel hashes new connections over both, so
/// connections queued on the old socket when it closes would be reset. A classic BPF
/// program attached to the port's reuseport group — `return 1`, the index of the socket
/// that joined second — sends every new connection to the newest front from the moment
/// it listens; the old one only accepts what was already queued, and closes empty.
/// Alone in its group the index is out of range and the kernel hashes as usual (one
/// socket), so the program is harmless outside an overlap.
///
///     struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }     BPF_RET|BPF_K = 0x06, k = 1
///     struct sock_fprog  { u16 len; /* 6 bytes padding */ struct sock_filter *filter; }
enum ReusePortTakeover {
    /// SO_ATTACH_REUSEPORT_CBPF (linux/asm-generic/socket.h).
    static let attachReusePortCBPF: Int32 = 51
    static let returnConstant: UInt16 = 0x06

    /// `struct sock_fprog`: Swift lays out these two fields as C does (offsets 0 and 8).
    struct Program: @unchecked Sendable {
        var length: UInt16
        var filter: UnsafeMutableRawPointer
    }

    /// Steers the listener's reuseport group to the newest socket. Failure (an old kernel)
    /// only costs the hand-over's precision, so it is reported, not thrown.
    static func attach(to channel: any Channel) async -> String? {
        guard let provider = channel as? any SocketOptionProvider else { return "the channel exposes no socket options" }
        let filter = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
        defer { filter.deallocate() }
        filter.storeBytes(of: returnConstant, toByteOffset: 0, as: UInt16.self)
        filter.storeBytes(of: 0, toByteOffset: 2, as: UInt8.self)
        filter.storeBytes(of: 0, toByteOffset: 3, as: UInt8.self)
        filter.storeBytes(of: 1, toByteOffset: 4, as: UInt32.self)
        precondition(MemoryLayout<Program>.size == 16 && MemoryLayout<Program>.offset(of: \Program.filter) == 8,
                     "Program must match struct sock_fprog")
        do {
            try await provider.unsafeSetSocketOption(
                level: .init(rawValue: SOL_SOCKET), name: .init(rawValue: attachReusePortCBPF),
                value: Program(length: 1, filter: filter)).get()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
