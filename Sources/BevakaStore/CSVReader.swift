/// Reads the CSV files Swedish Excel writes: `;` or `,` separated, UTF-8 with or without a BOM,
/// or Windows-1252; quoted fields with doubled quotes and line breaks. Every record keeps the
/// line it starts on, so a rejected row can be named.
public enum CSVReader {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 med BOM"
        case windows1252 = "Windows-1252"
    }

    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// Decodes bytes: a UTF-8 BOM is dropped; text that is not valid UTF-8 is read as Windows-1252.
    public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
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
        var firstLine = ""
        var quoted = false
        for char in text {
            if char == "\"" { quoted.toggle() }
            if !quoted && (char == "\n" || char == "\r" || char == "\r\n") { break }
            firstLine.append(char)
        }
        var best: (separator: Character, named: Int, count: Int)?
        for separator in separators {
            var count = 0
            var inQuotes = false
            for char in firstLine {
                if char == "\"" { inQuotes.toggle() }
                if !inQuotes && char == separator { count += 1 }
            }
            let fields = (try? records(firstLine, separator: separator).first?.fields) ?? nil
            let named = (fields ?? []).filter { required($0.trimmingCharacters(in: .whitespaces)) }.count
            // Strictly better only: an equal candidate keeps the earlier one in the fixed order.
            if let current = best, (named, count) <= (current.named, current.count) { continue }
            best = (separator, named, count)
        }
        guard let best, best.named > 0 || best.count > 0 else { return ";" }
        return best.separator
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
    public static func records(_ text: String, separator: Character) throws(UnclosedQuote) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var quoteOpenedOn = 1

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        var iterator = text.makeIterator()
        var pending: Character? = iterator.next()
        while let char = pending {
            pending = iterator.next()
            if quoted {
                if char == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if char == "\n" || char == "\r\n" || char == "\r" { line += 1 }
                    field.append(char)
                }
                continue
            }
            switch char {
            case "\"" where field.isEmpty:
                quoted = true
                fieldWasQuoted = true
                quoteOpenedOn = line
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(char)
            }
        }
        if quoted { throw UnclosedQuote(line: quoteOpenedOn, field: fields.count + 1) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}

import Foundation
