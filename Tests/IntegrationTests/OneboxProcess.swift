import Foundation
import Testing

/// A real `onebox` child process, started for one test and stopped at its end.
///
/// The binary is `$ONEBOX_BINARY` (Tools/test sets it) or `.build/debug/onebox`.
/// `start` waits for the role's `ready <role> <url>` lines, so a test begins only once
/// the listeners accept traffic; stderr is collected for failure messages.
final class OneboxProcess: @unchecked Sendable {
    let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let lock = NSLock()
    private var collectedError = Data()
    private var outputLines: [String] = []
    private var partialLine = Data()

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ONEBOX_BINARY"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".build/debug/onebox").path
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts `onebox <arguments>` in `directory` and waits until `readyCount` ready lines appeared.
    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
         readyCount: Int = 1, timeout: Duration = .seconds(60)) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONEBOX_") }
        env["ONEBOX_CONFIG"] = ""   // tests never read the developer's Data/onebox.yaml
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = directory ?? Self.packageRoot
        process.standardOutput = stdout
        process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consumeOutput(handle.availableData) }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consumeError(handle.availableData) }
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while readyLines.count < readyCount {
            if !process.isRunning {
                throw OneboxProcessError.exited(status: process.terminationStatus, stderr: errorText)
            }
            if ContinuousClock.now > deadline {
                process.terminate()
                throw OneboxProcessError.notReady(stderr: errorText)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Every `ready` line printed so far, e.g. `ready dns dns://127.0.0.1:40001`.
    var readyLines: [String] {
        lock.withLock { outputLines.filter { $0.hasPrefix("ready ") } }
    }

    /// Every line printed to stdout so far.
    var stdoutLines: [String] { lock.withLock { outputLines } }

    /// What the process wrote to stderr so far.
    var errorText: String { lock.withLock { String(decoding: collectedError, as: UTF8.self) } }

    /// The URL of the first ready line for `role`.
    func url(of role: String) -> URL? {
        readyLines.compactMap { line -> URL? in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[1] == role else { return nil }
            return URL(string: String(parts[2]))
        }.first
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM, then waits for the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func consumeOutput(_ data: Data) {
        lock.withLock {
            partialLine.append(data)
            while let newline = partialLine.firstIndex(of: UInt8(ascii: "\n")) {
                outputLines.append(String(decoding: partialLine[partialLine.startIndex..<newline], as: UTF8.self))
                partialLine.removeSubrange(partialLine.startIndex...newline)
            }
        }
    }

    private func consumeError(_ data: Data) {
        lock.withLock { collectedError.append(data) }
    }
}

enum OneboxProcessError: Error, CustomStringConvertible {
    case exited(status: Int32, stderr: String)
    case notReady(stderr: String)

    var description: String {
        switch self {
        case .exited(let status, let stderr): "onebox exited with status \(status) before it was ready:\n\(stderr)"
        case .notReady(let stderr): "onebox was not ready in time:\n\(stderr)"
        }
    }
}

/// Runs a command-line tool to completion and returns its stdout.
@discardableResult
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
