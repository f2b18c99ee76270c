import Foundation

/// Text and JSON renderings of the agenda and the årshjul for the command line: 80 columns,
/// readable without colour, personnummer masked unless asked for.
public enum Reports {
    /// One object in `--format json` output.
    public struct Row: Encodable, Equatable {
        public var client: String
        public var personnummer: String
        public var service: String?
        public var services: [String]?
        public var kind: String
        public var label: String
        public var due: String
        public var daysOverdue: Int
        public var reason: String?
        public var priority: String?
        public var status: String?
        public var month: Int?
        public var done: Bool?
        public var moved: Bool?
    }

    /// The personnummer as a list shows it: masked (in full when asked for), and "Skyddad" for a
    /// person with protected identity, whatever was asked.
    public static func number(_ personnummer: Personnummer, full: Bool, protected: Bool = false) -> String {
        protected ? "Skyddad" : full ? personnummer.formatted : personnummer.masked
    }

    // MARK: Agenda

    public static func agendaRows(_ entries: [AgendaEntry], today: Day, showPersonnummer: Bool) -> [Row] {
        entries.map { entry in
            Row(client: entry.clientName, personnummer: number(entry.personnummer, full: showPersonnummer, protected: entry.protectedIdentity),
                service: entry.service, kind: entry.item.kind.rawValue, label: entry.item.kind.label,
                due: entry.item.due.description, daysOverdue: entry.daysOverdue(on: today),
                reason: entry.item.reason, priority: entry.item.priority.rawValue,
                status: entry.item.status.rawValue)
        }
    }

    /// "52 d sen", "idag", "om 5 d".
    public static func relative(_ due: Day, today: Day) -> String {
        let days = today.days(until: due)
        if days == 0 { return "idag" }
        return days < 0 ? "\(-days) d sen" : "om \(days) d"
    }

    public static func agendaText(_ entries: [AgendaEntry], today: Day, days: Int, showPersonnummer: Bool) -> String {
        let overdue = entries.filter { $0.item.due < today }.count
        return agendaTable([
            "Bevakningar \(today) (vecka \(today.isoWeek)): försenade och inom \(days) \(days == 1 ? "dag" : "dagar")",
            entries.isEmpty ? "Inget är försenat och inget förfaller inom \(days) \(days == 1 ? "dag" : "dagar")."
                : "\(entries.count) att göra, varav \(overdue) försenade.",
        ], entries, today: today, showPersonnummer: showPersonnummer)
    }

    /// `agenda --week`: what is due Monday to Sunday of today's week, with the week number.
    public static func weekText(_ entries: [AgendaEntry], today: Day, showPersonnummer: Bool) -> String {
        let monday = today.adding(days: 1 - today.weekday), sunday = monday.adding(days: 6)
        let span = "\(monday.day) \(SwedishCalendarNames.shortMonths[monday.month - 1])–\(sunday.day) "
            + "\(SwedishCalendarNames.shortMonths[sunday.month - 1]) \(sunday.year)"
        let overdue = entries.filter { $0.item.due < today }.count
        return agendaTable([
            "Bevakningar vecka \(today.isoWeek) (\(span)), idag \(today)",
            entries.isEmpty ? "Inget förfaller denna vecka."
                : "\(entries.count) att göra denna vecka"
                    + (overdue > 0 ? ", varav \(overdue) redan \(overdue == 1 ? "försenad" : "försenade")." : "."),
        ], entries, today: today, showPersonnummer: showPersonnummer)
    }

    /// The heading lines, then the entries as rows of date, when, name, personnummer and what.
    static func agendaTable(_ heading: [String], _ entries: [AgendaEntry], today: Day, showPersonnummer: Bool) -> String {
        var lines = heading
        guard !entries.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        lines.append("")
        lines.append(row(["Datum", "Läge", "Namn", "Personnummer", "Vad"]))
        // Rows in chunks on all cores (each row depends on its entry alone), each chunk one text,
        // joined in order (no list of row strings is held).
        let chunks = Parallel.chunks(entries.count, minimum: 2_000) { range -> String in
            var text = ""
            text.reserveCapacity(range.count * 100)
            for index in range {
                let entry = entries[index]
                let what = entry.item.kind.label + (entry.service.map { ": \($0)" } ?? "")
                    + (entry.item.kind == .manual && !entry.item.reason.isEmpty ? ": \(entry.item.reason)" : "")
                appendRow([
                    entry.item.due.description, relative(entry.item.due, today: today),
                    TerminalText.sanitize(entry.clientName), number(entry.personnummer, full: showPersonnummer, protected: entry.protectedIdentity),
                    TerminalText.sanitize(what),
                ], to: &text)
                text.append("\n")
            }
            return text
        }
        var text = lines.joined(separator: "\n") + "\n"
        text.reserveCapacity(text.utf8.count + chunks.reduce(0) { $0 + $1.utf8.count })
        for chunk in chunks { text += chunk }
        return text
    }

    /// `row(cells)` written onto the end of `text` without a string per cell, when every cell is
    /// printable scalars below U+0300 (one column each, as `TerminalText.width`'s fast path
    /// counts them); any other row is made by `row`, the reference (ReportsRowTests compares them).
    static func appendRow(_ cells: [String], to text: inout String) {
        guard cells.count == 5 else {
            text += row(cells)
            return
        }
        var columns = [0, 0, 0, 0, 0]
        for index in 0..<5 {
            guard let width = TerminalText.simpleWidth(cells[index]) else {
                text += row(cells)
                return
            }
            columns[index] = width
        }
        let start = text.utf8.count
        let widths = rowWidths + [80 - rowWidths.reduce(rowWidths.count, +)]
        for index in 0..<5 {
            let cell = cells[index], width = widths[index], used = columns[index]
            if used <= width {
                text += cell
                if index < 4 { text += String(repeating: " ", count: width - used + 1) }
            } else {
                let scalars = cell.unicodeScalars
                text += cell[..<scalars.index(scalars.startIndex, offsetBy: width - 1)]
                text += index < 4 ? "… " : "…"
            }
        }
        // Trailing spaces go, as `row` trims them (each a grapheme of its own here).
        while text.utf8.count > start, text.utf8.last == 0x20 { text.removeLast() }
    }

    /// Date 10 · status 9 · name 16 · personnummer 13 (each and a space) · what (the rest of 80).
    static let rowWidths = [10, 9, 16, 13]

    /// A row of the agenda's table (`rowWidths`).
    static func row(_ cells: [String]) -> String {
        var text = ""
        for (cell, width) in zip(cells, rowWidths) {
            text += TerminalText.pad(cell, to: width) + " "
        }
        let rest = 80 - TerminalText.width(text)
        text += TerminalText.truncate(cells.last ?? "", to: rest)
        return text.trimmingTrailingSpaces()
    }

    // MARK: Årshjul

    public static func yearPlanRows(_ plan: YearPlan, today: Day, showPersonnummer: Bool) -> [Row] {
        func make(_ entry: YearPlanEntry, month: Int?) -> Row {
            Row(client: entry.clientName, personnummer: number(entry.personnummer, full: showPersonnummer, protected: entry.protectedIdentity),
                service: nil, services: entry.services, kind: entry.kinds.first?.rawValue ?? DueKind.annualFollowUp.rawValue,
                label: entry.kinds.first?.label ?? DueKind.annualFollowUp.label,
                due: entry.due.description, daysOverdue: entry.done ? 0 : max(0, entry.due.days(until: today)),
                month: month, done: entry.done)
        }
        return plan.overdue.map { make($0, month: nil) }
            + plan.months.flatMap { month in month.entries.map { make($0, month: month.month) } }
    }

    /// `arshjul --format json`: what the text shows. The year as twelve months (every month, also
    /// an empty one), each with its working days, planned, done and moved counts and its entries;
    /// the overdue ones apart.
    public struct YearPlanDocument: Encodable, Equatable {
        public struct Month: Encodable, Equatable {
            public var month: Int
            public var name: String
            public var workingDays: Int
            public var planned: Int
            public var done: Int
            public var moved: Int
            /// Decisions to report to IVO in a reporting period starting this month.
            public var ivoReports: Int
            public var entries: [Row]
        }
        public var year: Int
        public var today: String
        public var planned: Int
        public var months: [Month]
        public var overdue: [Row]
    }

    public static func yearPlanDocument(_ plan: YearPlan, today: Day, showPersonnummer: Bool) -> YearPlanDocument {
        func make(_ entry: YearPlanEntry, month: Int?) -> Row {
            Row(client: entry.clientName, personnummer: number(entry.personnummer, full: showPersonnummer, protected: entry.protectedIdentity),
                service: nil, services: entry.services, kind: entry.kinds.first?.rawValue ?? DueKind.annualFollowUp.rawValue,
                label: entry.kinds.map(\.label).joined(separator: ", "),
                due: entry.due.description, daysOverdue: entry.done ? 0 : max(0, entry.due.days(until: today)),
                month: month, done: entry.done, moved: entry.moved)
        }
        return YearPlanDocument(
            year: plan.year, today: today.description, planned: plan.total,
            months: plan.months.map { month in
                YearPlanDocument.Month(month: month.month, name: SwedishCalendarNames.months[month.month - 1],
                                       workingDays: month.workingDays, planned: month.planned, done: month.done,
                                       moved: month.moved, ivoReports: month.ivoReports,
                                       entries: month.entries.map { make($0, month: month.month) })
            },
            overdue: plan.overdue.map { make($0, month: nil) })
    }

    public static func yearPlanJSON(_ plan: YearPlan, today: Day, showPersonnummer: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(yearPlanDocument(plan, today: today, showPersonnummer: showPersonnummer)) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func yearPlanText(_ plan: YearPlan, today: Day, showPersonnummer: Bool) -> String {
        var lines = ["Årshjul \(plan.year): \(plan.total) uppföljningar"
            + (plan.overdue.isEmpty ? "" : ", och \(plan.overdue.count) försenade som räknas för sig")]
        lines.append("")
        let most = max(1, plan.months.map(\.planned).max() ?? 1)
        lines.append("Månad       Arbetsdagar  Uppföljningar")
        for month in plan.months {
            let name = SwedishCalendarNames.months[month.month - 1]
            let marker = (month.year == today.year && month.month == today.month) ? "▶" : " "
            let barWidth = month.planned == 0 ? 0 : max(1, month.planned * 40 / most)
            var notes: [String] = []
            if month.done > 0 { notes.append("\(month.done) \(month.done == 1 ? "gjord" : "gjorda")") }
            if month.moved > 0 { notes.append("\(month.moved) \(month.moved == 1 ? "flyttad" : "flyttade")") }
            if month.ivoReports > 0 { notes.append("\(month.ivoReports) att rapportera till IVO") }
            let done = notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
            lines.append("\(marker)" + TerminalText.pad(name, to: 10) + " "
                + TerminalText.padLeft(String(month.workingDays), to: 11) + "  "
                + TerminalText.padLeft(String(month.planned), to: 5) + "  "
                + String(repeating: "█", count: barWidth) + done)
        }
        func entryLine(_ entry: YearPlanEntry) -> String {
            let what = entry.kinds.map(\.label).joined(separator: ", ")
            let services = entry.services.joined(separator: ", ")
            let state = entry.done ? "gjord" : relative(entry.due, today: today)
            let head = "  " + entry.due.description + "  " + TerminalText.pad(state, to: 9) + " "
                + TerminalText.pad(TerminalText.sanitize(entry.clientName), to: 18) + " "
                + number(entry.personnummer, full: showPersonnummer, protected: entry.protectedIdentity) + "  "
            return (head + TerminalText.truncate(TerminalText.sanitize(what + (services.isEmpty ? "" : ": " + services)),
                                                 to: max(10, 80 - TerminalText.width(head)))).trimmingTrailingSpaces()
        }
        if !plan.overdue.isEmpty {
            lines.append("")
            lines.append("Försenade (\(plan.overdue.count))")
            lines.append(contentsOf: plan.overdue.map(entryLine))
        }
        for month in plan.months where !month.entries.isEmpty {
            lines.append("")
            lines.append("\(SwedishCalendarNames.months[month.month - 1].capitalized) \(month.year) (\(month.planned))")
            lines.append(contentsOf: month.entries.map(entryLine))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ rows: [Row]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(rows) else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
