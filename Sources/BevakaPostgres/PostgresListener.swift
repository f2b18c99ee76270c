import CLibpq
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// LISTEN on a libpq connection of its own, on a thread of its own that waits on the
/// connection's socket with `poll` (at most a second at a time, so `stop` is heard). A lost
/// connection is made again every second — to whichever host is the primary, when the
/// connection string names several — and `reconnected` is called, since notifications may have
/// been missed meanwhile.
final class PostgresListener: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let thread: Thread

    init(conninfo: String, channel: String, heard: @escaping @Sendable (String) -> Void,
         reconnected: @escaping @Sendable () -> Void) {
        let state = State()
        thread = Thread {
            PostgresListener.loop(conninfo: conninfo, channel: channel, heard: heard, reconnected: reconnected, state: state)
        }
        self.state = state
        thread.name = "bevaka.listen"
        thread.start()
    }

    private let state: State

    /// Shared between the listener's thread and the store.
    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var stop = false
        private let ended = DispatchSemaphore(value: 0)
        var stopped: Bool {
            lock.lock()
            defer { lock.unlock() }
            return stop
        }
        func requestStop() {
            lock.lock()
            stop = true
            lock.unlock()
        }
        /// Said once by the thread as its last act.
        func markEnded() { ended.signal() }
        func waitUntilEnded(limit: Duration) -> Bool {
            let milliseconds = Int(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
            guard ended.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else { return false }
            ended.signal()  // a second wait returns at once
            return true
        }
    }

    /// Ends the thread within a second; its connection is closed.
    func stop() {
        state.requestStop()
    }

    /// Stops the thread and waits until it has closed its connection (at most `limit`), so that
    /// nothing of libpq's still runs on it while the process exits. True when it ended in time.
    @discardableResult
    func stopAndWait(limit: Duration = .seconds(6)) -> Bool {
        state.requestStop()
        return state.waitUntilEnded(limit: limit)
    }

    private static func loop(conninfo: String, channel: String, heard: @Sendable (String) -> Void,
                             reconnected: @Sendable () -> Void, state: State) {
        defer { state.markEnded() }
        var first = true
        while !state.stopped {
            guard let connection = try? PGConnection.connect(conninfo, timeout: .seconds(4)) else {
                pause(state)
                continue
            }
            let listening = (try? connection.query(SQL(unsafe: "LISTEN \(channel)"), deadline: .now + .seconds(4))) != nil
            guard listening else {
                pause(state)
                continue
            }
            if !first { reconnected() }
            first = false
            while !state.stopped {
                let socket = connection.socket
                guard socket >= 0, let ready = try? PGConnection.wait(socket, Int16(POLLIN), until: .now + .seconds(1)) else { break }
                if !ready { continue }
                guard let payloads = try? connection.notifications() else { break }
                payloads.forEach(heard)
            }
            connection.close()
            if !state.stopped { pause(state) }
        }
    }

    /// A second's pause before trying again (a tenth at a time, so `stop` is heard).
    private static func pause(_ state: State) {
        for _ in 0..<10 where !state.stopped { usleep(100_000) }
    }
}
