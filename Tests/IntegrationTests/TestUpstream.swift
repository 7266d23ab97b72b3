import Foundation

/// Tools/web-test-upstream.py as a child process on a free loopback port.
final class TestUpstream: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(name: String, port requestedPort: Int = 0) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", OneboxProcess.packageRoot.appendingPathComponent("Tools/web-test-upstream.py").path, name, String(requestedPort)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw TestUpstreamError.didNotStart(text)
        }
        self.port = port
    }

    var address: String { "127.0.0.1:\(port)" }

    /// SIGKILL: children of the test runner inherit a blocked SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

enum TestUpstreamError: Error {
    case didNotStart(String)
}

/// A loopback port with nothing listening (bound, then closed).
func unusedPort() -> Int {
    let result = try? runTool("python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()"])
    return Int(result?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 1
}
