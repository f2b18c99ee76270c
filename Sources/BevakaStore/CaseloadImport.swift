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
        /// A workbook: the sheet read, every sheet's name, and how many hidden rows and columns
        /// were read with the rest (said, since the user may not see them in Excel).
        public var sheet: String?
        public var sheets: [String] = []
        public var hiddenRows = 0
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
        // An Excel workbook is known by its content (a ZIP), whatever the file is called.
        if XlsxWorkbook.looksLikeZip(bytes) {
            let requiredNames = Set(ImportColumn.required)
            let read: XlsxWorkbook.Records
            do {
                read = try XlsxWorkbook.records(bytes, sheetName: sheet, isHeader: { fields in
                    requiredNames.isSubset(of: Set(fields.compactMap { ImportColumn.match(header: $0.trimmingCharacters(in: .whitespaces)) }))
                }, personnummerColumn: { fields in
                    fields.firstIndex { ImportColumn.match(header: $0.trimmingCharacters(in: .whitespaces)) == .personnummer }
                })
            } catch {
                throw FileError(message: error.message)
            }
            var report = Report(encoding: .xlsx, separator: ";")
            report.sheet = read.sheet
            report.sheets = read.sheets
            report.hiddenRows = read.hiddenRows
            report.hiddenColumns = read.hiddenColumns
            guard !read.records.isEmpty else { throw FileError(message: "Bladet \"\(TerminalText.sanitize(read.sheet))\" är tomt.") }
            return try run(records: read.records, report: report, into: &caseload, routines: routines, today: today,
                           startAssumption: startAssumption, importNameMismatches: importNameMismatches, progress: progress)
        }
        if sheet != nil {
            throw FileError(message: "--blad gäller bara Excel-filer (.xlsx); filen är en textfil (CSV).")
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
        return try run(records: records, report: report, into: &caseload, routines: routines, today: today,
                       startAssumption: startAssumption, importNameMismatches: importNameMismatches, progress: progress)
    }

    /// The rows of a CSV file or a workbook's sheet (the header first), merged into `caseload`.
    static func run(records all: [Record], report start: Report, into caseload: inout Caseload, routines: RoutineSet,
                    today: Day, startAssumption: StartAssumption?, importNameMismatches: Bool,
                    progress: ((Int, Int) -> Void)?) throws(FileError) -> Report {
        var report = start
        var records = all
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
                report.ignoredColumns.append(TerminalText.truncate(
                    TerminalText.maskPersonalNumbers(TerminalText.sanitize(trimmed)), to: 40))
            }
        }
        let missing = ImportColumn.required.filter { columns[$0] == nil }
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

    // MARK: Parsing one row

    static func parse(_ record: Record, columns: [ImportColumn: Int], names: [ImportColumn: String] = [:],
                      catalog: ServiceCatalog, today: Day) throws(RowError) -> Row {
        let line = record.line
        func value(_ column: ImportColumn) -> String {
            guard let index = columns[column], index < record.fields.count else { return "" }
            let cell = TerminalText.sanitize(record.fields[index]).trimmingSpaces()
            // The apostrophe an export (or a careful user) put before =, +, - or @ so a spreadsheet
            // does not run it as a formula is not part of the value.
            if cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first, "=+-@".unicodeScalars.contains(second) {
                return String(cell.dropFirst())
            }
            return cell
        }
        func fail(_ column: ImportColumn?, _ reason: String) -> RowError {
            RowError(line: line, column: column.map { names[$0] ?? $0.rawValue }, reason: reason,
                     letter: record.columnLetters ? column.flatMap { columns[$0] }.map(XlsxWorkbook.letters) : nil)
        }
        let highest = columns.values.max() ?? 0
        if record.fields.count <= ImportColumn.required.compactMap({ columns[$0] }).max() ?? 0 {
            throw fail(nil, "raden har \(record.fields.count) kolumner men rubrikraden \(highest + 1); kontrollera avgränsaren.")
        }
        func date(_ column: ImportColumn, required: Bool = false) throws(RowError) -> Day? {
            let text = value(column)
            if text.isEmpty {
                if required { throw fail(column, "datum saknas.") }
                return nil
            }
            guard let day = Day(iso: text) else {
                throw fail(column, "\"\(text)\" är inget giltigt datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD).")
            }
            return day
        }
        // The same check as the form's field: 0–744 per month, digits only (no 1e17).
        func hours(_ column: ImportColumn) throws(RowError) -> Double? {
            switch Hours.parse(value(column)) {
            case .success(let hours): return hours
            case .failure(let problem): throw fail(column, problem.message)
            }
        }

        let personnummer: Personnummer
        do {
            personnummer = try Personnummer.parse(value(.personnummer), today: today)
        } catch {
            throw fail(.personnummer, error.message)
        }
        let name = value(.namn)
        guard !name.isEmpty else { throw fail(.namn, "namn saknas.") }
        let service = value(.insats)
        guard !service.isEmpty else { throw fail(.insats, "insats saknas.") }

        let law: Law
        switch value(.lag).uppercased() {
        case "": law = catalog.law(forService: service) ?? .sol
        case "SOL": law = .sol
        case "LSS": law = .lss
        default: throw fail(.lag, "\"\(value(.lag))\" är ingen lag Bevaka känner; skriv SoL eller LSS.")
        }
        let form: DecisionForm?
        switch ImportColumn.normalise(value(.beslutsform)) {
        case "": form = nil
        case "ram", "rambeslut": form = .frame
        case "insats", "insatsbeslut", "insatser": form = .itemized
        default: throw fail(.beslutsform, "\"\(value(.beslutsform))\" ska vara rambeslut eller insatsbeslut.")
        }
        guard let validFrom = try date(.beslutFran, required: true) else { throw fail(.beslutFran, "datum saknas.") }
        let validTo = try date(.beslutTill)
        if let validTo, validTo < validFrom {
            throw fail(.beslutTill, "slutdatumet \(validTo) ligger före startdatumet \(validFrom).")
        }
        let regi: Regi?
        switch ImportColumn.normalise(value(.regi)) {
        case "": regi = nil
        case "kommunal", "kommun", "egenregi", "k": regi = .municipal
        case "privat", "enskild", "p", "extern": regi = .private
        default: throw fail(.regi, "\"\(value(.regi))\" ska vara kommunal eller privat.")
        }
        let consent: ConsentStatus?
        switch ImportColumn.normalise(value(.samtycke)) {
        case "": consent = nil
        case "ja", "j", "finns", "x": consent = .given
        case "nej", "n", "nekat": consent = .refused
        case "ejtillfragad", "ejfragad", "ejinhamtat", "saknas": consent = .notAsked
        default: throw fail(.samtycke, "\"\(value(.samtycke))\" ska vara ja, nej eller ej tillfrågad.")
        }
        let providerName = value(.utforare)
        func phone(_ column: ImportColumn) throws(RowError) -> String? {
            do {
                return try FieldInput.phone(value(column))
            } catch {
                throw fail(column, error.message)
            }
        }
        let providerContact = value(.utforareKontakt)
        // The provider's phone is checked whether or not a provider is named, and a contact or a
        // phone without the provider's name is said, never dropped.
        let providerPhone = try phone(.utforareTelefon)
        if providerName.isEmpty && (!providerContact.isEmpty || providerPhone != nil) {
            throw fail(.utforare, "utförarens kontakt eller telefon står på raden men inte utförarens namn; skriv utförarens namn.")
        }
        let provider = providerName.isEmpty ? nil : Provider(name: providerName, regi: regi ?? .municipal,
                                                             contact: providerContact.isEmpty ? nil : providerContact,
                                                             phone: providerPhone)
        let planDate = try date(.genomforandeplan)
        let decision = Decision(
            id: "", law: law, service: service, form: form,
            grantedHours: try hours(.beviljadTid), performedHours: try hours(.utfordTid),
            validFrom: validFrom, validTo: validTo, startedOn: try date(.verkstallt),
            provider: provider, consent: consent, plan: planDate.map { CarePlan(established: $0) },
            closedOn: try date(.avslutat))
        var decided = decision
        decided.decidedOn = try date(.beslutsdatum)
        func freeText(_ column: ImportColumn, limit: Int) throws(RowError) -> String? {
            let text = value(column)
            guard text.count <= limit else { throw fail(column, "texten är längre än \(limit) tecken.") }
            return text.isEmpty ? nil : text
        }
        decided.notCarriedOut = try freeText(.ejVerkstalltDel, limit: 200)
        decided.delayReason = try freeText(.skalDrojsmal, limit: 1000)
        decided.consequences = try freeText(.konsekvenser, limit: 1000)
        do {
            decided.offers = try VerkstallighetCells.parseOffers(value(.erbjudanden), today: today)
        } catch {
            throw fail(.erbjudanden, error.message)
        }
        do {
            decided.interruptions = try VerkstallighetCells.parseInterruptions(value(.avbrott), today: today)
        } catch {
            throw fail(.avbrott, error.message)
        }
        // A decision is made before it applies, and not decades before (1900-01-01 is a typo or a
        // default value, and would make the IVO report say 46,000 days).
        if let day = decided.decidedOn, day > validFrom {
            throw fail(.beslutsdatum, "beslutsdatumet \(day) ligger efter att beslutet började gälla (\(validFrom)); kontrollera kolumnerna.")
        }
        if let day = decided.decidedOn, day < validFrom.adding(months: -24) {
            throw fail(.beslutsdatum, "beslutsdatumet \(day) ligger mer än två år före att beslutet började gälla (\(validFrom)); kontrollera datumet.")
        }
        // A note may span lines (quoted in the CSV); they are kept, other control characters not.
        let note = columns[.anteckning].flatMap { $0 < record.fields.count ? record.fields[$0] : nil }
            .map { TerminalText.sanitizeKeepingLines($0.replacingOccurrences(of: "\r\n", with: "\n"))
                .trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { cell in
                guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first,
                      "=+-@".unicodeScalars.contains(second) else { return cell }
                return String(cell.dropFirst())
            } ?? ""
        var row = Row(line: line, personnummer: personnummer, name: name, decision: decided,
                      lastFollowUp: try date(.senasteUppfoljning), note: note.isEmpty ? nil : note,
                      given: Set(columns.keys))
        func text(_ column: ImportColumn) -> String? {
            let text = value(column)
            return text.isEmpty ? nil : text
        }
        do {
            row.address = Address(street: text(.adress), postcode: try FieldInput.postcode(value(.postnummer)), town: text(.ort))
        } catch {
            throw fail(.postnummer, error.message)
        }
        for (column, label) in [(ImportColumn.telefon, Phone.own), (.telefonAnhorig, Phone.relative), (.telefonGodMan, Phone.guardian)] {
            if let number = try phone(column) { row.phones.append(Phone(label: label, number: number)) }
        }
        row.doorCode = text(.portkod)
        row.access = text(.tilltrade)
        // A personnummer where a name or a word belongs is refused; in free text it is kept (the
        // case screen shows it) but said, since free text travels to reports and letters.
        for column in [ImportColumn.namn, .insats, .lag, .beslutsform, .utforare, .regi, .samtycke, .adress, .ort]
        where Personnummer.occurs(in: value(column)) {
            throw fail(column, "cellen innehåller ett personnummer; det hör hemma i kolumnen personnummer.")
        }
        for column in [ImportColumn.anteckning, .skalDrojsmal, .konsekvenser, .ejVerkstalltDel, .erbjudanden, .avbrott,
                       .tilltrade, .utforareKontakt, .portkod] where Personnummer.occurs(in: value(column)) {
            row.warnings.append("rad \(line), kolumnen \(names[column] ?? column.rawValue): fältet innehåller ett personnummer; skriv det inte här (det följer med till rapporter).")
        }
        switch ImportColumn.normalise(value(.skyddad)) {
        case "": row.protectedIdentity = nil
        case "ja", "j", "x", "1", "skyddad": row.protectedIdentity = true
        case "nej", "n", "0": row.protectedIdentity = false
        default: throw fail(.skyddad, "\"\(value(.skyddad))\" ska vara ja eller nej.")
        }
        return row
    }

    typealias Record = CSVReader.Record

    // MARK: Merging

    /// A row's decision is the same decision as a stored one when the service and first valid day agree.
    static func sameDecision(_ a: Decision, _ b: Decision) -> Bool {
        a.validFrom == b.validFrom && ServiceCatalog.normalise(a.service) == ServiceCatalog.normalise(b.service)
    }

    static func merge(_ row: Row, into caseload: inout Caseload, report: inout Report, positions: inout [String: Int]) {
        let clientIndex: Int
        if let index = positions[row.personnummer.digits] {
            clientIndex = index
        } else {
            let id = caseload.makeID("c")
            caseload.clients.append(Client(id: id, name: row.name, personnummer: row.personnummer))
            clientIndex = caseload.clients.count - 1
            positions[row.personnummer.digits] = clientIndex
            report.newClients += 1
        }
        var client = caseload.clients[clientIndex]
        if let note = row.note, !(client.notes ?? "").contains(note) {
            client.notes = client.notes.map { $0 + "\n" + note } ?? note
        }
        if !row.address.isEmpty {
            var address = client.address ?? Address()
            address.street = row.address.street ?? address.street
            address.postcode = row.address.postcode ?? address.postcode
            address.town = row.address.town ?? address.town
            client.address = address
        }
        for phone in row.phones {
            client.phones.removeAll { $0.label == phone.label }
            client.phones.append(phone)
        }
        if let code = row.doorCode { client.doorCode = code }
        if let access = row.access { client.access = access }
        if let flag = row.protectedIdentity { client.protectedIdentity = flag }
        let decisionID: String
        if let index = client.decisions.firstIndex(where: { sameDecision($0, row.decision) }) {
            let before = client.decisions[index]
            let after = updated(before, from: row)
            decisionID = before.id
            if after != before {
                client.decisions[index] = after
                report.updatedDecisions += 1
            } else {
                report.unchangedDecisions += 1
            }
        } else {
            var decision = row.decision
            decision.id = caseload.makeID("d")
            if row.assumeStarted && decision.startedOn == nil {
                decision.startedOn = decision.validFrom
                report.assumedStarted += 1
            }
            decisionID = decision.id
            client.decisions.append(decision)
            report.newDecisions += 1
        }
        if let date = row.lastFollowUp, let existing = client.followUps.firstIndex(where: { $0.date == date }) {
            // One visit followed up several decisions (R8): it covers this one too.
            if let ids = client.followUps[existing].decisionIDs, !ids.contains(decisionID) {
                client.followUps[existing].decisionIDs = ids + [decisionID]
            }
        } else if let date = row.lastFollowUp {
            // The list does not say how it was done; a home visit is the main rule (seed 001).
            client.followUps.append(FollowUp(
                id: caseload.makeID("f"), date: date, form: .homeVisit, trigger: .ownPlan,
                notes: "Importerad från lista", decisionIDs: [decisionID]))
            report.newFollowUps += 1
        }
        caseload.clients[clientIndex] = client
    }

    /// The stored decision with the row's values for the columns the file has.
    static func updated(_ stored: Decision, from row: Row) -> Decision {
        var result = stored
        let new = row.decision
        let given = row.given
        if given.contains(.lag) { result.law = new.law }
        if given.contains(.beslutsform) { result.form = new.form }
        if given.contains(.beviljadTid) { result.grantedHours = new.grantedHours }
        if given.contains(.utfordTid) { result.performedHours = new.performedHours }
        if given.contains(.beslutTill) { result.validTo = new.validTo }
        if given.contains(.verkstallt) { result.startedOn = new.startedOn }
        if given.contains(.beslutsdatum) { result.decidedOn = new.decidedOn }
        if given.contains(.ejVerkstalltDel) { result.notCarriedOut = new.notCarriedOut }
        if given.contains(.skalDrojsmal) { result.delayReason = new.delayReason }
        if given.contains(.konsekvenser) { result.consequences = new.consequences }
        // Offers and interruptions are added and updated by the list, never removed by it: an empty
        // cell means nothing new (as a missing column does), and one reported to IVO must not vanish
        // with a re-import. Removing one is done in the app.
        if given.contains(.erbjudanden) {
            for offer in new.offers {
                if let index = result.offers.firstIndex(where: { $0.on == offer.on }) {
                    result.offers[index] = offer
                } else {
                    result.offers.append(offer)
                }
            }
        }
        if given.contains(.avbrott) {
            for item in new.interruptions {
                if let index = result.interruptions.firstIndex(where: { $0.from == item.from }) {
                    // What IVO was told about an interruption stays with it.
                    var kept = item
                    kept.ivoReported = result.interruptions[index].ivoReported
                    kept.ivoClosingReported = result.interruptions[index].ivoClosingReported
                    result.interruptions[index] = kept
                } else {
                    result.interruptions.append(item)
                }
            }
        }
        if given.contains(.utforare) {
            if let provider = new.provider {
                var merged = provider
                if !given.contains(.regi), let old = stored.provider { merged.regi = old.regi }
                merged.caseSystemAccess = stored.provider?.caseSystemAccess
                if !given.contains(.utforareKontakt) { merged.contact = stored.provider?.contact }
                if !given.contains(.utforareTelefon) { merged.phone = stored.provider?.phone }
                result.provider = merged
            } else {
                result.provider = nil
            }
        }
        if given.contains(.samtycke) { result.consent = new.consent }
        if given.contains(.avslutat) { result.closedOn = new.closedOn }
        if given.contains(.genomforandeplan) {
            var plan = stored.plan ?? CarePlan()
            plan.established = new.plan?.established
            result.plan = plan == CarePlan() ? nil : plan
        }
        return result
    }
}
