/// What to send back for one received message.
public enum DNSReply: Sendable, Equatable {
    /// Send nothing (responses, messages too short to answer).
    case drop
    /// One message.
    case message([UInt8])
    /// Several messages in order, each framed separately on TCP (zone transfers).
    case stream([[UInt8]])
}
