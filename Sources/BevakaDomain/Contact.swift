/// Where the person lives, for the way to the door at a hembesök.
public struct Address: Codable, Sendable, Equatable, Hashable {
    public var street: String?
    /// Five digits, written `123 45`.
    public var postcode: String?
    public var town: String?

    public init(street: String? = nil, postcode: String? = nil, town: String? = nil) {
        self.street = street
        self.postcode = postcode
        self.town = town
    }

    public var isEmpty: Bool { street == nil && postcode == nil && town == nil }

    /// "Storgatan 1, 123 45 Lilla Edet".
    public var oneLine: String {
        let place = [postcode, town].compactMap { $0 }.joined(separator: " ")
        return [street, place.isEmpty ? nil : place].compactMap { $0 }.joined(separator: ", ")
    }
}

/// A phone number with whose it is: `eget`, `anhörig`, `god man`, … as the handläggare writes it.
public struct Phone: Codable, Sendable, Equatable, Hashable {
    public var label: String
    public var number: String

    public init(label: String, number: String) {
        self.label = label
        self.number = number
    }

    /// The labels the form and the CSV columns use.
    public static let own = "eget", relative = "anhörig", guardian = "god man"
}

extension FieldInput {
    /// A Swedish postcode: five digits, with or without the space; written `123 45`.
    public static func postcode(_ raw: String) throws(Problem) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        let digits = text.filter { $0 != " " }
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Problem("Postnumret ska ha fem siffror, t.ex. 463 30.")
        }
        return String(digits.prefix(3)) + " " + String(digits.suffix(2))
    }

    /// A phone number: digits with spaces, `-`, `+` first, and parentheses; 5–15 digits.
    public static func phone(_ raw: String) throws(Problem) -> String? {
        let text = TerminalText.sanitize(raw).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        let allowed = Set("0123456789 -()")
        let body = text.hasPrefix("+") ? String(text.dropFirst()) : text
        let digits = body.filter { $0.isASCII && $0.isNumber }.count
        guard body.allSatisfy(allowed.contains), (5...15).contains(digits) else {
            throw Problem("Telefonnumret ska vara siffror (5–15), gärna med mellanslag eller bindestreck, t.ex. 070-123 45 67.")
        }
        return text
    }
}

/// A booked follow-up (seed 000: "boka därefter in uppföljningsmöte/hembesök"): when, how long,
/// where and who is invited. The person decides who is invited; the provider always takes part
/// (seed 003).
public struct Booking: Codable, Sendable, Equatable, Hashable {
    public var date: Day
    /// Minutes after midnight (local time, Europe/Stockholm); written "HH:MM".
    public var start: Int
    public var minutes: Int
    /// Free text; nil means the person's address.
    public var place: String?
    public var invited: [String]
    /// On the day summer time ends 02:00–02:59 happens twice: true for the second time (normal
    /// time, +01:00), which the user chose when asked (issue 35, item 9).
    public var secondOccurrence: Bool

    public init(date: Day, start: Int, minutes: Int = 60, place: String? = nil, invited: [String] = [], secondOccurrence: Bool = false) {
        self.date = date
        self.start = start
        self.minutes = minutes
        self.place = place
        self.invited = invited
        self.secondOccurrence = secondOccurrence
    }

    /// "02:30 (normaltid)" for the second of a time that happens twice, else "02:30".
    public var startTextWithOccurrence: String {
        switch StockholmTime.check(date, minutes: start) {
        case .twice: return startText + (secondOccurrence ? " (normaltid)" : " (sommartid)")
        case .ok, .missing: return startText
        }
    }

    public var startText: String { Booking.clock(start) }
    /// The end on the wall clock (an hour off start + length across a summer-time change).
    public var endText: String {
        Booking.clock(StockholmTime.endMinutes(date, start: start, minutes: minutes, secondOccurrence: secondOccurrence))
    }

    public static func clock(_ minutes: Int) -> String {
        let wrapped = ((minutes % 1440) + 1440) % 1440
        let hours = wrapped / 60, rest = wrapped % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }

    enum CodingKeys: String, CodingKey { case date, start, minutes, place, invited, secondOccurrence }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decode(Day.self, forKey: .date)
        let text = try c.decode(String.self, forKey: .start)
        guard let start = try? FieldInput.time(text) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "ogiltig tid \(text)")
        }
        self.start = start
        minutes = try c.decode(Int.self, forKey: .minutes)
        guard (5...720).contains(minutes) else {
            throw DecodingError.dataCorruptedError(forKey: .minutes, in: c, debugDescription: "orimlig längd \(minutes) min")
        }
        place = try c.decodeIfPresent(String.self, forKey: .place)
        invited = try c.decodeIfPresent([String].self, forKey: .invited) ?? []
        secondOccurrence = try c.decodeIfPresent(Bool.self, forKey: .secondOccurrence) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(startText, forKey: .start)
        try c.encode(minutes, forKey: .minutes)
        try c.encodeIfPresent(place, forKey: .place)
        if !invited.isEmpty { try c.encode(invited, forKey: .invited) }
        if secondOccurrence { try c.encode(true, forKey: .secondOccurrence) }
    }
}

extension FieldInput {
    /// A time of day: `10:00`, `9.30`, `0930`, `14`; minutes after midnight.
    public static func time(_ raw: String) throws(Problem) -> Int {
        let text = raw.trimmingSpaces()
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "." })
        var hours: Int?, minutes: Int?
        if parts.count == 2 {
            hours = Int(parts[0])
            minutes = parts[1].count == 2 ? Int(parts[1]) : nil
        } else if parts.count == 1, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if text.count <= 2 { hours = Int(text); minutes = 0 }
            if text.count == 4 { hours = Int(text.prefix(2)); minutes = Int(text.suffix(2)) }
        }
        guard let hours, let minutes, (0...23).contains(hours), (0...59).contains(minutes) else {
            throw Problem("Tiden ska skrivas TT:MM, t.ex. 10:00 eller 13.30.")
        }
        return hours * 60 + minutes
    }

    /// A length in minutes, 5 to 720.
    public static func minutes(_ raw: String) throws(Problem) -> Int {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.count <= 4, let value = Int(text), (5...720).contains(value) else {
            throw Problem("Längden ska vara minuter, 5–720, t.ex. 60.")
        }
        return value
    }
}
