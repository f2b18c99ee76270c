import BevakaDomain
import Foundation

/// `bevaka import`: one row per decision from the handläggare's Excel list (docs/import-format.md).
/// Good rows are imported, every bad row is reported with its line and reason, and importing the
/// same file twice changes nothing the second time.
public enum CaseloadImport {
    public struct RowError: Error, Equatable, Sendable {
        public var line: Int
        public var column: String?
        public var reason: String
        /// A workbook's column letter ("C"): the message names the cell as Excel does.
        public var letter: String?

        public init(line: Int, column: String?, reason: String, letter: String? = nil) {
            self.line = line
            self.column = column
            self.reason = reason
            self.letter = letter
        }

        /// "rad 7, kolumnen beslut_fran: …", with anything that looks like a personnummer masked
        /// (a personnummer in the wrong column is quoted back as `19400102-****`).
        public var message: String {
            let place: String
            if let letter {
                place = ", kolumn \(letter)" + (column.map { " (\($0))" } ?? "")
            } else {
                place = column.map { ", kolumnen \($0)" } ?? ""
            }
            return TerminalText.maskPersonalNumbers("rad \(line)" + place + ": " + reason)
        }
    }

    public struct FileError: Error, Equatable, Sendable {
        public var message: String
        /// The file has no `verkstallt` column and no assumption was given: ask the user.
        public var missingStartColumn = false

        init(message: String, missingStartColumn: Bool = false) {
            self.message = TerminalText.maskPersonalNumbers(message)
            self.missingStartColumn = missingStartColumn
        }
    }

    static let noStartColumn = "Filen har ingen kolumn verkstallt, så det går inte att veta om besluten är verkställda. Ange --verkstallt-fran-start (verkställda från beslutets startdatum, det vanliga för en lista över pågående insatser) eller --ej-verkstallda (de följs då som ej verkställda och rapporteras till IVO efter tre månader). Inget har lästs in."

    public struct Report: Equatable, Sendable {
        public var encoding: CSVReader.Encoding
        public var separator: Character
        public var rowsRead = 0
        public var newClients = 0
        public var newDecisions = 0
        public var updatedDecisions = 0
        public var unchangedDecisions = 0
        public var newFollowUps = 0
        public var ignoredColumns: [String] = []
        public var rejected: [RowError] = []
        /// Rows read with something to check ("rad 5, kolumnen konsekvenser: …").
        public var warnings: [String] = []
        /// Rows whose name is not the name of the person the personnummer belongs to.
        public var nameMismatches: [NameMismatch] = []
        /// Whether those rows were read anyway (else they were skipped).
        public var nameMismatchesImported = false
        /// The file has no `verkstallt` column: what was assumed, and for how many new decisions.
        public var startAssumption: StartAssumption?
        public var assumedStarted = 0
        /// Rows whose decision ended longer ago than the gallring period: not read, or a person
        /// who was gallrad would come back with the next import of the same list.
        public var pastGallring = 0
        public var gallringMonths: Int?
        /// A workbook: the sheet read, every sheet's name, and how many hidden rows and columns
        /// were read with the rest (said, since the user may not see them in Excel).
        public var sheet: String?
        public var sheets: [String] = []
        public var hiddenRows = 0
        /// The header's row when title rows stood above it (nil: the first row).
        public var headerLine: Int?
        /// Other sheets of the workbook that also hold the columns, not read (`--blad`).
        public var alsoLists: [String] = []
        public struct NearMatch: Sendable, Equatable {
            public var heading: String
            public var column: String
        }
        /// Unknown columns that resemble a known one: the file's heading and the column meant.
        public var nearMatches: [NearMatch] = []
        /// Unknown columns whose cells are mostly numbers: dropped only when told to go on.
        public var droppedNumberColumns: [String] = []
        public var hiddenColumns = 0

        public var changedAnything: Bool { newClients + newDecisions + updatedDecisions + newFollowUps > 0 }

        public init(encoding: CSVReader.Encoding, separator: Character) {
            self.encoding = encoding
            self.separator = separator
        }
    }

    /// A validated row.
    struct Row {
        var line: Int
        var personnummer: Personnummer
        var name: String
        var decision: Decision
        var lastFollowUp: Day?
        var note: String?
        /// Columns present in the file (and so to be written on update, even when empty).
        var given: Set<ImportColumn>
        /// The way to the door; a non-empty value replaces the stored one.
        var address = Address()
        var phones: [Phone] = []
        var doorCode: String?
        var access: String?
        /// Skyddade personuppgifter; nil when the cell is empty or the column missing (unchanged).
        var protectedIdentity: Bool?
        /// A new decision of a list without a verkställt column counts as carried out from its start.
        var assumeStarted = false
        /// Cells read but worth a word (a personnummer in free text).
        var warnings: [String] = []

        /// The same content, whatever the line (two rows for one decision may repeat each other).
        func sameContent(as other: Row) -> Bool {
            name == other.name && decision == other.decision && lastFollowUp == other.lastFollowUp && note == other.note
                && address == other.address && phones == other.phones && doorCode == other.doorCode && access == other.access
                && protectedIdentity == other.protectedIdentity
        }
    }

    /// A row whose personnummer belongs to someone with another name (in the caseload, or earlier
    /// in the file): a typo in the number puts a decision on the wrong person.
    public struct NameMismatch: Equatable, Sendable {
        public var line: Int
        public var known: String
        public var given: String
        public var message: String {
            "rad \(line): personnumret hör till \(TerminalText.sanitize(known)) i listan, inte \(TerminalText.sanitize(given))"
        }
    }

    /// What a list without a `verkstallt` column says about the decisions: nothing, so the user
    /// is asked (the app's preview, or the command's flags) instead of a guess.
    public enum StartAssumption: String, Sendable, Equatable {
        /// Carried out from the day the decision began to apply (the usual case for a running list).
        case fromStart
        /// Not carried out: R11 follows them (and the IVO report, after three months).
        case notStarted
    }

    /// Reads `bytes` and merges them into `caseload`. Throws only when the file as a whole cannot be
    /// used (no header, a required column missing); row problems are in the report.
    /// `progress(rowsDone, rowsTotal)` is called as rows are read (for a progress bar).
    public static func run(_ bytes: [UInt8], into caseload: inout Caseload, routines: RoutineSet,
                           today: Day, startAssumption: StartAssumption? = nil, importNameMismatches: Bool = false,
                           sheet: String? = nil, progress: ((Int, Int) -> Void)? = nil) throws(FileError) -> Report {
        // A workbook (.xlsx or .ods) is known by its content (a ZIP), whatever the file is called.
        if XlsxWorkbook.looksLikeZip(bytes) {
            let read: XlsxWorkbook.Records
            do {
                read = try XlsxWorkbook.records(bytes, sheetName: sheet, isHeader: isHeaderRow, personnummerColumn: { fields in
                    fields.firstIndex { ImportColumn.match(header: $0.trimmingCharacters(in: .whitespaces)) == .personnummer }
                })
            } catch {
                throw FileError(message: error.message)
            }
            var report = Report(encoding: read.format == .xlsx ? .xlsx : .ods, separator: ";")
            report.sheet = read.sheet
            report.sheets = read.sheets
            report.hiddenRows = read.hiddenRows
            report.hiddenColumns = read.hiddenColumns
            report.alsoLists = read.alsoLists
            guard !read.records.isEmpty else { throw FileError(message: "Bladet \"\(TerminalText.sanitize(read.sheet))\" är tomt.") }
            return try run(records: read.records, report: report, into: &caseload, routines: routines, today: today,
                           startAssumption: startAssumption, importNameMismatches: importNameMismatches, progress: progress)
        }
        // Spreadsheet files that are not .xlsx: said for what they are, never read as text.
        if let kind = otherSpreadsheet(bytes) { throw FileError(message: kind) }
        if sheet != nil {
            throw FileError(message: "--blad gäller bara arbetsböcker (.xlsx, .ods); filen är en textfil (CSV).")
        }
        let decoded: (text: String, encoding: CSVReader.Encoding)
        do {
            decoded = try CSVReader.decode(bytes)
        } catch {
            throw FileError(message: error.message)
        }
        let (text, encoding) = decoded
        let requiredNames = Set(ImportColumn.required)
        let separator = CSVReader.detectSeparator(text) { header in
            ImportColumn.match(header: header).map(requiredNames.contains) ?? false
        }
        let report = Report(encoding: encoding, separator: separator)
        let records: [Record]
        do {
            records = try CSVReader.records(text, separator: separator)
        } catch {
            throw FileError(message: "Rad \(error.line), fält \(error.field): ett citattecken (\") öppnas men stängs aldrig, så resten av filen skulle hamna i det fältet. Lägg till \" där texten slutar och läs in filen igen. Inget har lästs in.")
        }
        guard !records.isEmpty else { throw FileError(message: "Filen är tom.") }
        guard records.count <= XlsxWorkbook.rowLimit + CSVReader.headerSearchRows else {
            throw FileError(message: "Listan har fler än \(XlsxWorkbook.rowLimitText) rader, mer än någon ärendelista; dela upp den "
                + "eller ta bort raderna som inte hör dit. Ingenting är inläst.")
        }
        return try run(records: records, report: report, into: &caseload, routines: routines, today: today,
                       startAssumption: startAssumption, importNameMismatches: importNameMismatches, progress: progress)
    }

    /// A row that names every required column: the list's header.
    static func isHeaderRow(_ fields: [String]) -> Bool {
        Set(ImportColumn.required).isSubset(of: Set(fields.compactMap { ImportColumn.match(header: $0.trimmingCharacters(in: .whitespaces)) }))
    }

    /// What a spreadsheet file that is not an .xlsx workbook is, in a sentence that says what to
    /// do (issue 35, item 5); nil for anything else (a CSV).
    static func otherSpreadsheet(_ bytes: [UInt8]) -> String? {
        // OLE2 compound file: an old .xls, or a password-protected workbook (Excel encrypts an
        // .xlsx into one, with an "EncryptedPackage" stream).
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            let utf16 = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let encrypted = bytes.count >= utf16.count && (0...(bytes.count - utf16.count)).contains { start in
                bytes[start] == utf16[0] && Array(bytes[start..<(start + utf16.count)]) == utf16
            }
            return encrypted
                ? "Arbetsboken är lösenordsskyddad: spara den utan lösenord (Arkiv › Info › Skydda arbetsbok) och läs in den igen. Inget har lästs in."
                : "Filen är en äldre Excel-fil (.xls): öppna den i Excel eller LibreOffice och spara som .xlsx (Excel-arbetsbok), och läs in den igen. Inget har lästs in."
        }
        // gzip: Gnumeric's own format.
        if bytes.starts(with: [0x1F, 0x8B]) {
            return "Filen är en Gnumeric-fil (.gnumeric): spara den som .xlsx (Excel 2007) i Gnumeric och läs in den igen. Inget har lästs in."
        }
        // Excel 2003 XML (LibreOffice's "Microsoft Excel 2003 XML").
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            return "Filen är en Excel 2003 XML-fil: spara den som .xlsx (Excel-arbetsbok) och läs in den igen. Inget har lästs in."
        }
        return nil
    }

    /// The rows of a CSV file or a workbook's sheet (the header first), merged into `caseload`.
    static func run(records all: [Record], report start: Report, into caseload: inout Caseload, routines: RoutineSet,
                    today: Day, startAssumption: StartAssumption?, importNameMismatches: Bool,
                    progress: ((Int, Int) -> Void)?) throws(FileError) -> Report {
        var report = start
        var records = all
        // The header under a title row or two: the first of the first rows that holds every
        // required column, with nothing above it but short title rows (at most two cells each).
        if let index = CSVReader.headerIndex(records.prefix(CSVReader.headerSearchRows).map(\.fields), isHeader: isHeaderRow),
           index > 0 {
            report.headerLine = records[index].line
            records.removeFirst(index)
        }
        let header = records.removeFirst()
        var columns: [ImportColumn: Int] = [:]
        // A rejected row names its column as the file's header says it ("Beslut från").
        var names: [ImportColumn: String] = [:]
        for (index, name) in header.fields.enumerated() {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if let column = ImportColumn.match(header: trimmed), columns[column] == nil {
                columns[column] = index
                names[column] = TerminalText.truncate(TerminalText.maskPersonalNumbers(TerminalText.sanitize(trimmed)), to: 40)
            } else if !trimmed.isEmpty {
                // A header cell is quoted back: masked, and cut so a stray row cannot be printed whole.
                let shown = TerminalText.truncate(TerminalText.maskPersonalNumbers(TerminalText.sanitize(trimmed)), to: 40)
                report.ignoredColumns.append(shown)
                // One that resembles a known column is named with it, and one that holds numbers
                // is not dropped without a word (issue 35, item 6).
                if let near = ImportColumn.nearest(to: trimmed), columns[near] == nil {
                    report.nearMatches.append(Report.NearMatch(heading: shown, column: near.rawValue))
                }
                let cells = records.lazy.map { index < $0.fields.count ? $0.fields[index].trimmingCharacters(in: .whitespaces) : "" }
                    .filter { !$0.isEmpty }.prefix(200)
                let numbers = cells.filter { Double($0.replacingOccurrences(of: ",", with: ".")) != nil }.count
                if cells.count > 0, numbers * 2 >= cells.count { report.droppedNumberColumns.append(shown) }
            }
        }
        let missing = ImportColumn.required.filter { columns[$0] == nil }
        // The whole header in one cell, joined by a separator the file was not split at (a CSV
        // opened without the semicolon setting and saved again): say so (issue 35, 5c).
        if !missing.isEmpty, let joined = header.fields.first(where: { $0.contains(";") || $0.contains(",") || $0.contains("\t") }) {
            for separator in [";", ",", "\t"] where joined.contains(separator) {
                let named = Set(joined.components(separatedBy: separator).compactMap { ImportColumn.match(header: $0.trimmingCharacters(in: .whitespaces)) })
                if Set(ImportColumn.required).isSubset(of: named) {
                    let word = separator == ";" ? "semikolon" : separator == "," ? "komma" : "tabb"
                    throw FileError(message: "Rubrikraden (rad \(header.line)) har alla kolumner i en och samma cell, åtskilda med \(word): "
                        + "filen har sparats med fel avgränsare. Öppna den med \(word) som avgränsare (i LibreOffice: Avgränsare › \(word)) "
                        + "eller spara listan som \"CSV UTF-8 (kommaavgränsad)\" i Excel, och läs in den igen. Inget har lästs in.")
                }
            }
        }
        guard missing.isEmpty else {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            throw FileError(message: "Rubrikraden (rad \(header.line)) saknar \(missing.count == 1 ? "kolumnen" : "kolumnerna") \(names). Se docs/import-format.md.")
        }
        // No verkställt column: the decisions' start is not known, and guessing either way is
        // wrong for some lists (every running decision "ej verkställt", or every waiting one started).
        if columns[.verkstallt] == nil {
            guard let startAssumption else { throw FileError(message: CaseloadImport.noStartColumn, missingStartColumn: true) }
            report.startAssumption = startAssumption
        }
        let step = max(1, records.count / 100)
        var rows: [Row] = []
        for record in records {
            if report.rowsRead % step == 0 { progress?(report.rowsRead, records.count) }
            report.rowsRead += 1
            // A cell of a workbook that cannot be read rejects its row, naming the cell.
            if let (index, reason) = record.cellProblems.min(by: { $0.key < $1.key }) {
                let column = columns.first { $0.value == index }?.key
                let name = column.map { names[$0] ?? $0.rawValue }
                    ?? (index < header.fields.count ? TerminalText.truncate(TerminalText.sanitize(header.fields[index]), to: 40) : nil)
                report.rejected.append(RowError(line: record.line, column: name.flatMap { $0.isEmpty ? nil : $0 }, reason: reason,
                                                letter: XlsxWorkbook.letters(index)))
                continue
            }
            do {
                var row = try parse(record, columns: columns, names: names, catalog: routines.catalog, today: today)
                if let months = routines.gallringMonths,
                   let end = [row.decision.closedOn, row.decision.validTo].compactMap({ $0 }).min(),
                   end.adding(months: months) <= today {
                    report.pastGallring += 1
                    report.gallringMonths = months
                    continue
                }
                if report.startAssumption == .fromStart, row.decision.validFrom <= today {
                    row.assumeStarted = true
                }
                rows.append(row)
            } catch {
                report.rejected.append(error)
            }
        }
        // Two rows for the same decision (person, insats, first day) that say different things:
        // neither wins silently; both are refused, each naming the other.
        let byDecision = Dictionary(grouping: rows.indices) { index in
            "\(rows[index].personnummer.digits)|\(ServiceCatalog.normalise(rows[index].decision.service))|\(rows[index].decision.validFrom)"
        }
        var refused = Set<Int>()
        for (_, indices) in byDecision where indices.count > 1 {
            for index in indices {
                let others = indices.filter { $0 != index && !rows[$0].sameContent(as: rows[index]) }
                guard !others.isEmpty else { continue }
                refused.insert(index)
                let lines = others.map { String(rows[$0].line) }.joined(separator: ", ")
                report.rejected.append(RowError(line: rows[index].line, column: nil,
                    reason: "raden gäller samma beslut som rad \(lines) (samma person, insats och startdag) men med andra uppgifter; rätta en av dem och läs in filen igen."))
            }
        }
        report.rejected.sort { $0.line < $1.line }
        report.nameMismatchesImported = importNameMismatches
        func plain(_ name: String) -> String { ServiceCatalog.normalise(name) }
        // Where each personnummer stands in the caseload (a list of 10,000 people is 30,000 rows).
        var positions = Dictionary(caseload.clients.enumerated().map { ($1.personnummer.digits, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, row) in rows.enumerated() where !refused.contains(index) {
            if let at = positions[row.personnummer.digits], plain(caseload.clients[at].name) != plain(row.name) {
                let known = caseload.clients[at]
                report.nameMismatches.append(NameMismatch(line: row.line, known: known.name, given: row.name))
                if !importNameMismatches { continue }
            }
            report.warnings += row.warnings
            merge(row, into: &caseload, report: &report, positions: &positions)
        }
        progress?(records.count, records.count)
        return report
    }
}
