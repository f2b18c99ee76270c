import Foundation

/// The quarterly statistics to kommunfullmäktige (34 kap. 3 § SoL (2025:400), 28 h § LSS): per law
/// and type of insats, how many decisions were not carried out within three months and how many
/// interruptions were not resumed within three months, at the quarter's end, by the time since the
/// decision (or the interruption) and the person's sex. De-identified: counts only — no name, no
/// personnummer, no identifier, no free text; an insats outside the catalog is "annan insats".
public struct StatisticsReport: Sendable, Equatable {
    public enum Sex: String, Sendable, CaseIterable {
        case woman = "kvinnor"
        case man = "män"
        case unknown = "okänt kön"
    }

    /// Time since the decision (R11) or the interruption's start (R12), at the quarter's end.
    public enum Span: String, Sendable, CaseIterable {
        case threeToSix = "3–6 mån"
        case sixToNine = "6–9 mån"
        case nineToTwelve = "9–12 mån"
        case overTwelve = "över 12 mån"
    }

    public struct Key: Sendable, Hashable, Comparable {
        public var law: Law
        public var service: String
        public var kind: IVOReport.Kind

        public static func < (a: Key, b: Key) -> Bool {
            (a.law.rawValue, a.service, a.kind.rawValue) < (b.law.rawValue, b.service, b.kind.rawValue)
        }
    }

    public struct Cell: Sendable, Hashable {
        public var span: Span
        public var sex: Sex
    }

    public var quarter: Quarter
    public var counts: [Key: [Cell: Int]]
    public var preliminary = false

    public var total: Int { counts.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    /// From the same facts as the IVO report: what is still outstanding at the quarter's end.
    public static func make(caseload: Caseload, routines: RoutineSet, quarter: Quarter) -> StatisticsReport {
        let report = IVOReport.make(caseload: caseload, routines: routines, quarter: quarter)
        let known = Set(ServiceCatalog.plainNames)
        var counts: [Key: [Cell: Int]] = [:]
        for entry in report.entries where entry.status != .closing {
            let plain = ServiceCatalog.normalise(entry.service)
            let key = Key(law: entry.law, service: known.contains(plain) ? plain : "annan insats", kind: entry.kind)
            let cell = Cell(span: span(since: entry.since, end: quarter.last), sex: sex(of: entry.personnummer))
            counts[key, default: [:]][cell, default: 0] += 1
        }
        return StatisticsReport(quarter: quarter, counts: counts)
    }

    static func span(since: Day, end: Day) -> Span {
        if since.adding(months: 12) <= end { return .overTwelve }
        if since.adding(months: 9) <= end { return .nineToTwelve }
        if since.adding(months: 6) <= end { return .sixToNine }
        return .threeToSix
    }

    /// The sex digit (the personnummer's eleventh of twelve): odd for a man, even for a woman.
    static func sex(of personnummer: Personnummer) -> Sex {
        guard let digit = personnummer.sexDigit else { return .unknown }
        return digit % 2 == 0 ? .woman : .man
    }

    // MARK: Output

    var title: String {
        "Statistikrapport till kommunfullmäktige, kvartal \(quarter.number) \(quarter.year) (\(quarter.first)–\(quarter.last)). "
            + "34 kap. 3 § SoL (2025:400), 28 h § LSS."
    }

    public func text() -> String {
        var lines = (preliminary ? ["PRELIMINÄR: kvartalet är inte slut; siffrorna kan ändras.", ""] : []) + [
            title,
            "Avidentifierad: antal beslut som inte verkställts inom tre månader och avbrott som inte återupptagits inom tre "
                + "månader, vid kvartalets slut, per lag och insats, tid sedan beslutet (avbrottet) och kön.",
            "",
        ]
        if counts.isEmpty { lines.append("Inga ej verkställda beslut eller avbrott vid kvartalets slut.") }
        for law in Law.allCases {
            let keys = counts.keys.filter { $0.law == law }.sorted()
            guard !keys.isEmpty else { continue }
            lines.append(law == .lss ? "LSS" : "SoL")
            for key in keys {
                let cells = counts[key] ?? [:]
                let kind = key.kind == .notStarted ? "ej verkställda beslut" : "avbrott"
                lines.append("  \(key.service), \(kind): \(cells.values.reduce(0, +))")
                for span in Span.allCases {
                    let parts = Sex.allCases.compactMap { sex in
                        cells[Cell(span: span, sex: sex)].map { "\(sex.rawValue) \($0)" }
                    }
                    if !parts.isEmpty { lines.append("    \(span.rawValue): \(parts.joined(separator: ", "))") }
                }
            }
        }
        lines.append("")
        lines.append("Totalt: \(total).")
        return lines.joined(separator: "\n") + "\n"
    }

    public static let csvHeader = ["kvartal", "lag", "insats", "typ", "tid_sedan_beslut", "kon", "antal"]

    /// One row per law, insats, kind, span and sex that has any.
    public func csvRows() -> [[String]] {
        var rows = [StatisticsReport.csvHeader]
        for key in counts.keys.sorted() {
            for span in Span.allCases {
                for sex in Sex.allCases {
                    guard let count = counts[key]?[Cell(span: span, sex: sex)] else { continue }
                    rows.append([quarter.description, key.law == .lss ? "LSS" : "SoL", key.service, key.kind.rawValue, span.rawValue,
                                 sex.rawValue, "\(count)"])
                }
            }
        }
        return rows
    }

    public func jsonObject() -> [String: Any] {
        let rows = csvRows().dropFirst().map { row -> [String: Any] in
            ["lag": row[1], "insats": row[2], "typ": row[3], "tidSedanBeslut": row[4], "kon": row[5], "antal": Int(row[6]) ?? 0]
        }
        return ["kvartal": quarter.description, "fran": quarter.first.description, "till": quarter.last.description,
                "preliminar": preliminary, "totalt": total, "rader": rows,
                "grund": "34 kap. 3 § SoL (2025:400), 28 h § LSS"]
    }
}
