import Foundation
import CLibpq

/// The rows of one result, in libpq's text format, copied out of the `PGresult`.
struct PGRows: Sendable {
    var columns: [String]
    /// Row by row, column by column; nil is SQL NULL.
    var cells: [[String?]]
    /// The command tag's count (`UPDATE 3`), for statements without rows.
    var affected: Int

    var count: Int { cells.count }

    /// The rows as Swift values, one tuple per row:
    ///
    ///     for (id, version) in try rows.decode((String, Int64).self) { … }
    func decode<each T: PGDecodable>(_ types: (repeat each T).Type) throws(PGError) -> [(repeat each T)] {
        var result: [(repeat each T)] = []
        result.reserveCapacity(cells.count)
        for row in cells {
            var column = 0
            func next<U: PGDecodable>(_ type: U.Type) throws(PGError) -> U {
                defer { column += 1 }
                guard column < row.count else {
                    throw PGError.decoding("svaret har \(row.count) kolumner, inte fler")
                }
                return try U.decode(row[column], column: column < columns.count ? columns[column] : "\(column)")
            }
            result.append((repeat try next((each T).self)))
        }
        return result
    }
}

/// A value read from libpq's text form.
protocol PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> Self
}

extension PGDecodable {
    static func required(_ text: String?, _ column: String) throws(PGError) -> String {
        guard let text else { throw PGError.decoding("kolumnen \(column) är tom (NULL)") }
        return text
    }
}

extension String: PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> String { try required(text, column) }
}

extension Int: PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> Int {
        guard let value = Int(try required(text, column)) else { throw PGError.decoding("kolumnen \(column) är inget heltal") }
        return value
    }
}

extension Int64: PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> Int64 {
        guard let value = Int64(try required(text, column)) else { throw PGError.decoding("kolumnen \(column) är inget heltal") }
        return value
    }
}

extension Bool: PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> Bool {
        switch try required(text, column) {
        case "t": return true
        case "f": return false
        default: throw PGError.decoding("kolumnen \(column) är inget sant/falskt")
        }
    }
}

extension Date: PGDecodable {
    /// timestamptz in DateStyle ISO (set for every connection): `2026-12-04 23:43:05.123456+01`,
    /// the offset as `+HH`, `+HH:MM` or `+HH:MM:SS`.
    static func decode(_ text: String?, column: String) throws(PGError) -> Date {
        let value = try required(text, column)
        guard let date = PGTimestamp.parse(value) else { throw PGError.decoding("kolumnen \(column) är ingen tidpunkt") }
        return date
    }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    static func decode(_ text: String?, column: String) throws(PGError) -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(text, column: column)
    }
}

enum PGTimestamp {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), expect(UInt8(ascii: " ")) || expect(UInt8(ascii: "T")),
              let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
              let second = number(2) else { return nil }
        var fraction = 0.0
        if expect(UInt8(ascii: ".")) {
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            let sign: Int
            if expect(UInt8(ascii: "+")) { sign = 1 } else if expect(UInt8(ascii: "-")) { sign = -1 } else { return nil }
            guard let hours = number(2) else { return nil }
            var minutes = 0, seconds = 0
            if expect(UInt8(ascii: ":")) {
                guard let value = number(2) else { return nil }
                minutes = value
                if expect(UInt8(ascii: ":")) {
                    guard let value = number(2) else { return nil }
                    seconds = value
                }
            }
            offset = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 25, minute < 60, second < 61 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// The rows of one result as libpq holds them, read in place: a cell's bytes are valid while the
/// result lives (use them inside `withExtendedLifetime`). For results of many large documents,
/// which `PGRows` would copy into strings before they are read. Every cell is located once, on the
/// thread that made the result; after that it is only read, so it may be read on several threads.
final class PGResult: @unchecked Sendable {
    private let result: OpaquePointer
    let count: Int
    let columnCount: Int
    private let cells: [UnsafeBufferPointer<UInt8>?]

    init(_ result: OpaquePointer) {
        self.result = result
        count = Int(bevaka_PQntuples(result))
        columnCount = Int(bevaka_PQnfields(result))
        var cells: [UnsafeBufferPointer<UInt8>?] = []
        cells.reserveCapacity(count * columnCount)
        for row in 0..<Int32(count) {
            for column in 0..<Int32(columnCount) {
                if bevaka_PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else if let value = bevaka_PQgetvalue(result, row, column) {
                    let length = max(0, Int(bevaka_PQgetlength(result, row, column)))
                    cells.append(UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: length))
                } else {
                    cells.append(nil)
                }
            }
        }
        self.cells = cells
    }

    deinit { bevaka_PQclear(result) }

    /// The cell's bytes in libpq's text format; nil for SQL NULL or a cell out of range.
    func bytes(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8>? {
        guard row >= 0, row < count, column >= 0, column < columnCount else { return nil }
        return cells[row * columnCount + column]
    }

    /// The cell as text (as `PGRows` would have it); nil for SQL NULL.
    func string(_ row: Int, _ column: Int) -> String? {
        bytes(row, column).map { String(decoding: $0, as: UTF8.self) }
    }
}
