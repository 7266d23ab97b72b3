/// Settings of a responder; each limit is named here with its default.
public struct DNSResponderOptions: Sendable {
    /// Our EDNS buffer size: advertised in our OPT, and the cap for UDP answers.
    /// Values below 512 are treated as 512.
    public var maxUDPPayload: Int = 1232
    /// Who may transfer zones (AXFR, IXFR) over TCP.
    public var transferACL: IPAccessList = .none
    /// Largest message of a zone transfer stream (the last record may not be split,
    /// so a single record larger than this gets a message of its own).
    public var maxTransferMessageSize: Int = 16384

    /// Defaults: 1232-byte UDP payload, no transfers.
    public init(maxUDPPayload: Int = 1232, transferACL: IPAccessList = .none) {
        self.maxUDPPayload = maxUDPPayload
        self.transferACL = transferACL
    }
}
