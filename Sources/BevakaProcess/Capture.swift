import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which the Glibc module does not show.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// Runs a program to its end and collects what it prints: posix_spawn and waitpid, because
/// Foundation's Process could wait forever for a script that starts a server in the background
/// (the server keeps the output open). For the benchmark and the tests, which start private
/// PostgreSQL servers.
public enum ChildProcess {
    /// Serialises making a pipe and spawning, so that no child (a server daemon, say) inherits a
    /// pipe another thread has just made: it would keep it open and that read would never end.
    private static let spawnLock = NSLock()

    /// `mergeErrors`: standard error goes with the output; else to /dev/null. The exit status is
    /// the program's, or 128 + the signal that ended it; 127 when it could not be started.
    /// `timeLimit`: a child (and its process group) still running after this many seconds is
    /// killed and the output says so, so a hung server script cannot hang a test run or the
    /// bench (issue 36, item 7).
    public static func capture(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                               mergeErrors: Bool = true, timeLimit: Double = 600) -> (status: Int32, output: String) {
        var pipe: [Int32] = [0, 0]
        spawnLock.lock()
        guard Glibc.pipe(&pipe) == 0 else {
            spawnLock.unlock()
            return (127, "pipe failed")
        }
        _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        if mergeErrors {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        // Every other descriptor is closed in the child: a server daemon a script starts must not
        // keep a pipe that another thread opened for its own child (Foundation's Process does not
        // mark them close-on-exec), or that reader waits for an end of file that never comes.
        _ = addCloseFrom(&actions, 3)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        // The child starts with no signal blocked and default handlers, whatever this process's
        // threads block (a server or a KDC a script starts would otherwise ignore TERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // A process group of its own, so that a time limit ends what it started too.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        spawnLock.unlock()
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            return (127, "could not start \(executable): \(spawned)")
        }
        let watch = Watch()
        let child = pid
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
            watch.fire { _ = kill(-child, SIGKILL); _ = kill(child, SIGKILL) }
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        close(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let timedOut = watch.end()
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        var text = String(decoding: output, as: UTF8.self)
        if timedOut { text += "\n(\(executable) stoppad efter \(Int(timeLimit)) s)" }
        return (code, text)
    }
}

/// A time limit's state: fired once, and never after the child has been waited for (its pid may
/// then be another process's).
final class Watch: @unchecked Sendable {
    private let lock = NSLock()
    private var ended = false
    private var fired = false

    func fire(_ action: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        fired = true
        action()
    }

    /// Marks the child as waited for; whether the limit had fired.
    func end() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        ended = true
        return fired
    }
}
