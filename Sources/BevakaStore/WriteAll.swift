import Foundation

/// `write(2)` until every byte is out, retrying after a signal. Returns 0, or the errno that stopped it.
public func writeAll(_ descriptor: Int32, _ data: some DataProtocol & ContiguousBytes) -> Int32 {
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32 in
        guard var pointer = buffer.baseAddress else { return 0 }
        var remaining = buffer.count
        while remaining > 0 {
            let written = write(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            remaining -= written
            pointer += written
        }
        return 0
    }
}
