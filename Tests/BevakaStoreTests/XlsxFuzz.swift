import BevakaTestSupport
import Foundation
import ZIPFoundation
@testable import BevakaStore

/// Builders for the workbook fuzzer: a workbook's parts out and back into a ZIP, XML mutations,
/// cells of every kind, and a ZIP bomb.
enum XlsxFuzz {
    static func parts(of workbook: Data) throws -> [String: Data] {
        let archive = try Archive(data: workbook, accessMode: .read, pathEncoding: nil)
        var result: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            result[entry.path] = data
        }
        return result
    }

    static func zip(_ parts: [String: Data]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data ?? Data()
    }

    static let evil = [
        "<", ">", "&", "&amp;", "&#0;", "&#x1B;", "]]>", "<!--", "<?xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;",
        "\"", "'", "<c r=\"ZZZZZ9999999\">", "<v>", "</v>", "<row r=\"-1\">", "<row r=\"99999999999\">", "t=\"s\"",
        "<v>999999999</v>", "<v>1e308</v>", "<v>-0</v>", "<v>NaN</v>", "\u{0}", "\u{FFFF}", "é", "\u{301}",
    ]

    /// Cuts, repeats and splices evil strings into the XML's bytes.
    static func mutateXML(_ data: Data, _ random: inout SeededRandom) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<(1 + Int(random.next() % 3)) {
            guard !bytes.isEmpty else { break }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 60)))
            case 1: bytes.insert(contentsOf: Array(evil[Int(random.next() % UInt64(evil.count))].utf8), at: at)
            case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int(random.next() % 80))], at: at)
            default: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            }
        }
        return Data(bytes)
    }

    /// Replaces a cell of the sheet with one of every kind: numbers, dates, booleans, errors,
    /// formulas with and without values, inline and rich text, references out of range.
    static func evilCells(_ data: Data, _ random: inout SeededRandom) -> Data {
        var xml = String(decoding: data, as: UTF8.self)
        let kinds = [
            "<v>1.94001012386E11</v>", " t=\"e\"><v>#N/A</v", " t=\"b\"><v>1</v", " t=\"str\"><f>A1</f><v>x</v",
            "><f>1+1</f><v/", " t=\"inlineStr\"><is><r><t>a</t></r><r><t>b</t></r></is", " t=\"s\"><v>99999</v",
            "><v>60</v", " s=\"7\"><v>46027</v", "><v>-5</v", "><v>1e400</v", " t=\"n\"><v>abc</v", " t=\"d\"><v>2026-01-05T00:00:00</v",
        ]
        guard let start = xml.range(of: "<c r=\"", options: [], range: xml.index(xml.startIndex, offsetBy: Int(random.next() % UInt64(max(1, xml.count - 10))))..<xml.endIndex),
              let close = xml.range(of: "</c>", range: start.upperBound..<xml.endIndex),
              let attributesEnd = xml.range(of: "\"", range: start.upperBound..<close.lowerBound) else { return data }
        let kind = kinds[Int(random.next() % UInt64(kinds.count))]
        xml.replaceSubrange(attributesEnd.upperBound..<close.lowerBound, with: kind.hasPrefix("<") ? ">" + kind : kind + ">")
        return Data(xml.utf8)
    }

    /// A workbook whose sheet unpacks to `megabytes` of zeros (a few hundred kB packed).
    static func bomb(megabytes: Int) throws -> Data {
        let size = megabytes << 20
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        let chunk = Data(count: 1 << 20)
        for (path, text) in [("xl/workbook.xml", "<workbook><sheets><sheet name=\"Lista\" r:id=\"rId1\"/></sheets></workbook>")] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size),
                             compressionMethod: .deflate, bufferSize: 1 << 20) { _, count in
            chunk.prefix(count)
        }
        return archive.data ?? Data()
    }
}
