import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Skriv ut ärendelistan som kalender, kalkylark eller JSON.",
        subcommands: [ExportICS.self, ExportCSV.self, ExportJSON.self, ExportRegisterutdrag.self])
}

/// Where an export goes: a file (replaced atomically, readable by you only) or standard output.
struct ExportOutput: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Skriv till en fil (annars till standard ut).", valueName: "FILE"))
    var output: String?

    /// A quarterly report in the chosen format: text, CSV for Swedish Excel (BOM, semicolons,
    /// CRLF) or JSON.
    func write(_ format: ReportCommand.ReportFormat, text: () -> String, csvRows: () -> [[String]], json: () -> [String: Any],
               environment: [String: String]) throws {
        switch format {
        case .text: try write(text(), environment: environment)
        case .csv:
            let lines = csvRows().map { $0.map { CSVField.escape($0) }.joined(separator: ";") }
            try write("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n", environment: environment)
        case .json:
            let data = (try? JSONSerialization.data(withJSONObject: json(), options: [.prettyPrinted, .sortedKeys])) ?? Data()
            try write(String(decoding: data, as: UTF8.self) + "\n", environment: environment)
        }
    }

    func write(_ text: String, environment: [String: String]) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            let path = try DocumentFile.write(text, to: output, environment: environment, replacing: true)
            FileHandle.standardError.write(Data("Skrev \(path).\n".utf8))
        } catch {
            throw UserFacingError(message: error.message)
        }
    }
}

struct ExportICS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ics",
        abstract: "Öppna bevakningar och planerade uppföljningar som kalender (Outlook, Thunderbird, Google).",
        discussion: "Visar bara initialer och insats, aldrig personnummer. Samma bevakning får samma UID varje gång, så en ny import uppdaterar i stället för att dubblera.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    @Option(help: ArgumentHelp("Från och med (ÅÅÅÅ-MM-DD, idag, -30d …; standard idag).", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Till och med (standard ett år fram).", valueName: "DATE"))
    var to: String?

    @Flag(help: "Hela namn och egna bevakningars text i kalendern (delade kalendrar: tänk efter).")
    var fullNames = false

    func run() throws {
        let context = try Context(global)
        let from = try parseDate(self.from, option: "--from", today: context.today) ?? context.today
        let to = try parseDate(self.to, option: "--to", today: context.today) ?? context.today.adding(months: 12)
        guard from <= to else {
            throw UserFacingError(message: "--from \(from) ligger efter --to \(to).")
        }
        let stamp = global.today != nil || context.environment["BEVAKA_TODAY"].map({ !$0.isEmpty }) == true
            ? context.today.description.replacingOccurrences(of: "-", with: "") + "T000000Z"
            : ExportICS.utcStamp(Date())
        // With full names the calendar carries personal data: on the shared store that is an export, logged.
        let caseload = fullNames ? try context.readCaseloadForExport() : try context.readCaseload()
        let text = CalendarExport.ics(caseload: caseload, routines: context.routines,
                                      today: context.today,
                                      options: .init(from: from, to: to, fullNames: fullNames, stamp: stamp))
        try destination.write(text, environment: context.environment)
    }

    static func utcStamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

/// A date option: the same forms as in the app (`2026-12-01`, `20261201`, `idag`, `+2v`, `-3d`).
func parseDate(_ text: String?, option: String, today: Day) throws -> Day? {
    guard let text else { return nil }
    do {
        return try FieldInput.date(text, today: today, required: true)
    } catch {
        throw UserFacingError(message: "\(option) \(error.message)")
    }
}

struct ExportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Ärendelistan i importformatet (semikolon, UTF-8 med BOM för svenska Excel).",
        discussion: "Innehåller hela personnummer: spara filen där bara du kommer åt den. `bevaka import` läser tillbaka den.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    func run() throws {
        let context = try Context(global)
        let result = CaseloadExport.csv(try context.readCaseloadForExport())
        try destination.write(result.text, environment: context.environment)
        if result.peopleLeftOut > 0 {
            FileHandle.standardError.write(Data("\(result.peopleLeftOut) personer utan beslut kom inte med (formatet har en rad per beslut); använd export json för allt.\n".utf8))
        }
    }
}

struct ExportJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json", abstract: "Hela ärendelistan som lagringsfilens JSON-dokument (docs/store-format.md).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    func run() throws {
        let context = try Context(global)
        var caseload = try context.readCaseloadForExport()
        // A person with protected identity leaves without the way to the door (it stays in Bevaka).
        for index in caseload.clients.indices where caseload.clients[index].protectedIdentity {
            caseload.clients[index].withoutContactDetails()
        }
        let data = try StoreCodec.encode(caseload)
        try destination.write(String(decoding: data, as: UTF8.self), environment: context.environment)
    }
}

/// `bevaka export registerutdrag PERSONNUMMER`: everything Bevaka holds about one person (GDPR
/// art. 15), readable, with where each part comes from; nothing about anyone else. On the shared
/// store the manager or the owner makes it, and every read for it is logged.
struct ExportRegisterutdrag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registerutdrag",
        abstract: "Registerutdrag: allt Bevaka har om en person (dataskyddsförordningen art. 15), och inget om någon annan.",
        discussion: """
            Innehåller personnummer, kontaktuppgifter, portkod, checklistans svar och anteckningar: skriv det till en \
            fil (--output, läsbar bara för dig) och lämna ut det som kommunens rutin säger. I den delade ärendelistan \
            gör enhetschefen eller databasens ägare utdraget; uppslaget och läsningen loggas, och utdraget tar med \
            åtkomstloggens rader om ärendet. Personakten i verksamhetssystemet lämnas ut därifrån.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    @Argument(help: ArgumentHelp("Personens personnummer eller samordningsnummer.", valueName: "PERSONNUMMER"))
    var personnummer: String

    func run() throws {
        let context = try Context(global)
        let wanted = try context.personnummer(personnummer)
        let client: Client
        var log: [Registerutdrag.LogLine]?
        if !global.demo, let store = try context.store() as? PostgresStore {
            // The database refuses a handläggare anyway; say so in a sentence first.
            if try storeCall({ () throws(StoreError) in try store.whoAmI() }).kind == .handlaggare {
                throw UserFacingError(message: "Registerutdrag ur den delade ärendelistan görs av enhetschefen eller databasens ägare "
                                      + "(uppslaget och läsningen loggas). Be enhetschefen ta fram det.")
            }
            let found = try storeCall { () throws(StoreError) in try store.registerutdrag(wanted) }
            guard let found else { throw ExportRegisterutdrag.notFound(wanted) }
            client = found.client
            let names = Dictionary(try storeCall { () throws(StoreError) in try store.staff() }.map { ($0.role, $0.name) },
                                   uniquingKeysWith: { first, _ in first })
            log = found.log.map { row in
                Registerutdrag.LogLine(at: DbAuditCommand.localTime(row.at), who: names[row.who] ?? row.who,
                                       what: DbAuditCommand.action(row.action) + (row.detail.map { " (\($0))" } ?? ""))
            }
        } else {
            guard let found = try context.readCaseload().clients.first(where: { $0.personnummer.digits == wanted.digits }) else {
                throw ExportRegisterutdrag.notFound(wanted)
            }
            client = found
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let stored = (try? encoder.encode(client)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text = Registerutdrag.text(client, routines: context.routines, today: context.today, stored: stored, log: log)
        try destination.write(text, environment: context.environment)
    }

    static func notFound(_ personnummer: Personnummer) -> UserFacingError {
        UserFacingError(message: "Ingen med personnumret \(personnummer.masked) finns i Bevaka; det finns inget att lämna ut härifrån.")
    }
}

/// `bevaka rapport [enhet] …` (the unit report, the default) and `bevaka rapport ivo …`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Rapporter: enhetsrapporten (standard), kvartalsrapporten till IVO och statistiken till kommunfullmäktige.",
        subcommands: [UnitReportCommand.self, IVOReportCommand.self, StatisticsReportCommand.self],
        defaultSubcommand: UnitReportCommand.self)

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }
}

/// The reports' `--format text|csv|json`, checked once for all three.
struct ReportFormatOption: ParsableArguments {
    @Option(help: ArgumentHelp("text, csv eller json.", valueName: "text|csv|json"),
            completion: .list(ReportCommand.ReportFormat.allValueStrings))
    var format = "text"

    func validate() throws {
        let _: ReportCommand.ReportFormat = try ArgumentRule.choice(format, option: "--format")
    }

    /// `--format` as its value (validate() has checked it).
    var chosen: ReportCommand.ReportFormat { ReportCommand.ReportFormat(rawValue: format) ?? .text }
}

struct UnitReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enhet",
        abstract: "Enhetsrapport utan personuppgifter: uppföljningar per månad, försenade, planer, tidsavvikelser.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Vilket år (annars innevarande).", valueName: "YYYY"))
    var year: String?

    @OptionGroup var format: ReportFormatOption

    func validate() throws {
        _ = try ArgumentRule.year(year)
    }

    func run() throws {
        let context = try Context(global)
        let year = try ArgumentRule.year(self.year) ?? context.today.year
        let (caseload, unit) = try context.readCaseloadInUnit()
        // On the shared store: the whole (visible) unit first, then one report per handläggare.
        var parts: [(title: String?, report: UnitReport)] = [
            (nil, UnitReport.make(caseload: caseload, routines: context.routines, year: year, today: context.today))]
        if let unit {
            let owners = Set(unit.owners.values)
            if owners.count > 1 || unit.kind != .handlaggare {
                for owner in owners.sorted(by: { unit.shortName($0) < unit.shortName($1) }) {
                    let own = Caseload(clients: caseload.clients.filter { unit.owners[$0.id] == owner })
                    parts.append((TerminalText.sanitize(unit.names[owner] ?? owner),
                                  UnitReport.make(caseload: own, routines: context.routines, year: year, today: context.today)))
                }
            }
        }
        switch format.chosen {
        case .text:
            for (index, part) in parts.enumerated() {
                if let title = part.title { print("\nHandläggare: \(title)") } else if index > 0 { print("") }
                print(part.report.text(), terminator: "")
            }
        case .csv:
            var lines: [String] = []
            for (index, part) in parts.enumerated() {
                for (row, fields) in part.report.csvRows().enumerated() {
                    if row == 0 && index > 0 { continue }
                    let who = row == 0 ? "handläggare" : (part.title ?? "hela enheten")
                    lines.append(([who] + fields).joined(separator: ";"))
                }
            }
            print("\u{FEFF}" + lines.joined(separator: "\r\n"), terminator: "\r\n")
        case .json:
            var object = parts[0].report.jsonObject()
            if parts.count > 1 {
                object["handläggare"] = parts.dropFirst().map { part -> [String: Any] in
                    var one = part.report.jsonObject()
                    one["namn"] = part.title ?? ""
                    return one
                }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// `bevaka rapport ivo --kvartal 2026-3 [--format text|csv|json] [--markera-skickad]`: the quarterly
/// report of decisions not carried out within three months and interruptions not resumed (R11, R12).
struct IVOReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ivo",
        abstract: "Kvartalsrapport till IVO och revisorerna: ej verkställda beslut och avbrott (nya, fortsatta, avslutande), med personnummer.",
        discussion: """
            34 kap. 1–2 §§ SoL (2025:400), 28 f–g §§ LSS. IVO:s e-tjänst väljer personen med personnummer \
            (eller samordningsnummer), så rapporten har det i klartext; den som saknar svenskt personnummer får \
            IVO:s form ÅÅÅÅMMDD-T###. Skriv rapporten till en fil med --output (läsbar bara för dig) och skicka den \
            aldrig med e-post. Utan --kvartal: det senaste kvartalet som har slutat; ett kvartal som pågår ger en \
            preliminär sammanställning.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    @Option(name: .customLong("kvartal"), help: ArgumentHelp("Kvartalet, t.ex. 2026-3 eller 2026-Q3 (standard: det senaste som har slutat).",
                                                             valueName: "ÅÅÅÅ-K"))
    var quarter: String?

    @OptionGroup var format: ReportFormatOption

    @Flag(name: .customLong("markera-skickad"),
          help: "Anteckna att kvartalets rapport är skickad, så att nästa kvartal vet vad som är fortsatt och avslutat.")
    var markSent = false

    func validate() throws {
        _ = try Quarter.argument(quarter)
        if global.demo && markSent {
            throw ArgumentRule(message: "Med --demo sparas ingenting; --markera-skickad gäller din egen ärendelista.")
        }
    }

    func run() throws {
        let context = try Context(global)
        let quarter = try Quarter.argument(self.quarter) ?? Quarter(containing: context.today).previous
        // A quarter that has not ended gives what is known so far, marked as such; it is not sent.
        let preliminary = quarter.last >= context.today
        if preliminary && markSent {
            throw UserFacingError(message: "Kvartal \(quarter.number) \(quarter.year) är inte slut än (det slutar \(quarter.last)); rapporten till IVO görs och markeras som skickad under rapportperioden efter kvartalet.")
        }
        var caseload: Caseload
        var store: (any CaseloadStore)?
        var shutDownAtEnd: (any CaseloadStore)?
        defer { shutDownAtEnd?.shutDown() }
        // Reading the report needs no write lock: with the app open, identifiers still missing are
        // made (they are made the same way every time) and kept at the next run that may write.
        var readOnly = false
        if global.demo {
            caseload = DemoCaseload.make(today: context.today)
        } else {
            let opened = try context.store()
            shutDownAtEnd = opened
            do {
                try opened.prepareForWriting()
            } catch {
                guard case .locked(let path) = error else { throw UserFacingError(message: error.message) }
                if markSent {
                    throw UserFacingError(message: "Ärendelistan \(path) är öppen i Bevaka. Markera kvartalet som skickat där "
                        + "(Översikt, avsnittet om IVO: r) eller stäng programmet och kör kommandot igen; ingenting är ändrat.")
                }
                readOnly = true
            }
            do {
                guard let loaded = try opened.load() else { throw Context.noCaseload(at: opened.location) }
                caseload = loaded
            } catch let error as StoreError {
                throw UserFacingError(message: error.message)
            }
            // The manager (huvudrapportören's unit): the whole unit's report, each decision once.
            if let shared = opened as? PostgresStore, shared.planningOnly {
                try unitReport(shared, planning: caseload, quarter: quarter, preliminary: preliminary, context: context)
                return
            }
            store = readOnly ? nil : opened
        }
        var report = IVOReport.make(caseload: caseload, routines: context.routines, quarter: quarter)
        report.preliminary = preliminary
        // Identifiers are made once per person and kept: the store is saved when one is new.
        let madeIdentifiers = IVOReport.assignIdentifiers(&report, caseload: &caseload)
        if markSent { IVOReport.markSent(report, in: &caseload) }
        if let store, madeIdentifiers || markSent {
            do {
                _ = try store.saveChanges(caseload)
            } catch {
                throw UserFacingError(message: error.message + " Rapporten skrevs inte ut; kör kommandot igen.")
            }
        }
        try destination.write(format.chosen, text: report.text, csvRows: report.csvRows, json: report.jsonObject,
                              environment: context.environment)
        if markSent {
            FileHandle.standardError.write(Data("Kvartal \(quarter.number) \(quarter.year) är markerat som skickat till IVO (\(report.entries.count) rader).\n".utf8))
        }
        if readOnly && madeIdentifiers {
            FileHandle.standardError.write(Data("Ärendelistan är öppen i Bevaka: nya IVO-id sparas nästa gång rapporten tas fram när den inte är öppen (de blir desamma).\n".utf8))
        }
    }
}

extension IVOReportCommand {
    /// The unit's report, made by the manager from the planning data: the cases with something to
    /// report are read whole (each read logged, "IVO-rapport"), the report made from them and
    /// grouped by handläggare; `--markera-skickad` marks it sent for the unit.
    func unitReport(_ store: PostgresStore, planning: Caseload, quarter: Quarter, preliminary: Bool, context: Context) throws {
        let named = IVOReport.make(caseload: planning, routines: context.routines, quarter: quarter)
        var seen = Set<String>()
        let ids = named.entries.map(\.clientID).filter { seen.insert($0).inserted }
        let read: [(client: Client, handlaggare: String)]
        do {
            read = try store.readForUnitIVOReport(ids)
        } catch {
            throw UserFacingError(message: error.message)
        }
        var whole = Caseload(clients: read.map(\.client))
        var report = IVOReport.make(caseload: whole, routines: context.routines, quarter: quarter)
        report.preliminary = preliminary
        // IVO's T-form for people without a Swedish personnummer: the handläggare's stored one,
        // or the one their next report makes (the same, made the same way); nothing is saved here.
        IVOReport.assignIdentifiers(&report, caseload: &whole)
        report.retiredIdentifiers = 0
        report.forUnit(owners: Dictionary(read.map { ($0.client.id, $0.handlaggare) }, uniquingKeysWith: { first, _ in first }))
        if markSent {
            do {
                _ = try store.markUnitIVOReportSent(report)
            } catch {
                throw UserFacingError(message: error.message + " Rapporten skrevs inte ut och ingenting markerades; kör kommandot igen.")
            }
        }
        try destination.write(format.chosen, text: report.text, csvRows: report.csvRows, json: report.jsonObject,
                              environment: context.environment)
        if markSent {
            FileHandle.standardError.write(Data("Kvartal \(quarter.number) \(quarter.year) är markerat som skickat till IVO för hela enheten (\(report.entries.count) rader).\n".utf8))
        }
    }
}

/// `bevaka rapport statistik [--kvartal ÅÅÅÅ-K] [--format text|csv|json]`: the quarterly
/// de-identified statistics to kommunfullmäktige (34 kap. 3 § SoL (2025:400), 28 h § LSS) for the
/// caseload the user sees: a handläggare their own, the unit manager the whole unit (from the
/// planning data, which keeps the birth date and the sex digit's parity, nothing else).
struct StatisticsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statistik",
        abstract: "Statistik till kommunfullmäktige: ej verkställda beslut och avbrott per lag, insats, tid och kön (avidentifierad).",
        discussion: """
            34 kap. 3 § SoL (2025:400), 28 h § LSS. Bara antal: inga namn, personnummer, id eller fritext; en insats \
            som inte finns i katalogen räknas som "annan insats". Handläggaren får sin egen ärendelista, enhetschefen \
            hela enhetens. Utan --kvartal: det senaste kvartalet som har slutat.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: ExportOutput

    @Option(name: .customLong("kvartal"), help: ArgumentHelp("Kvartalet, t.ex. 2026-3 (standard: det senaste som har slutat).",
                                                             valueName: "ÅÅÅÅ-K"))
    var quarter: String?

    @OptionGroup var format: ReportFormatOption

    func validate() throws {
        _ = try Quarter.argument(quarter)
    }

    func run() throws {
        let context = try Context(global)
        let quarter = try Quarter.argument(self.quarter) ?? Quarter(containing: context.today).previous
        var report = StatisticsReport.make(caseload: try context.readCaseload(), routines: context.routines, quarter: quarter)
        report.preliminary = quarter.last >= context.today
        try destination.write(format.chosen, text: report.text, csvRows: report.csvRows, json: report.jsonObject,
                              environment: context.environment)
    }
}

extension Quarter {
    /// `--kvartal`: the quarter named (nil: none was, and the command takes the last that has ended).
    static func argument(_ text: String?) throws(ArgumentRule) -> Quarter? {
        guard let text else { return nil }
        guard let parsed = Quarter(parsing: text) else {
            throw ArgumentRule(message: "Kvartalet \"\(TerminalText.sanitize(text))\" går inte att läsa; skriv år (\(Quarter.years.lowerBound)–\(Quarter.years.upperBound)) och kvartal 1–4, t.ex. --kvartal 2026-3.")
        }
        return parsed
    }
}
