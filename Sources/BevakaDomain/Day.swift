/// A calendar date (no time, no zone): the unit every rule works in.
///
/// Stored as a day number (days since 1970-01-01) so comparison and day arithmetic are
/// integer operations; encoded as plain `YYYY-MM-DD` text, which keeps the store compact
/// and readable. The conversions are Howard Hinnant's civil-date algorithms.
public struct Day: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// A valid date or nil (2025-02-29 is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.dayNumber = Day.daysFromCivil(year, month, day)
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`; nil for anything else or an impossible date.
    public init?(iso text: String) {
        var text = text
        guard let day = text.withUTF8({ Day(isoUTF8: $0) }) else { return nil }
        self = day
    }

    /// `init(iso:)` on UTF-8 bytes (the store's reader parses dates without making a String).
    public init?(isoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        let y: Int?, m: Int?, d: Int?
        switch bytes.count {
        case 10 where bytes[4] == 45 && bytes[7] == 45:
            (y, m, d) = (number(0..<4), number(5..<7), number(8..<10))
        case 8:
            (y, m, d) = (number(0..<4), number(4..<6), number(6..<8))
        default:
            return nil
        }
        guard let y, let m, let d else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    public var civil: (year: Int, month: Int, day: Int) {
        // civil_from_days
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    /// ISO 8601 week number (the Swedish "vecka").
    public var isoWeek: Int {
        let thursday = adding(days: 4 - weekday)
        let jan1 = Day(year: thursday.year, month: 1, day: 1) ?? thursday
        return (thursday.dayNumber - jan1.dayNumber) / 7 + 1
    }

    public func adding(days: Int) -> Day {
        Day(dayNumber: dayNumber + days)
    }

    /// Calendar month arithmetic, clamped to the month's last day (2024-02-29 + 12 = 2025-02-28).
    public func adding(months: Int) -> Day {
        let (y, m, d) = civil
        let total = y * 12 + (m - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(d, Day.daysIn(month: newMonth, year: newYear))
        return Day(dayNumber: Day.daysFromCivil(newYear, newMonth, newDay))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int {
        other.dayNumber - dayNumber
    }

    public var firstOfMonth: Day {
        let (y, m, _) = civil
        return Day(dayNumber: Day.daysFromCivil(y, m, 1))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Day: CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        // Ten ASCII bytes written in place: reasons, reports and the store print many dates.
        guard (0...9999).contains(y) else {
            return String(y).leftPadded(4) + "-" + String(m).leftPadded(2) + "-" + String(d).leftPadded(2)
        }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func digit(_ value: Int) -> UInt8 { UInt8(truncatingIfNeeded: 48 + value % 10) }
            buffer[0] = digit(y / 1000)
            buffer[1] = digit(y / 100)
            buffer[2] = digit(y / 10)
            buffer[3] = digit(y)
            buffer[4] = 45
            buffer[5] = digit(m / 10)
            buffer[6] = digit(m)
            buffer[7] = 45
            buffer[8] = digit(d / 10)
            buffer[9] = digit(d)
            return 10
        }
    }
}

extension Day: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a date YYYY-MM-DD, found \(text.count) characters")
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Swedish month names, for the screen and the text reports.
public enum SwedishCalendarNames {
    public static let months = [
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ]
    public static let shortMonths = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    public static let weekdays = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
}
