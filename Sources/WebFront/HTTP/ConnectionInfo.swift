/// What a request handler knows about the connection it serves.
struct ConnectionInfo {
    /// The client's address without port, for X-Forwarded-For and the log.
    var clientAddress: String
    /// HTTP/2 stream (one request per handler) rather than an HTTP/1.x connection.
    var isHTTP2: Bool
}
