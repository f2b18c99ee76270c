import ArgumentParser
import BevakaDomain
import BevakaStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Skriv ut ärendelistan som kalender, kalkylark eller JSON.",
        subcommands: [ExportICS.self, ExportCSV.self, ExportJSON.self])
}

/// Where an export goes: a file (replaced atomically, readable by you only) or standard output.
struct ExportOutput: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Skriv till en fil (annars till standard ut).", valueName: "FILE"))
    var output: String?

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
        let data = try StoreCodec.encode(try context.readCaseloadForExport())
        try destination.write(String(decoding: data, as: UTF8.self), environment: context.environment)
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Enhetsrapport utan personuppgifter: uppföljningar per månad, försenade, planer, tidsavvikelser.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Vilket år (annars innevarande).", valueName: "YYYY"))
    var year: Int?

    @Option(help: "text, csv eller json.")
    var format: ReportFormat = .text

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    func run() throws {
        let context = try Context(global)
        let year = self.year ?? context.today.year
        guard (1900...2200).contains(year) else {
            throw UserFacingError(message: "Året \(year) är orimligt; skriv t.ex. --year \(context.today.year).")
        }
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
        switch format {
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
