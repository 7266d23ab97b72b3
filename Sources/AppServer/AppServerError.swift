/// Why the app role could not start.
public enum AppServerError: Error, CustomStringConvertible {
    case templates(String)
    case listen(String)

    public var description: String {
        switch self {
        case .templates(let what): what
        case .listen(let what): what
        }
    }
}
