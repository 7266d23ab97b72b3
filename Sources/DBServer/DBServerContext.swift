import Foundation
import Logging
import MySQLWire
import SQLEngine

/// What every connection of one server shares.
final class DBServerContext: Sendable {
    let engine: Engine
    let configuration: DBServerConfiguration
    let registry: ConnectionRegistry
    let keys: ServerKeys
    let fastAuthCache = FastAuthCache()
    /// The capabilities the greeting offers.
    let serverCapabilities: MySQLCapabilities
    let startTime = ContinuousClock.now
    let logger: Logger

    init(engine: Engine, configuration: DBServerConfiguration, keys: ServerKeys, isTLSAvailable: Bool, logger: Logger) {
        self.engine = engine
        self.configuration = configuration
        self.registry = ConnectionRegistry(maximum: configuration.maxConnections)
        self.keys = keys
        self.logger = logger
        serverCapabilities = Self.capabilities(tls: isTLSAvailable)
    }

    /// Only what the server implements. Not offered: COMPRESS, LOCAL_FILES (no LOAD DATA
    /// LOCAL), SESSION_TRACK, QUERY_ATTRIBUTES, OPTIONAL_RESULTSET_METADATA, FOUND_ROWS,
    /// IGNORE_SPACE; no MariaDB extended capabilities (bit 0, LONG_PASSWORD, stays set,
    /// so libmariadb talks plain MySQL).
    static func capabilities(tls: Bool) -> MySQLCapabilities {
        var caps: MySQLCapabilities = [
            .longPassword, .longFlag, .connectWithDB, .protocol41, .interactive, .transactions, .secureConnection,
            .multiStatements, .multiResults, .psMultiResults, .pluginAuth, .connectAttributes,
            .pluginAuthLengthEncodedClientData, .deprecateEOF, .ignoreSigpipe,
        ]
        if tls { caps.insert(.ssl) }
        return caps
    }
}
