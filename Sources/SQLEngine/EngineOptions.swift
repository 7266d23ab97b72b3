import PageStore

/// How an `Engine` is opened.
public struct EngineOptions: Sendable {
    /// Computes the stored authentication string for (plugin, plaintext password); injected by
    /// DBServer so SQLEngine need not know auth plugins.
    public var hashPassword: @Sendable (_ plugin: String, _ password: String) -> String
    /// Plugin for CREATE USER without IDENTIFIED WITH.
    public var defaultAuthPlugin: String
    public var pageStoreOptions: PageStore.Options
    /// For VERSION() and @@version.
    public var serverVersion: String
    /// Seconds a writer waits for another session's transaction (innodb_lock_wait_timeout's default).
    public var lockWaitTimeoutSeconds: Int
    /// Deepest nesting the parser accepts before answering 1064 (protects the stack).
    public var maxParserDepth: Int
    /// Row steps (rows scanned, joined or read from a materialised source) a statement run
    /// on a thread that must not block may take before it gives up and goes to one that
    /// may (Session+NonBlocking.swift): bounds how long one statement holds an event loop.
    /// 0: no statement runs there.
    public var nonBlockingStepLimit: Int

    public init(hashPassword: @escaping @Sendable (_ plugin: String, _ password: String) -> String = { _, password in password },
                defaultAuthPlugin: String = "caching_sha2_password",
                pageStoreOptions: PageStore.Options = PageStore.Options(),
                serverVersion: String = "8.0.40-onebox-0.1",
                lockWaitTimeoutSeconds: Int = 50,
                maxParserDepth: Int = 200,
                nonBlockingStepLimit: Int = 1_000) {
        self.hashPassword = hashPassword
        self.defaultAuthPlugin = defaultAuthPlugin
        self.pageStoreOptions = pageStoreOptions
        self.serverVersion = serverVersion
        self.lockWaitTimeoutSeconds = lockWaitTimeoutSeconds
        self.maxParserDepth = maxParserDepth
        self.nonBlockingStepLimit = nonBlockingStepLimit
    }
}
