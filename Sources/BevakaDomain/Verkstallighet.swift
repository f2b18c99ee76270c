/// Verkställighet: carrying a granted decision out, and what IVO must be told when that does not
/// happen within three months (R11, R12; IVO's "Rapportering" and "Individrapport" for ej
/// verkställda beslut enligt SoL och LSS; 34 kap. 1–3 §§ SoL (2025:400), 28 f–h §§ LSS).

/// An offer of the granted support: when, what, and whether the person accepted it. A declined
/// offer does not make the decision carried out (IVO).
public struct Offer: Codable, Sendable, Equatable {
    public var on: Day
    public var what: String
    public var accepted: Bool

    public init(on: Day, what: String, accepted: Bool) {
        self.on = on
        self.what = what
        self.accepted = accepted
    }
}

/// Support that had started and stopped (avbrott): reported when not resumed within three months (R12).
public struct Interruption: Codable, Sendable, Equatable {
    public var from: Day
    public var resumed: Day?
    public var reason: String?
    /// The quarters it was reported to IVO in, and the quarter of its closing report.
    public var ivoReported: [String]?
    public var ivoClosingReported: String?

    public init(from: Day, resumed: Day? = nil, reason: String? = nil) {
        self.from = from
        self.resumed = resumed
        self.reason = reason
    }
}

/// A calendar quarter, "2026-Q3".
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var number: Int

    /// Years the IVO reporting can concern (the same sane range as dates elsewhere).
    public static let years = 1990...2100

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number), Quarter.years.contains(year) else { return nil }
        self.year = year
        self.number = number
    }

    /// "2026-3", "2026-Q3", "2026Q3", "2026:3".
    public init?(parsing text: String) {
        let cleaned = text.uppercased().replacingOccurrences(of: "Q", with: "-").replacingOccurrences(of: ":", with: "-")
        let parts = cleaned.split(separator: "-", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 1,
              let year = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        self.init(year: year, number: number)
    }

    public init(containing day: Day) {
        year = day.year
        number = (day.month - 1) / 3 + 1
    }

    public var first: Day { Day(year: year, month: (number - 1) * 3 + 1, day: 1) ?? Day(dayNumber: 0) }
    /// The quarter's last day, computed from its own months (never through `next`, which has no
    /// quarter after the last year there is one for).
    public var last: Day { first.adding(months: 3).adding(days: -1) }
    public var next: Quarter { number == 4 ? Quarter(year: year + 1, number: 1) ?? self : Quarter(year: year, number: number + 1) ?? self }
    public var previous: Quarter {
        number == 1 ? Quarter(year: year - 1, number: 4) ?? self : Quarter(year: year, number: number - 1) ?? self
    }
    public var description: String { "\(year)-Q\(number)" }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.number) < (b.year, b.number) }
}

/// IVO's identifier for a person in the individrapport (IVO's questions and answers on ej
/// verkställda beslut): the birth date, a dash, `T` and three digits (`19400101-T123`) — IVO
/// also takes `TF` and two digits — where the **third position after the dash** is even for a
/// woman and odd for a man, as the personnummer's sex digit. Never the personnummer's own last
/// four. Made once per person and kept, so every quarter of the reporting uses the same one.
public enum IVOIdentifier {
    /// The identifier for a person (deterministic from the personnummer and `attempt`, which picks
    /// another when the first is taken in the caseload); nil when the personnummer has no birth date.
    public static func make(for personnummer: Personnummer, attempt: Int = 0) -> String? {
        guard let birth = personnummer.birthDate, let sex = personnummer.sexDigit else { return nil }
        // A hash of the whole number, so two people born the same day get different digits.
        var hash: UInt64 = 1469598103934665603
        for byte in (personnummer.digits + "#\(attempt)").utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        let first = Int(hash % 10)
        let parity = Int((hash / 997) % 5) * 2 + (sex % 2)
        let last = Int((hash / 7919) % 10)
        let date = zeroPadded(birth.year, 4) + zeroPadded(birth.month, 2) + zeroPadded(birth.day, 2)
        let candidate = "\(date)-T\(first)\(parity)\(last)"
        // Never the personnummer's own last digits in the identifier's place.
        if candidate.hasSuffix(String(personnummer.digits.suffix(3))) && attempt < 1000 {
            return make(for: personnummer, attempt: attempt + 1000)
        }
        return candidate
    }

    /// Whether `identifier` is in IVO's form for this person: their birth date, `T` and three
    /// digits or `TF` and two, and the third position's parity the sex digit's.
    public static func isValid(_ identifier: String, for personnummer: Personnummer) -> Bool {
        guard let birth = personnummer.birthDate, let sex = personnummer.sexDigit,
              let parity = parity(of: identifier) else { return false }
        let date = zeroPadded(birth.year, 4) + zeroPadded(birth.month, 2) + zeroPadded(birth.day, 2)
        return identifier.hasPrefix(date + "-") && parity == sex % 2
    }

    /// Whether `identifier` is in the form Bevaka wrote before IVO's was followed: the person's
    /// birth date, two capital letters A–Z and two digits, the first with the sex digit's parity (`19400101-XU29`). Such an identifier
    /// is read, and replaced by one in IVO's form at the next report (which names the old one).
    public static func isOlderBevakaForm(_ identifier: String, for personnummer: Personnummer) -> Bool {
        guard let birth = personnummer.birthDate, let sex = personnummer.sexDigit else { return false }
        let date = zeroPadded(birth.year, 4) + zeroPadded(birth.month, 2) + zeroPadded(birth.day, 2)
        guard identifier.hasPrefix(date + "-") else { return false }
        let tail = Array(identifier.utf8.dropFirst(9))
        return tail.count == 4 && tail[0...1].allSatisfy { (65...90).contains($0) } && tail[2...3].allSatisfy { (48...57).contains($0) }
            && Int(tail[2] - 48) % 2 == sex % 2
    }

    /// The sex parity the identifier's third position after the dash carries: 0 woman, 1 man; nil
    /// when it is not in IVO's form (`ÅÅÅÅMMDD-T` + three digits, or `ÅÅÅÅMMDD-TF` + two).
    public static func parity(of identifier: String) -> Int? {
        let parts = identifier.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 8, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let tail = Array(parts[1])
        guard tail.count == 4, tail[0] == "T" else { return nil }
        let digits = tail[1] == "F" ? tail[2...] : tail[1...]
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count == (tail[1] == "F" ? 2 : 3) else { return nil }
        return tail[2].wholeNumberValue.map { $0 % 2 }
    }
}

/// Zero-padded numbers for dates.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// The list cells of the import format (docs/import-format.md): offers and interruptions in one
/// cell each, entries separated by "; ".
///
///     erbjudanden: 2026-09-13 korttidsvistelse på Björkbacken (avböjt); 2026-10-20 Solbacken (accepterat)
///     avbrott:     2026-08-14– sjukhusvistelse; 2025-01-10–2025-02-01 resa
public enum VerkstallighetCells {
    public static func offers(_ offers: [Offer]) -> String {
        offers.map { "\($0.on) \(cellText($0.what)) (\($0.accepted ? "accepterat" : "avböjt"))" }.joined(separator: "; ")
    }

    public static func interruptions(_ interruptions: [Interruption]) -> String {
        interruptions.map { item in
            "\(item.from)–\(item.resumed?.description ?? "")" + (item.reason.map { " " + cellText($0) } ?? "")
        }.joined(separator: "; ")
    }

    /// A ";" in free text would split the entry: it becomes ",".
    static func cellText(_ text: String) -> String { text.replacingOccurrences(of: ";", with: ",") }

    public struct CellError: Error, Equatable {
        public var message: String
    }

    public static func parseOffers(_ cell: String, today: Day) throws(CellError) -> [Offer] {
        var result: [Offer] = []
        for (number, part) in entries(cell).enumerated() {
            let where_ = "erbjudande \(number + 1)"
            guard let space = part.firstIndex(of: " "), let day = Day(iso: String(part[..<space])) else {
                throw CellError(message: "\(where_) ska börja med ett datum (ÅÅÅÅ-MM-DD), t.ex. \"2026-09-13 korttidsvistelse (avböjt)\".")
            }
            guard day <= today else { throw CellError(message: "\(where_): datumet \(day) ligger i framtiden.") }
            var rest = part[part.index(after: space)...].trimmingCharacters(in: .whitespaces)
            let accepted: Bool
            if rest.hasSuffix("(avböjt)") {
                accepted = false
                rest.removeLast("(avböjt)".count)
            } else if rest.hasSuffix("(accepterat)") {
                accepted = true
                rest.removeLast("(accepterat)".count)
            } else {
                throw CellError(message: "\(where_) ska sluta med (accepterat) eller (avböjt).")
            }
            let what = rest.trimmingCharacters(in: .whitespaces)
            guard !what.isEmpty, what.count <= 200 else { throw CellError(message: "\(where_): skriv vad som erbjöds (högst 200 tecken).") }
            result.append(Offer(on: day, what: what, accepted: accepted))
        }
        guard result.count <= 50 else { throw CellError(message: "fler än 50 erbjudanden i en cell.") }
        return result
    }

    public static func parseInterruptions(_ cell: String, today: Day) throws(CellError) -> [Interruption] {
        var result: [Interruption] = []
        for (number, part) in entries(cell).enumerated() {
            let where_ = "avbrott \(number + 1)"
            let head = part.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            let dates = head.split(separator: "–", omittingEmptySubsequences: false).map(String.init)
            guard dates.count == 2, let from = Day(iso: dates[0]) else {
                throw CellError(message: "\(where_) ska börja med från–till, t.ex. \"2026-08-14– sjukhusvistelse\" (till tomt om det pågår).")
            }
            var resumed: Day?
            if !dates[1].isEmpty {
                guard let day = Day(iso: dates[1]) else { throw CellError(message: "\(where_): \"\(dates[1])\" är inget datum.") }
                guard day >= from else { throw CellError(message: "\(where_): återupptaget \(day) ligger före avbrottet \(from).") }
                resumed = day
            }
            guard from <= today else { throw CellError(message: "\(where_): avbrottet \(from) ligger i framtiden.") }
            let reason = part.dropFirst(head.count).trimmingCharacters(in: .whitespaces)
            guard reason.count <= 300 else { throw CellError(message: "\(where_): skälet är längre än 300 tecken.") }
            result.append(Interruption(from: from, resumed: resumed, reason: reason.isEmpty ? nil : reason))
        }
        guard result.count <= 50 else { throw CellError(message: "fler än 50 avbrott i en cell.") }
        return result
    }

    static func entries(_ cell: String) -> [String] {
        cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
