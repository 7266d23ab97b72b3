/// What can stop `onebox serve`, phrased for the operator.
public enum SupervisorError: Error, CustomStringConvertible {
    case io(path: String, reason: String)
    case spawn(executable: String, reason: String)
    case childExitedBeforeReady(name: String, status: String, logPath: String, logTail: String)
    case childNotReady(name: String, seconds: Int, logPath: String, logTail: String)
    case initialisation(String)
    case notRunning(String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .spawn(let executable, let reason): "cannot start \(executable): \(reason)"
        case .childExitedBeforeReady(let name, let status, let logPath, let tail):
            "\(name) \(status) before it was ready (log: \(logPath))" + (tail.isEmpty ? "" : "\n" + tail)
        case .childNotReady(let name, let seconds, let logPath, let tail):
            "\(name) was not ready after \(seconds) s (log: \(logPath))" + (tail.isEmpty ? "" : "\n" + tail)
        case .initialisation(let message): "initialising the state directory: \(message)"
        case .notRunning(let message): message
        }
    }
}
