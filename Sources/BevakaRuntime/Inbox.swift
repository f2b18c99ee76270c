import BevakaStore
import BevakaUI
import Foundation

/// What the work the loop started sends back: a save's outcome, a colleague's change, the access
/// log's answer, an import's progress and end.
public enum Message: Sendable {
    case saver(Saver.Outcome)
    case importProgress(done: Int, total: Int)
    case importFinished(ImportOutcome)
}

/// The loop's one inbox (issue 36, item 3): background work posts its messages here, in the order
/// they happen, and the loop drains them between keys, as a Bubble Tea command returns its
/// message. Posting also wakes the loop's wait for a key (a byte on a pipe the terminal backend
/// waits on beside the keyboard), so a message is taken at once rather than at the next tick.
public final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Message] = []
    private let readEnd: Int32
    private let writeEnd: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                let flags = fcntl(end, F_GETFL)
                _ = fcntl(end, F_SETFL, flags | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// The descriptor that becomes readable when a message is posted (-1 without a pipe: the loop
    /// then takes messages at its tick).
    public var wakeDescriptor: Int32 { readEnd }

    public func post(_ message: Message) {
        lock.lock()
        messages.append(message)
        lock.unlock()
        if writeEnd >= 0 {
            var byte: UInt8 = 1
            // A full pipe already wakes the loop; the byte is not needed then.
            _ = write(writeEnd, &byte, 1)
        }
    }

    func post(saver outcome: Saver.Outcome) { post(.saver(outcome)) }

    /// Every message posted so far, oldest first.
    public func drain() -> [Message] {
        if readEnd >= 0 {
            var bytes = [UInt8](repeating: 0, count: 256)
            while read(readEnd, &bytes, bytes.count) > 0 {}
        }
        lock.lock()
        defer { lock.unlock() }
        let taken = messages
        messages = []
        return taken
    }
}
