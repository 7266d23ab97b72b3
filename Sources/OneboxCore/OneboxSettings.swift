import Configuration

/// onebox's configuration, read through swift-configuration in three layers:
/// the YAML file (`Data/onebox.yaml` or `--config`) < `ONEBOX_*` environment
/// variables < command-line flags.
///
/// Keys are dotted and lower-case (`dns.listen`, `dns.udp-payload`); the environment
/// spells them upper-case with `_` for `.` and `-` (`ONEBOX_DNS_UDP_PAYLOAD`).
/// Every accessor is strict: a value that is present but malformed is an error that
/// names the key, never a silent fall-back to the default.
public struct OneboxSettings: Sendable {
    /// The layered reader; roles normally use the typed accessors below.
    public let reader: ConfigReader
    /// The file the lowest layer came from, if any (for messages).
    public let configFile: String?

    /// Builds the three layers.
    /// - Parameters:
    ///   - configFile: an explicit `--config` path (must exist), or nil to use
    ///     `$ONEBOX_CONFIG`, else `Data/onebox.yaml` when the working directory has
    ///     one. An empty path means no file.
    ///   - flags: values given on the command line, by configuration key.
    ///   - environment: the process environment; only `ONEBOX_*` entries are read.
    public static func load(
        configFile: String?,
        flags: [String: String] = [:],
        environment: [String: String]
    ) async throws -> OneboxSettings {
        var providers: [any ConfigProvider] = []
        providers.append(InMemoryProvider(name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map {
            (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: false))
        })))
        var prefixed: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(environmentPrefix) && name != "ONEBOX_CONFIG" {
            prefixed[String(name.dropFirst(environmentPrefix.count))] = value
        }
        providers.append(EnvironmentVariablesProvider(environmentVariables: prefixed))

        // An explicit file must exist; the default one is used when present; an
        // empty name means no file at all (tests, or a configuration made of env only).
        let explicitFile = configFile ?? environment["ONEBOX_CONFIG"]
        let file = explicitFile ?? defaultConfigFile
        guard !file.isEmpty else {
            return OneboxSettings(reader: ConfigReader(providers: providers), configFile: nil)
        }
        do {
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(file), allowMissing: explicitFile == nil))
        } catch {
            throw OneboxConfigurationError.unreadableFile(path: file, reason: "\(error)")
        }
        return OneboxSettings(reader: ConfigReader(providers: providers), configFile: file)
    }

    /// Settings with no file and no environment: the defaults, plus `values`. For tests.
    public static func make(values: [String: String]) async throws -> OneboxSettings {
        try await load(configFile: nil, flags: values, environment: ["ONEBOX_CONFIG": ""])
    }

    init(reader: ConfigReader, configFile: String?) {
        self.reader = reader
        self.configFile = configFile
    }

    static let environmentPrefix = "ONEBOX_"
    static let defaultConfigFile = "Data/onebox.yaml"

    /// A string value, or `defaultValue` when no layer sets the key.
    public func string(_ key: String, default defaultValue: String) -> String {
        reader.string(forKey: ConfigKey(key)) ?? defaultValue
    }

    /// An optional string value; an empty string counts as unset.
    public func optionalString(_ key: String) -> String? {
        guard let value = reader.string(forKey: ConfigKey(key)), !value.isEmpty else { return nil }
        return value
    }

    /// An integer within `range`; anything else present under `key` is an error naming it.
    public func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(OneboxConfigurationError) -> Int {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return defaultValue }
        guard let value = Int(text.trimmingWhitespace()), range.contains(value) else {
            throw .invalidValue(key: key, value: text, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A duration given in seconds (fractions allowed).
    public func seconds(_ key: String, default defaultValue: Duration, in range: ClosedRange<Double>) throws(OneboxConfigurationError) -> Duration {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return defaultValue }
        guard let value = Double(text.trimmingWhitespace()), range.contains(value) else {
            throw .invalidValue(key: key, value: text, expected: "seconds from \(range.lowerBound) to \(range.upperBound)")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// A list: a YAML sequence, or a comma-separated string (environment, flags).
    public func list(_ key: String, default defaultValue: [String]) -> [String] {
        let configKey = ConfigKey(key)
        if let text = reader.string(forKey: configKey) {
            return text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        return reader.stringArray(forKey: configKey) ?? defaultValue
    }

    /// A boolean: true/false, yes/no, on/off, 1/0.
    public func bool(_ key: String, default defaultValue: Bool) throws(OneboxConfigurationError) -> Bool {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return defaultValue }
        switch text.trimmingWhitespace().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw .invalidValue(key: key, value: text, expected: "true or false")
        }
    }
}

/// A configuration problem, phrased for the operator who has to fix it.
public enum OneboxConfigurationError: Error, CustomStringConvertible, Equatable {
    case unreadableFile(path: String, reason: String)
    case invalidValue(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read configuration file \(path): \(reason)"
        case .invalidValue(let key, let value, let expected):
            "configuration key \(key): '\(value)' is not valid, expected \(expected)"
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    package func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
