/// An RR CLASS value (RFC 1035 3.2.4). onebox serves class IN only; queries for ANY
/// are answered from IN.
public struct DNSClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let `in` = DNSClass(rawValue: 1)
    public static let chaos = DNSClass(rawValue: 3)
    public static let none = DNSClass(rawValue: 254)
    public static let any = DNSClass(rawValue: 255)
}
