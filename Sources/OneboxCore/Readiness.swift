/// The readiness contract every role keeps (docs/architecture.md): once a listener
/// accepts traffic, one line `ready <role> <url>` goes to stdout, unbuffered, so a
/// supervisor or a test can wait for it. Nothing else is ever written to stdout.
public enum Readiness {
    /// Prints `ready <role> <url>`.
    public static func announce(role: String, url: String) {
        StandardStreams.writeOut("ready \(role) \(url)\n")
    }
}
