import Foundation

/// An ICU common data package (`icudtNNl.dat`, what `icupkg` reads and writes): a header, a table
/// of contents sorted by name, and each item's bytes aligned to 16. ICU finds items by binary
/// search over the names, so a package written with fewer items is read the same way.
struct IcuPackage {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    var header: [UInt8]
    var items: [(name: String, bytes: [UInt8])]

    init(_ bytes: [UInt8]) throws {
        func u16(_ at: Int) throws -> Int {
            guard at + 2 <= bytes.count else { throw Problem(description: "för kort vid \(at)") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int {
            guard at + 4 <= bytes.count else { throw Problem(description: "för kort vid \(at)") }
            return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        let headerSize = try u16(0)
        guard bytes.count > 4, bytes[2] == 0xDA, bytes[3] == 0x27, headerSize >= 4, headerSize < bytes.count else {
            throw Problem(description: "inte ett ICU-datapaket (fel inledning)")
        }
        header = Array(bytes[0..<headerSize])
        let toc = headerSize
        let count = try u32(toc)
        guard count > 0, count < 100_000 else { throw Problem(description: "orimligt antal delar: \(count)") }
        var entries: [(name: String, offset: Int)] = []
        for index in 0..<count {
            let nameOffset = try u32(toc + 4 + 8 * index), dataOffset = try u32(toc + 8 + 8 * index)
            let start = toc + nameOffset
            guard start < bytes.count, let end = bytes[start...].firstIndex(of: 0) else {
                throw Problem(description: "del \(index): namnet ligger utanför paketet")
            }
            guard toc + dataOffset <= bytes.count else { throw Problem(description: "del \(index): data utanför paketet") }
            entries.append((String(decoding: bytes[start..<end], as: UTF8.self), toc + dataOffset))
        }
        items = []
        for (index, entry) in entries.enumerated() {
            let end = index + 1 < entries.count ? entries[index + 1].offset : bytes.count
            guard end >= entry.offset else { throw Problem(description: "\(entry.name): delarna ligger i fel ordning") }
            items.append((entry.name, Array(bytes[entry.offset..<end])))
        }
    }

    /// The package's bytes: the same header, the table of contents sorted by the names' bytes.
    func bytes() -> [UInt8] {
        let sorted = items.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let tocSize = 4 + 8 * sorted.count
        var names: [UInt8] = []
        var nameOffsets: [Int] = []
        for item in sorted {
            nameOffsets.append(tocSize + names.count)
            names += Array(item.name.utf8) + [0]
        }
        let dataStart = (tocSize + names.count + 15) / 16 * 16
        var data: [UInt8] = []
        var dataOffsets: [Int] = []
        for item in sorted {
            data += [UInt8](repeating: 0, count: (16 - data.count % 16) % 16)
            dataOffsets.append(dataStart + data.count)
            data += item.bytes
        }
        var out = header + le32(sorted.count)
        for index in sorted.indices { out += le32(nameOffsets[index]) + le32(dataOffsets[index]) }
        out += names
        out += [UInt8](repeating: 0, count: header.count + dataStart - out.count)
        return out + data
    }
}
