/// The answer to one question, before it is put on the wire.
struct Resolution: Sendable {
    var rcode: DNSRcode = .noError
    var isAuthoritative = true
    var answer: [DNSRecord] = []
    var authority: [DNSRecord] = []
    var additional: [DNSRecord] = []
    /// Referral glue: if it does not fit, the answer is truncated rather than sent
    /// without it (RFC 9471).
    var isAdditionalRequired = false
    /// Every type whose presence decided this answer. For any qtype outside this set
    /// (and not ANY), the answer is the same apart from the echoed question; this is
    /// what lets the responder precompute one fallback answer per name.
    var consultedTypes: Set<DNSRecordType> = []
}
