import Foundation

/// A Swedish personnummer or samordningsnummer, always held as 12 digits (`YYYYMMDDNNNC`).
///
/// Parsing accepts what people type and what Excel lists hold: 10 or 12 digits, with `-`,
/// `+` (10 digits: the person is 100 or older) or no separator. A samordningsnummer has
/// 60 added to the day of birth. The last digit is a Luhn check over the last ten.
public struct Personnummer: Hashable, Sendable, Comparable {
    /// Twelve ASCII digits.
    public let digits: String

    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case wrongFormat
        case impossibleDate
        case futureDate
        case wrongCheckDigit

        /// One Swedish sentence, without echoing the number (it may be someone else's).
        public var message: String {
            switch self {
            case .empty: return "Personnummer saknas."
            case .wrongFormat:
                return "Personnumret ska ha 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN."
            case .impossibleDate: return "Personnumret innehåller inget giltigt födelsedatum."
            case .futureDate: return "Personnumrets födelsedatum ligger i framtiden."
            case .wrongCheckDigit: return "Personnumrets kontrollsiffra stämmer inte."
            }
        }
    }

    /// Parses and validates. `today` decides the century of a 10-digit number.
    public static func parse(_ text: String, today: Day) throws(ParseError) -> Personnummer {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .empty }
        var separator: Character?
        var digits = ""
        for (index, char) in trimmed.enumerated() {
            if char.isASCII, char.isNumber {
                digits.append(char)
            } else if (char == "-" || char == "+"), separator == nil,
                      index == trimmed.count - 5 {
                separator = char
            } else {
                throw .wrongFormat
            }
        }
        let full: String
        switch digits.count {
        case 12:
            full = digits
        case 10:
            guard let yy = Int(digits.prefix(2)), let mm = Int(digits.dropFirst(2).prefix(2)),
                  let dd = Int(digits.dropFirst(4).prefix(2)) else { throw .wrongFormat }
            // The most recent century in which the birth date is not after today;
            // a "+" moves it a further hundred years back.
            var year = (today.year / 100) * 100 + yy
            let birthDay = dd > 60 ? dd - 60 : dd
            if year > today.year || (year == today.year && (mm, birthDay) > (today.month, today.day)) {
                year -= 100
            }
            if separator == "+" { year -= 100 }
            full = String(year).leftPadded(4) + digits.dropFirst(2)
        default:
            throw .wrongFormat
        }
        let number = Personnummer(unchecked: full)
        guard number.hasPlausibleDate else { throw .impossibleDate }
        if let birth = number.birthDate, birth > today { throw .futureDate }
        guard number.hasValidCheckDigit else { throw .wrongCheckDigit }
        return number
    }

    /// For values already validated (the store, tests). Does not check anything.
    public init(unchecked digits: String) {
        self.digits = digits
    }

    private var numbers: [Int] {
        digits.utf8.map { Int($0) - 48 }
    }

    /// Twelve ASCII digits (a Swedish number, whether or not its check digit is right).
    private var isTwelveDigits: Bool {
        digits.utf8.count == 12 && digits.utf8.allSatisfy { (48...57).contains($0) }
    }

    public var isCoordinationNumber: Bool {
        isTwelveDigits && numbers[6] >= 6
    }

    /// A real date, or for a samordningsnummer an incompletely known one: Skatteverket issues them
    /// with month 00 or day 60 when the birth date is not known.
    public var hasPlausibleDate: Bool {
        if birthDate != nil { return true }
        let n = numbers
        guard isCoordinationNumber, n.allSatisfy({ (0...9).contains($0) }) else { return false }
        let month = n[4] * 10 + n[5]
        let day = n[6] * 10 + n[7] - 60
        return (0...12).contains(month) && (0...31).contains(day) && (month == 0 || day == 0)
    }

    /// nil when the number does not hold a complete date (see `hasPlausibleDate`).
    public var birthDate: Day? {
        if isWithoutSwedishNumber {
            let n = Array(numbers.prefix(8))
            return Day(year: n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3], month: n[4] * 10 + n[5], day: n[6] * 10 + n[7])
        }
        let n = numbers
        guard isTwelveDigits else { return nil }
        let year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3]
        let month = n[4] * 10 + n[5]
        var day = n[6] * 10 + n[7]
        if day > 60 { day -= 60 }
        return Day(year: year, month: month, day: day)
    }

    /// Luhn over the ten digits YYMMDDNNNC.
    public var hasValidCheckDigit: Bool {
        guard isTwelveDigits else { return false }
        let n = Array(numbers.dropFirst(2))
        var sum = 0
        for (index, digit) in n.enumerated() {
            let weighted = index % 2 == 0 ? digit * 2 : digit
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return sum % 10 == 0
    }

    /// The sex digit (the eleventh of twelve): odd for a man, even for a woman; nil without one.
    public var sexDigit: Int? {
        if isWithoutSwedishNumber { return digits.utf8.dropFirst(8).first == UInt8(ascii: "M") ? 1 : 0 }
        guard isTwelveDigits else { return nil }
        return digits.dropFirst(10).first?.wholeNumberValue
    }

    /// A Swedish personnummer or samordningsnummer (twelve digits, the check digit right): what
    /// IVO's e-tjänst picks a person by.
    public var hasSwedishNumber: Bool {
        digits.count == 12 && digits.utf8.allSatisfy { (48...57).contains($0) } && hasValidCheckDigit && hasPlausibleDate
    }

    /// `YYYYMMDD-NNNC`, for the case screen only; for a person without a Swedish number the birth
    /// date and what they are known by ("19900101, saknar svenskt personnummer (reservnummer R123)").
    public var formatted: String {
        if isWithoutSwedishNumber {
            return String(digits.prefix(8)) + ", saknar svenskt personnummer" + (reservnummer.map { " (reservnummer \($0))" } ?? "")
        }
        return String(digits.prefix(8)) + "-" + String(digits.suffix(4))
    }

    /// `YYYYMMDD-****`, for every list; `YYYYMMDD-XXXX` for a person without a Swedish number
    /// (the birth date is all there is).
    public var masked: String {
        String(digits.prefix(8)) + (isWithoutSwedishNumber ? "-XXXX" : "-****")
    }

    /// Age in whole years on `today`.
    public func age(on today: Day) -> Int? {
        guard let birth = birthDate else { return nil }
        var years = today.year - birth.year
        if (today.month, today.day) < (birth.month, birth.day) { years -= 1 }
        return years
    }

    public static func < (lhs: Personnummer, rhs: Personnummer) -> Bool {
        lhs.digits < rhs.digits
    }
}

extension Personnummer: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard (text.utf8.count == 12 && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }))
              || Personnummer(unchecked: text).isWithoutSwedishNumber else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a personnummer of 12 digits, or a birth date, K or M and a reference")
        }
        self.init(unchecked: text)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

extension Personnummer {
    /// Whether free text holds a valid personnummer (10 or 12 digits, with or without `-`/`+`, a
    /// real date and a right check digit): a phone number or an order number is not one.
    public static func occurs(in text: String, loosely: Bool = false) -> Bool {
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ index: Int) -> Bool { index >= 0 && index < scalars.count && (48...57).contains(scalars[index].value) }
        let anyDay = Day(year: 2100, month: 12, day: 31) ?? Day(dayNumber: 0)
        var index = 0
        while index < scalars.count {
            guard isDigit(index), !isDigit(index - 1) else {
                index += 1
                continue
            }
            var end = index
            while isDigit(end) { end += 1 }
            var candidate = String(String.UnicodeScalarView(scalars[index..<end]))
            if (end - index == 6 || end - index == 8), end < scalars.count, scalars[end] == "-" || scalars[end] == "+" {
                var tail = end + 1
                while isDigit(tail) { tail += 1 }
                if tail - end - 1 == 4 {
                    candidate += String(String.UnicodeScalarView(scalars[end..<tail]))
                    end = tail
                }
            }
            let digits = candidate.filter(\.isNumber).count
            if digits == 10 || digits == 12 {
                if (try? Personnummer.parse(candidate, today: anyDay)) != nil { return true }
                // Loosely: the shape and a plausible date, whatever the check digit.
                if loosely, Personnummer.hasPlausibleShape(candidate) { return true }
            }
            index = end
        }
        return false
    }

    /// 10 or 12 digits (a `-` or `+` before the last four) whose first six or eight are a
    /// plausible date (a samordningsnummer's day + 60 too): what a personnummer looks like, with
    /// or without a right check digit.
    static func hasPlausibleShape(_ candidate: String) -> Bool {
        let digits = candidate.compactMap(\.wholeNumberValue)
        guard digits.count == 10 || digits.count == 12 else { return false }
        let date = Array(digits.suffix(10).prefix(6))
        let month = date[2] * 10 + date[3]
        let day = date[4] * 10 + date[5]
        return (1...12).contains(month) && ((1...31).contains(day) || (61...91).contains(day))
    }
}

// MARK: A person without a Swedish personnummer

/// An asylum seeker, a person with only a reservnummer, or one with no number at all (issue 33):
/// identified inside Bevaka by the birth date, the sex and a reference, stored where a
/// personnummer stands as `ÅÅÅÅMMDD` + `K` (kvinna) or `M` (man) + `-` + the reference —
/// `R` and the reservnummer (letters and digits, at most 20), or `N` and eight hex digits of a
/// hash of the name, so that the same row in an Excel list and the same person typed in the form
/// are the same person again. Never a Swedish number: `hasSwedishNumber` is false, and IVO's
/// report gives such a person IVO's T-form.
extension Personnummer {
    /// The longest reservnummer kept.
    public static let reservnummerLimit = 20

    public enum Sex: String, Sendable, CaseIterable {
        case woman = "K", man = "M"
        public var word: String { self == .woman ? "kvinna" : "man" }
    }

    public var isWithoutSwedishNumber: Bool {
        // A personnummer has a digit where this form has K or M: decided without copying.
        guard let ninth = digits.utf8.dropFirst(8).first, ninth == UInt8(ascii: "K") || ninth == UInt8(ascii: "M") else { return false }
        let bytes = Array(digits.utf8)
        guard bytes.count >= 12, bytes.count <= 11 + Personnummer.reservnummerLimit,
              bytes[0..<8].allSatisfy({ (48...57).contains($0) }),
              bytes[8] == UInt8(ascii: "K") || bytes[8] == UInt8(ascii: "M"), bytes[9] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "R") || bytes[10] == UInt8(ascii: "N"),
              bytes[11...].allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) else { return false }
        let n = bytes[0..<8].map { Int($0) - 48 }
        return Day(year: n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3], month: n[4] * 10 + n[5], day: n[6] * 10 + n[7]) != nil
            && (bytes[10] == UInt8(ascii: "R") || bytes.count == 19)
    }

    /// The reservnummer such a person was given, if any.
    public var reservnummer: String? {
        guard isWithoutSwedishNumber, digits.utf8.dropFirst(10).first == UInt8(ascii: "R") else { return nil }
        return String(digits.dropFirst(11))
    }

    /// The sex of a person without a Swedish number (nil for everyone else).
    public var sex: Sex? {
        guard isWithoutSwedishNumber else { return nil }
        return sexDigit == 1 ? .man : .woman
    }

    /// Letters and digits of a typed reservnummer, upper case; nil when none are left or it is
    /// longer than `reservnummerLimit`.
    public static func normalisedReservnummer(_ text: String) -> String? {
        let kept = String(text.uppercased().unicodeScalars.filter { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) })
        guard !kept.isEmpty, kept.count <= reservnummerLimit else { return nil }
        return kept
    }

    /// The identity of a person without a Swedish number. `reservnummer` when there is one (already
    /// normalised or not); else the name decides the reference.
    public static func withoutSwedishNumber(born: Day, sex: Sex, reservnummer: String?, name: String) -> Personnummer {
        let date = zeroPadded(born.year, 4) + zeroPadded(born.month, 2) + zeroPadded(born.day, 2)
        if let reservnummer, let kept = normalisedReservnummer(reservnummer) {
            return Personnummer(unchecked: date + sex.rawValue + "-R" + kept)
        }
        // FNV-1a over the name as the import compares names (case and spaces aside).
        let plain = ServiceCatalog.normalise(name)
        var hash: UInt32 = 2166136261
        for byte in plain.utf8 { hash = (hash ^ UInt32(byte)) &* 16777619 }
        let hex = String(hash, radix: 16, uppercase: true)
        return Personnummer(unchecked: date + sex.rawValue + "-N" + String(repeating: "0", count: 8 - hex.count) + hex)
    }
}
