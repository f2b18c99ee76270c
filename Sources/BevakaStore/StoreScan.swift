import BevakaDomain
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileStore {
    /// The file's clients in order, in batches, never holding the whole file or caseload: for
    /// the commands that look at each person once (`bevaka agenda`), so that their memory stays
    /// a fraction of the file's size. The file is read a piece at a time and each
    /// piece's complete lines are read by `StoreReader` on all cores.
    ///
    /// A document not in Bevaka's own layout, or one the reader gives up on, is read whole by the
    /// reference (`JSONDecoder`), exactly as `load()` reads it, with the same errors: `restart` is
    /// called first (forget the batches so far), then one batch holds every client.
    /// Returns false when there is no file.
    public func scan(pieceSize: Int = 512 << 10, restart: () -> Void,
                     _ batch: ([Client]) -> Void) throws(StoreError) -> Bool {
        let fd = open(target.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return false }
            throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
        }
        defer { close(fd) }
        var scanner = StoreCodec.LineScanner()
        var validator = StoreCodec.Validator(path: path, backup: nil, lineByLine: true)
        var piece = [UInt8]()
        // No bigger than the file (and one byte to see its end): a short list's read touches
        // only the memory it needs.
        var status = stat()
        let fileSize = fstat(fd, &status) == 0 ? Int(status.st_size) : pieceSize
        var buffer = [UInt8](repeating: 0, count: max(16, min(pieceSize, fileSize + 1)))
        var streaming = true
        while streaming {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: StoreError.reason(errno: errno))
            }
            if count == 0 {
                streaming = piece.isEmpty && scanner.closed
                break
            }
            piece.append(contentsOf: buffer[0..<count])
            // The complete lines of what has been read; the rest waits for the next piece.
            guard let lastNewline = piece.lastIndex(of: 0x0A) else { continue }
            let clients: [Client]? = piece.withUnsafeBufferPointer { (whole: UnsafeBufferPointer<UInt8>) -> [Client]? in
                scanner.lines(UnsafeBufferPointer(rebasing: whole[...lastNewline]))?.clients
            }
            guard let clients else {
                streaming = false
                break
            }
            piece.removeSubrange(...lastNewline)
            if !clients.isEmpty {
                // A store load() would refuse is refused here too, with load()'s own error.
                do {
                    try validator.check(clients)
                } catch {
                    _ = try load()
                    throw error
                }
                batch(clients)
            }
        }
        if streaming { return true }
        // Not Bevaka's own layout, or something the reader will not judge: the reference reads it.
        restart()
        guard let caseload = try load() else { return false }  // validated there
        batch(caseload.clients)
        return true
    }
}

extension StoreCodec {
    /// Reads a store document in Bevaka's own layout in pieces of whole lines (all of it at once
    /// for `readCanonical`): the header line first, then client lines (each but the last ending
    /// in a comma), `]}` and the end of the file.
    struct LineScanner {
        private var header = false
        /// A client line was read, and one without a comma: only `]}` may follow that.
        private var sawClient = false
        private var lastClient = false
        /// `]}` was read: the document is whole when nothing follows.
        private(set) var closed = false
        private(set) var nextSerial = 1

        /// The clients on these complete lines (each ending in a newline) and their lines (byte
        /// ranges in `raw`, without the comma); nil if anything is not as Bevaka writes it.
        mutating func lines(_ raw: UnsafeBufferPointer<UInt8>) -> (clients: [Client], lines: [Range<Int>])? {
            var start = 0
            if !header {
                guard let (serial, next) = StoreCodec.readHeader(raw) else { return nil }
                header = true
                nextSerial = serial
                start = next
            }
            guard let lines = StoreCodec.lineRanges(raw, from: start) else { return nil }
            var body: [Range<Int>] = []
            body.reserveCapacity(lines.count)
            for line in lines {
                if closed { return nil }
                if line.count == 2, raw[line.lowerBound] == UInt8(ascii: "]"), raw[line.lowerBound + 1] == UInt8(ascii: "}") {
                    // `]}` after the last client (or at once, in an empty list).
                    guard lastClient || !sawClient else { return nil }
                    closed = true
                    continue
                }
                guard !lastClient, !line.isEmpty else { return nil }
                sawClient = true
                if raw[line.upperBound - 1] == UInt8(ascii: ",") {
                    body.append(line.lowerBound..<(line.upperBound - 1))
                } else {
                    body.append(line)
                    lastClient = true
                }
            }
            guard let clients = StoreCodec.readClients(raw, lines: body) else { return nil }
            return (clients, body)
        }
    }
}
