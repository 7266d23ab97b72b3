import Foundation

/// One running `onebox <role>` child: spawned with posix_spawn in a process group of
/// its own (a Ctrl-C in the terminal reaches only the supervisor, which then stops the
/// children in order), signal dispositions reset to default, stdout and stderr on pipes,
/// stdin a pipe serve never writes (the child stops at its end of file: serve is gone).
///
/// Two reader threads copy the pipes into the child's `LogFile`; stdout lines are also
/// handed to `onLine` with their number (the `ready` lines). A third thread waits for the exit and calls
/// `onExit` once with the wait status.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let startedAt: ContinuousClock.Instant
    public let startedAtDate: Date

    private init(pid: pid_t) {
        self.pid = pid
        startedAt = .now
        startedAtDate = Date()
    }

    /// Starts `executable arguments` with `environment`.
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String], log: LogFile,
        onLine: @escaping @Sendable (pid_t, Int, Substring) -> Void,
        onExit: @escaping @Sendable (pid_t, ExitStatus) -> Void
    ) throws(SupervisorError) -> ChildProcess {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // The child's stdin: serve holds the write end and never writes; the child reads
        // end of file when serve is gone, however it ended, and stops.
        var lifeline: [Int32] = [-1, -1]
        // Close-on-exec, so no other child inherits these ends (dup2 onto 1 and 2 clears
        // the flag for this child). Spawns happen on the supervisor's actor, one at a time.
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&lifeline) == 0 else {
            throw .spawn(executable: executable, reason: "pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in outPipe + errPipe + lifeline { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, lifeline[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, executable, &actions, &attributes,
                            UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                            UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        close(lifeline[0])
        let lifelineWriter = lifeline[1]
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            close(lifelineWriter)
            throw .spawn(executable: executable, reason: String(cString: strerror(result)))
        }
        let childPID = pid
        let child = ChildProcess(pid: childPID)
        let stdoutReader = outPipe[0]
        let stderrReader = errPipe[0]
        Thread.detachNewThread {
            var pending = [UInt8]()
            var lineNumber = 0
            Self.drain(stdoutReader) { bytes in
                log.append(bytes)
                pending.append(contentsOf: bytes)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(childPID, lineNumber, Substring(decoding: pending[..<newline], as: UTF8.self))
                    lineNumber += 1
                    pending.removeSubrange(...newline)
                }
            }
        }
        Thread.detachNewThread {
            Self.drain(stderrReader) { log.append($0) }
        }
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(childPID, &status, 0) < 0 {
                guard errno == EINTR else { break }
            }
            close(lifelineWriter)
            onExit(childPID, ExitStatus(waitStatus: status))
        }
        return child
    }

    /// Reads `descriptor` until EOF, handing every chunk to `body`, then closes it.
    private static func drain(_ descriptor: Int32, _ body: (UnsafeRawBufferPointer) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 << 10, alignment: 1)
        defer {
            buffer.deallocate()
            close(descriptor)
        }
        while true {
            let count = read(descriptor, buffer.baseAddress!, buffer.count)
            if count > 0 {
                body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Sends `signal` to the child (not to its group: the roles have no children).
    public func send(_ signal: Int32) {
        kill(pid, signal)
    }
}

/// How a child ended, decoded from a wait status.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "was killed by signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGSEGV ? " (SIGSEGV)" : signal == SIGTERM ? " (SIGTERM)" : "")"
        }
    }
}
