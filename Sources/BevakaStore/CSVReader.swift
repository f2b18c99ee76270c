/// Reads the CSV files Swedish Excel writes: `;` or `,` separated, UTF-8 with or without a BOM,
/// or Windows-1252; quoted fields with doubled quotes and line breaks. Every record keeps the
/// line it starts on, so a rejected row can be named.
public enum CSVReader {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 med BOM"
        case windows1252 = "Windows-1252"
        /// Not a CSV file at all: an Excel workbook, read directly.
        case xlsx = "Excel-arbetsbok (.xlsx)"
        /// An OpenDocument spreadsheet (LibreOffice's own format), read directly.
        case ods = "OpenDocument-kalkylblad (.ods)"
    }

    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
        /// Cells that could not be read (a workbook's error value, a formula without a value, a
        /// date that does not exist), by column index: the row is rejected naming the cell.
        public var cellProblems: [Int: String] = [:]
        /// Columns are named by Excel's letters in messages ("kolumn C (beslut_fran)").
        public var columnLetters = false

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Decodes bytes: a UTF-8 BOM is dropped; text that is not valid UTF-8 is read as Windows-1252.
    /// A file that is UTF-8 (it has valid multi-byte sequences) but has an invalid byte: read as
    /// Windows-1252 it would turn every å into "Ã¥" and match nothing already stored.
    public struct BadUTF8: Error, Equatable, Sendable {
        public var line: Int
        /// The character on the line (1-based) where the first invalid byte stands.
        public var column: Int
        public var message: String { "rad \(line), tecken \(column): ogiltig UTF-8 (filen är annars UTF-8). Spara filen som \"CSV UTF-8\" igen; inget har lästs in." }
    }

    public static func decode(_ bytes: [UInt8]) throws(BadUTF8) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            if String(validating: body, as: UTF8.self) == nil, let bad = firstInvalidUTF8(body) { throw bad }
            return (String(decoding: body, as: UTF8.self), .utf8BOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        // Windows-1252 only when nothing in the file is UTF-8 (no valid multi-byte sequence).
        if hasMultiByteUTF8(bytes), let bad = firstInvalidUTF8(bytes) { throw bad }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte), let mapped = windows1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                // 0x00–0x7F and 0xA0–0xFF are the same code points as Latin-1.
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return (String(scalars), .windows1252)
    }

    /// The length of a valid UTF-8 sequence starting at `index` (1 for ASCII), or nil.
    static func utf8Length(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let (from, to) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= from && byte <= to else { return nil }
        }
        return length
    }

    static func hasMultiByteUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            if let length = utf8Length(bytes, at: index) {
                if length > 1 { return true }
                index += length
            } else {
                index += 1
            }
        }
        return false
    }

    /// Where the first byte that is not UTF-8 stands, as line and character.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> BadUTF8? {
        var index = 0, line = 1, column = 1
        while index < bytes.count {
            guard let length = utf8Length(bytes, at: index) else { return BadUTF8(line: line, column: column) }
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        return nil
    }

    /// 0x80–0x9F in Windows-1252 (nil: undefined there).
    static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// The separators Bevaka reads, in the order a tie is settled: Swedish Excel writes `;`.
    public static let separators: [Character] = [";", ",", "\t"]

    /// The separator of the header line, the same for the same file on every run: the one whose
    /// fields name the most of `required`, then the one that occurs most outside quotes, then the
    /// fixed order `;`, `,`, tab. With `required` empty, occurrence and order alone decide.
    public static func detectSeparator(_ text: String, required: (String) -> Bool = { _ in false }) -> Character {
        // The header may stand under a title row or two: the first few lines are looked at, and
        // the separator that names the most columns in one of them wins.
        var lines: [String] = []
        var line = ""
        var quoted = false
        for char in text {
            if char == "\"" { quoted.toggle() }
            if !quoted && (char == "\n" || char == "\r" || char == "\r\n") {
                if !line.isEmpty { lines.append(line) }
                line = ""
                if lines.count == headerSearchRows { break }
                continue
            }
            line.append(char)
        }
        if !line.isEmpty, lines.count < headerSearchRows { lines.append(line) }
        var best: (separator: Character, named: Int, count: Int)?
        for separator in separators {
            var named = 0, count = 0
            for candidate in lines.isEmpty ? [""] : lines {
                var separators = 0
                var inQuotes = false
                for char in candidate {
                    if char == "\"" { inQuotes.toggle() }
                    if !inQuotes && char == separator { separators += 1 }
                }
                let fields = (try? records(candidate, separator: separator).first?.fields) ?? nil
                let names = (fields ?? []).filter { required($0.trimmingCharacters(in: .whitespaces)) }.count
                if (names, separators) > (named, count) { (named, count) = (names, separators) }
            }
            // Strictly better only: an equal candidate keeps the earlier one in the fixed order.
            if let current = best, (named, count) <= (current.named, current.count) { continue }
            best = (separator, named, count)
        }
        guard let best, best.named > 0 || best.count > 0 else { return ";" }
        return best.separator
    }

    /// How many rows from the top the header is looked for in (title rows above it).
    public static let headerSearchRows = 10

    /// Where the header is among the first rows: the first row that is a header, with nothing
    /// above it but title rows (at most two cells each); nil when there is none.
    public static func headerIndex(_ rows: [[String]], isHeader: ([String]) -> Bool) -> Int? {
        for (index, fields) in rows.prefix(headerSearchRows).enumerated() {
            if isHeader(fields) { return index }
            if fields.filter({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }).count > 2 { return nil }
        }
        return nil
    }

    /// A quoted field that is never closed: everything after its opening quote would otherwise
    /// become one field, other people's rows included.
    public struct UnclosedQuote: Error, Equatable, Sendable {
        /// The line the quote opened on, and the field's position in its record (1-based).
        public var line: Int
        public var field: Int
    }

    /// Splits text into records. Blank lines are skipped. A quote opened and never closed is an
    /// error naming the line it opened on; nothing after it is guessed at.
    /// Splits on Unicode scalars, not on characters: a separator followed by a combining mark
    /// (`;` + U+0301) is one character to Swift but still a separator in the file.
    public static func records(_ text: String, separator: Character) throws(UnclosedQuote) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var quoteOpenedOn = 1
        let separatorScalar = separator.unicodeScalars.first ?? ";"

        func endRecord() {
            fields.append(String(field))
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
        }

        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" || (scalar == "\r" && pending != "\n") { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                quoted = true
                fieldWasQuoted = true
                quoteOpenedOn = line
            case separatorScalar:
                fields.append(String(field))
                field = String.UnicodeScalarView()
            case "\r", "\n":
                if scalar == "\r" && pending == "\n" { pending = iterator.next() }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(scalar)
            }
        }
        if quoted { throw UnclosedQuote(line: quoteOpenedOn, field: fields.count + 1) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}

import Foundation
