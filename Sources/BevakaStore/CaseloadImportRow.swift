import BevakaDomain
import Foundation

/// One row of an import list read into a person and a decision, each cell checked.
extension CaseloadImport {
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

        func withoutSwedishNumber(name: String) throws(RowError) -> Personnummer {
            guard let born = try date(.fodelsedatum) else {
                throw fail(.fodelsedatum, "födelsedatum saknas (personnumret är tomt; en person utan svenskt personnummer behöver födelsedatum och kön).")
            }
            guard born <= today else { throw fail(.fodelsedatum, "födelsedatumet ligger i framtiden.") }
            guard born.year >= today.year - 130 else { throw fail(.fodelsedatum, "födelsedatumet ligger mer än 130 år tillbaka.") }
            let sex: Personnummer.Sex
            switch ServiceCatalog.normalise(value(.kon)) {
            case "kvinna", "k", "kvinnlig", "flicka", "f": sex = .woman
            case "man", "m", "manlig", "pojke", "p": sex = .man
            case "": throw fail(.kon, "kön saknas (kvinna eller man; personnumret är tomt, så IVO-rapporten och statistiken behöver det).")
            default: throw fail(.kon, "\"\(value(.kon))\" är inget kön Bevaka känner; skriv kvinna eller man.")
            }
            let reserve = value(.reservnummer)
            if Personnummer.occurs(in: reserve) {
                throw fail(.reservnummer, "cellen innehåller ett personnummer; det hör hemma i kolumnen personnummer.")
            }
            if !reserve.isEmpty, Personnummer.normalisedReservnummer(reserve) == nil {
                throw fail(.reservnummer, "reservnumret ska ha bokstäver eller siffror, högst \(Personnummer.reservnummerLimit).")
            }
            return Personnummer.withoutSwedishNumber(born: born, sex: sex, reservnummer: reserve.isEmpty ? nil : reserve, name: name)
        }
        let name = value(.namn)
        let personnummer: Personnummer
        if value(.personnummer).isEmpty, !(value(.fodelsedatum).isEmpty && value(.kon).isEmpty && value(.reservnummer).isEmpty) {
            // A person without a Swedish personnummer: the birth date and the sex identify them,
            // with the reservnummer when there is one (else the name).
            personnummer = try withoutSwedishNumber(name: name)
        } else {
            do {
                personnummer = try Personnummer.parse(value(.personnummer), today: today)
            } catch {
                throw fail(.personnummer, error == .empty
                    ? "personnummer saknas (för en person utan svenskt personnummer: fyll i fodelsedatum och kon, och reservnummer om det finns)."
                    : error.message)
            }
        }
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
        decided.orderConfirmedOn = try date(.bestallningBekraftad)
        decided.escalatedOn = try date(.eskalerad)
        for column in [ImportColumn.bestallningBekraftad, .eskalerad] {
            if let answered = try date(column), answered > today { throw fail(column, "datumet \(answered) ligger i framtiden.") }
        }
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
        // An optional date that cannot be read (the last follow-up) costs that cell only: the
        // decision is kept and the row says so (issue 35, item 7).
        var lastFollowUp: Day?
        var unreadFollowUp: String?
        do {
            lastFollowUp = try date(.senasteUppfoljning)
        } catch {
            // The row's error as it would have been said (masked), and what was kept.
            unreadFollowUp = error.message + " Beslutet lästes in utan den senaste uppföljningen."
        }
        var row = Row(line: line, personnummer: personnummer, name: name, decision: decided,
                      lastFollowUp: lastFollowUp, note: note.isEmpty ? nil : note,
                      given: Set(columns.keys))
        if let unreadFollowUp { row.warnings.append(unreadFollowUp) }
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
        // Loosely: anything shaped like one (a wrong check digit too) — an insats or a provider
        // travels to calendars and reports (issue 35, item 8).
        for column in [ImportColumn.namn, .insats, .lag, .beslutsform, .utforare, .regi, .samtycke, .adress, .ort]
        where Personnummer.occurs(in: value(column), loosely: true) {
            throw fail(column, "cellen innehåller något som ser ut som ett personnummer; det hör hemma i kolumnen personnummer.")
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
}
