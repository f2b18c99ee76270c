/// What a form field holds, checked as the field is left. Every failure is a Swedish sentence
/// that says what is wrong; nothing is guessed.
public enum FieldInput {
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// Trimmed text; empty is nil, or a problem when required. Control characters are removed.
    public static func text(_ raw: String, required: Bool, what: String) throws(Problem) -> String? {
        let clean = TerminalText.sanitize(raw).trimmingSpaces()
        if clean.isEmpty {
            if required { throw Problem("\(what) måste fyllas i.") }
            return nil
        }
        // Free text travels further than the case screen (reports, calendars, letters).
        if Personnummer.occurs(in: clean) {
            throw Problem("Fältet innehåller ett personnummer; skriv det inte här (personnumret står redan på personen).")
        }
        return clean
    }

    /// `2026-12-01`, `20261201`, `idag`, `imorgon`, `+2v`, `+1m`, `-3d` (months clamp: 31 jan + 1m = 28/29 feb).
    public static func date(_ raw: String, today: Day, required: Bool) throws(Problem) -> Day? {
        let text = raw.trimmingSpaces()
        if text.isEmpty {
            if required { throw Problem("Datum måste fyllas i (\(DateInput.hint)).") }
            return nil
        }
        guard let day = DateInput.parse(text, today: today) else {
            throw Problem("\"\(TerminalText.sanitize(text))\" är inget datum; skriv \(DateInput.hint).")
        }
        // Calendars and reports cannot take year 9999, and no decision is from 1850.
        guard FieldInput.years.contains(day.year) else {
            throw Problem("Året \(day.year) är orimligt; skriv ett datum mellan \(FieldInput.years.lowerBound) och \(FieldInput.years.upperBound).")
        }
        return day
    }

    /// The years a typed date may have.
    public static let years = 1900...2100

    /// Hours per month with a decimal comma or point: `30`, `12,5`, `7.25`. At most the hours of a month.
    public static func hours(_ raw: String) throws(Problem) -> Double? {
        try Hours.parse(raw).get()
    }

    /// Hours as a form and a spreadsheet show them: decimal comma, up to two decimals, no trailing zeros.
    public static func formatHours(_ value: Double) -> String {
        Hours.format(value)
    }

    /// A personnummer or samordningsnummer with a correct check digit.
    public static func personnummer(_ raw: String, today: Day) throws(Problem) -> Personnummer {
        do {
            return try Personnummer.parse(raw, today: today)
        } catch {
            throw Problem(error.message)
        }
    }

    /// A month as `2026-10`, `202610` or `idag` (this month); nil when empty.
    public static func month(_ raw: String, today: Day) throws(Problem) -> (year: Int, month: Int)? {
        let text = raw.trimmingSpaces().lowercased()
        if text.isEmpty { return nil }
        if text == "idag" || text == "i dag" { return (today.year, today.month) }
        let digits = text.replacingOccurrences(of: "-", with: "")
        guard digits.count == 6, let year = Int(digits.prefix(4)), let month = Int(digits.suffix(2)),
              (1...12).contains(month), (1900...2200).contains(year) else {
            throw Problem("\"\(TerminalText.sanitize(raw))\" är ingen månad; skriv ÅÅÅÅ-MM, t.ex. \(today.description.prefix(7)).")
        }
        return (year, month)
    }

    /// One of the options, matched without regard to case; the option's own spelling is returned.
    public static func choice(_ raw: String, options: [String], required: Bool, what: String) throws(Problem) -> String? {
        let text = raw.trimmingSpaces()
        if text.isEmpty {
            if required { throw Problem("Välj \(what).") }
            return nil
        }
        guard let match = options.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw Problem("\"\(TerminalText.sanitize(text))\" finns inte bland valen för \(what).")
        }
        return match
    }

    /// Type-to-find: the options containing every typed word, those starting with it first.
    public static func find(_ typed: String, in options: [String]) -> [String] {
        let words = typed.lowercased().split(separator: " ").map(String.init)
        guard !words.isEmpty else { return options }
        let matching = options.filter { option in words.allSatisfy { option.lowercased().contains($0) } }
        let starting = matching.filter { $0.lowercased().hasPrefix(words[0]) }
        return starting + matching.filter { !$0.lowercased().hasPrefix(words[0]) }
    }
}
