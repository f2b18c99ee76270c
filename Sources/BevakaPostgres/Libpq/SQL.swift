import Foundation

/// A statement and its parameters, written as Swift string interpolation: every interpolated
/// value becomes a parameter (`$1`, `$2`, …) sent apart from the text, never spliced into it.
///
///     try connection.query("UPDATE bevaka_clients SET doc = \(doc)::jsonb WHERE id = \(id)")
///
/// Types are sent as PostgreSQL's own: text, int8, bool, text[] and timestamptz.
struct SQL: ExpressibleByStringInterpolation, Sendable {
    /// The statement with `$n` in the values' places.
    private(set) var text: String
    /// Each parameter's text form (nil for NULL) and its type's OID.
    private(set) var values: [String?] = []
    private(set) var types: [UInt32] = []

    /// Several statements sent as one text (the simple query protocol): a migration's file.
    private(set) var isScript = false

    /// Static SQL: a migration's statement, or one with no values.
    init(unsafe text: String) {
        self.text = text
    }

    /// A whole SQL file of statements, run in order; no values.
    init(script text: String) {
        self.text = text
        isScript = true
    }

    init(stringLiteral value: String) {
        text = value
    }

    init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
        values = stringInterpolation.values
        types = stringInterpolation.types
    }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""
        var values: [String?] = []
        var types: [UInt32] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        private mutating func bind(_ value: String?, _ type: UInt32) {
            values.append(value)
            types.append(type)
            text += "$\(values.count)"
        }

        mutating func appendInterpolation(_ value: String) { bind(value, OID.text) }
        mutating func appendInterpolation(_ value: String?) { bind(value, OID.text) }
        mutating func appendInterpolation(_ value: Int) { bind(String(value), OID.int8) }
        mutating func appendInterpolation(_ value: Int?) { bind(value.map(String.init), OID.int8) }
        mutating func appendInterpolation(_ value: Int64) { bind(String(value), OID.int8) }
        mutating func appendInterpolation(_ value: Int64?) { bind(value.map { String($0) }, OID.int8) }
        mutating func appendInterpolation(_ value: Bool) { bind(value ? "t" : "f", OID.bool) }
        mutating func appendInterpolation(_ value: [String]) { bind(SQL.arrayLiteral(value), OID.textArray) }
        mutating func appendInterpolation(_ value: [String]?) { bind(value.map(SQL.arrayLiteral), OID.textArray) }
        mutating func appendInterpolation(_ value: [Int64]) { bind("{" + value.map { String($0) }.joined(separator: ",") + "}", OID.int8Array) }
        mutating func appendInterpolation(_ value: Date) { bind(SQL.timestamp(value), OID.timestamptz) }
    }

    enum OID {
        static let bool: UInt32 = 16
        static let int8: UInt32 = 20
        static let text: UInt32 = 25
        static let textArray: UInt32 = 1009
        static let int8Array: UInt32 = 1016
        static let timestamptz: UInt32 = 1184
    }

    /// `{"a","b\"c"}`: every element quoted, `"` and `\` escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }

    /// ISO 8601 in UTC with microseconds, as timestamptz reads it.
    static func timestamp(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let micro = String(fraction)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - micro.count) + micro + "+00"
    }
}
