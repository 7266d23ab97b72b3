/// How a query arrived; decides the size limit and whether zone transfers are allowed.
public enum DNSTransport: Sendable {
    case udp
    case tcp
}
