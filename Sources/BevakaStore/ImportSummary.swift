import BevakaDomain
import Foundation

/// What an import did, in Swedish: for the command line and the app.
public enum ImportSummary {
    /// What the file was: "UTF-8, semikolon", or for a workbook "Excel-arbetsbok, bladet "Lista"".
    public static func source(_ report: CaseloadImport.Report) -> String {
        if report.encoding == .xlsx || report.encoding == .ods {
            let others = report.sheets.count > 1 ? " av \(report.sheets.count)" : ""
            return "\(report.encoding == .xlsx ? "Excel-arbetsbok" : "OpenDocument-kalkylblad"), bladet \"\(TerminalText.sanitize(report.sheet ?? ""))\"\(others)" + headerNote(report)
        }
        let separator = report.separator == ";" ? "semikolon" : report.separator == "," ? "komma" : "tabb"
        return "\(report.encoding.rawValue), \(separator)" + headerNote(report)
    }

    /// Unknown columns that hold numbers: they would be lost without a word.
    public static func droppedNumbersNote(_ report: CaseloadImport.Report) -> String? {
        guard !report.droppedNumberColumns.isEmpty else { return nil }
        let names = report.droppedNumberColumns.map { "\"\($0)\"" }.joined(separator: ", ")
        return "\(report.droppedNumberColumns.count == 1 ? "Kolumnen" : "Kolumnerna") \(names) har tal men Bevaka känner inte igen "
            + "\(report.droppedNumberColumns.count == 1 ? "den" : "dem"); talen läses inte in."
    }

    /// ", rubrikraden är rad 2" when title rows stood above the header.
    static func headerNote(_ report: CaseloadImport.Report) -> String {
        report.headerLine.map { ", rubrikraden är rad \($0)" } ?? ""
    }

    /// Other sheets that also hold a list with the columns: named, never left out without a word.
    public static func otherListsNote(_ report: CaseloadImport.Report) -> String? {
        guard !report.alsoLists.isEmpty else { return nil }
        let names = report.alsoLists.map { "\"\(TerminalText.sanitize($0))\"" }.joined(separator: ", ")
        return (report.alsoLists.count == 1 ? "Bladet \(names) har också kolumnerna och lästes inte"
                                            : "Bladen \(names) har också kolumnerna och lästes inte")
            + "; läs in \(report.alsoLists.count == 1 ? "det" : "dem") med bevaka import FIL --blad NAMN."
    }

    /// Hidden rows and columns of a workbook are read like the others; said, since Excel hides them.
    public static func hiddenNote(_ report: CaseloadImport.Report) -> String? {
        var parts: [String] = []
        if report.hiddenRows > 0 { parts.append(report.hiddenRows == 1 ? "1 dold rad" : "\(report.hiddenRows) dolda rader") }
        if report.hiddenColumns > 0 { parts.append(report.hiddenColumns == 1 ? "1 dold kolumn" : "\(report.hiddenColumns) dolda kolumner") }
        guard !parts.isEmpty else { return nil }
        let one = report.hiddenRows + report.hiddenColumns == 1
        return "Bladet har \(parts.joined(separator: " och ")); \(one ? "den" : "de") lästes in som de andra."
    }

    /// "3 rader lästes inte in: beslutet upphörde för mer än 12 månader sedan (gallringsregeln) …"
    public static func pastGallringNote(_ report: CaseloadImport.Report) -> String? {
        guard report.pastGallring > 0, let months = report.gallringMonths else { return nil }
        return (report.pastGallring == 1 ? "1 rad lästes inte in" : "\(report.pastGallring) rader lästes inte in")
            + ": beslutet upphörde för mer än \(months == 1 ? "1 månad" : "\(months) månader") sedan, och personen ska då "
            + "gallras ur Bevaka (gallringsregeln, gallringMonths i profiles.json)."
    }

    public static func text(_ report: CaseloadImport.Report, file rawFile: String, dryRun: Bool, storePath rawStore: String) -> String {
        // Paths are typed by the user: no control sequence of theirs reaches the terminal.
        let file = TerminalText.sanitize(rawFile), storePath = TerminalText.sanitize(rawStore)
        var lines = [
            "Läste \(report.rowsRead == 1 ? "1 rad" : "\(report.rowsRead) rader") från \(file) (\(source(report))).",
            "Nya personer: \(report.newClients). Nya beslut: \(report.newDecisions). Uppdaterade beslut: \(report.updatedDecisions). Oförändrade: \(report.unchangedDecisions). Nya uppföljningar i historiken: \(report.newFollowUps).",
        ]
        if let hidden = hiddenNote(report) { lines.append(hidden) }
        if let others = otherListsNote(report) { lines.append(others) }
        switch report.startAssumption {
        case .fromStart?:
            lines.append("Filen har ingen kolumn verkstallt: \(report.assumedStarted) nya beslut räknas som verkställda från beslutets startdatum.")
        case .notStarted?:
            lines.append("Filen har ingen kolumn verkstallt: nya beslut räknas som ej verkställda och följs upp som sådana (R11).")
        case nil:
            break
        }
        if !report.ignoredColumns.isEmpty {
            lines.append("Okända kolumner som inte lästes in: \(report.ignoredColumns.joined(separator: ", ")).")
            for near in report.nearMatches { lines.append("Menade du \(near.column) med \"\(near.heading)\"? Byt rubriken och läs in igen.") }
        }
        if let note = pastGallringNote(report) { lines.append(note) }
        if !report.nameMismatches.isEmpty {
            lines.append(report.nameMismatchesImported
                ? "Namnet stämmer inte med personnumret (\(report.nameMismatches.count)); raderna lästes in ändå, på personen med personnumret:"
                : "Namnet stämmer inte med personnumret (\(report.nameMismatches.count)); raderna lästes inte in (kontrollera dem, eller läs in dem ändå med --aven-namnfel):")
            lines.append(contentsOf: report.nameMismatches.map { "  " + $0.message })
        }
        if !report.warnings.isEmpty {
            lines.append("Att kontrollera (\(report.warnings.count)):")
            lines.append(contentsOf: report.warnings.map { "  " + $0 })
        }
        if !report.rejected.isEmpty {
            lines.append("Avvisade rader (\(report.rejected.count)); rätta dem och läs in filen igen:")
            lines.append(contentsOf: report.rejected.map { "  " + $0.message })
        }
        if dryRun {
            lines.append("Provkörning: ingenting sparades.")
        } else if report.changedAnything {
            lines.append("Sparat i \(storePath).")
        } else {
            lines.append("Inget nytt att spara.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
