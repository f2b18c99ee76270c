import Foundation
import ZIPFoundation

/// A ZIP file's entries read with strict bounds. ZIPFoundation's `Archive` cannot be given a
/// damaged workbook: its in-memory archive traps on a directory pointing past the end, and both
/// kinds loop for ever when a deflate stream ends before its end marker (its `decode` keeps
/// asking for input that is not there; found by the workbook fuzzer, a CI run that hung). So the
/// directory is read here, every offset and size checked against the bytes, and each entry's
/// data inflated by ZIPFoundation's own `Data.decompress` with an input provider that refuses to
/// read past the entry. `Archive` stays the reference: `ZipEntriesTests` reads every workbook
/// both ways.
struct ZipEntries {
    struct Entry {
        var path: String
        var method: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var dataStart: Int
    }

    struct Damaged: Error {}

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws(Damaged) {
        self.bytes = bytes
        // The end of central directory record: its signature within the last 64 kB + 22 bytes.
        guard bytes.count >= 22 else { throw Damaged() }
        var end = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while at >= lowest {
            if u32(at) == 0x0605_4B50 { end = at; break }
            at -= 1
        }
        guard end >= 0 else { throw Damaged() }
        let count = Int(u16(end + 10))
        let directorySize = Int(u32(end + 12)), directoryStart = Int(u32(end + 16))
        // ZIP64 (sizes or offsets of 0xFFFFFFFF) is never needed for a list; refused.
        guard count != 0xFFFF, directoryStart != 0xFFFF_FFFF, directoryStart + directorySize <= end else { throw Damaged() }
        var position = directoryStart
        for _ in 0..<count {
            guard position + 46 <= end, u32(position) == 0x0201_4B50 else { throw Damaged() }
            let method = u16(position + 10)
            let compressed = UInt64(u32(position + 20)), uncompressed = UInt64(u32(position + 24))
            let nameLength = Int(u16(position + 28)), extraLength = Int(u16(position + 30)), commentLength = Int(u16(position + 32))
            let local = Int(u32(position + 42))
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF,
                  position + 46 + nameLength <= end else { throw Damaged() }
            let path = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            // The local header's own name and extra field lengths decide where the data starts.
            guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw Damaged() }
            let dataStart = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
            guard dataStart <= bytes.count, UInt64(bytes.count - dataStart) >= compressed else { throw Damaged() }
            entries.append(Entry(path: path, method: method, compressedSize: compressed, uncompressedSize: uncompressed,
                                 dataStart: dataStart))
            position += 46 + nameLength + extraLength + commentLength
        }
    }

    subscript(path: String) -> Entry? {
        entries.first { $0.path == path }
    }

    enum ExtractError: Error {
        case damaged
        /// The consumer refused more (a size limit).
        case refused
    }

    /// The entry's data, chunk by chunk to `consumer` (which may throw to stop).
    func extract(_ entry: Entry, consumer: (Data) throws -> Void) throws(ExtractError) {
        let start = entry.dataStart, size = Int(entry.compressedSize)
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw .damaged }
            var offset = 0
            while offset < size {
                let count = min(1 << 16, size - offset)
                do { try consumer(Data(bytes[(start + offset)..<(start + offset + count)])) } catch { throw .refused }
                offset += count
            }
        case 8:
            var refused = false
            var exhausted = false
            do {
                _ = try Data.decompress(size: Int64(size), bufferSize: 1 << 16, skipCRC32: true, provider: { position, chunk in
                    // Never past the entry: a stream that has not ended by then is damaged.
                    let from = Int(position)
                    guard from < size else {
                        exhausted = true
                        throw Damaged()
                    }
                    // Always `chunk` bytes, zeros after the entry's end: ZIPFoundation tells
                    // inflate a whole buffer is there, so a short one would be read past its end.
                    let to = min(size, from + chunk)
                    var data = Data(self.bytes[(start + from)..<(start + to)])
                    if data.count < chunk { data.append(Data(count: chunk - data.count)) }
                    return data
                }, consumer: { data in
                    do { try consumer(data) } catch {
                        refused = true
                        throw error
                    }
                })
            } catch {
                throw refused && !exhausted ? .refused : .damaged
            }
        default:
            throw .damaged
        }
    }

    private func u16(_ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private func u32(_ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
