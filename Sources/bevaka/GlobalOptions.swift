import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

/// Options every subcommand takes, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Ärendelistans fil (annars BEVAKA_STORE eller ~/.local/share/bevaka/caseload.json).", valueName: "PATH"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Räkna som om idag vore detta datum (annars BEVAKA_TODAY).", valueName: "YYYY-MM-DD"))
    var today: String?

    @Flag(name: .long, help: "Använd en inbyggd påhittad ärendelista; din egen rörs inte.")
    var demo = false

    @Flag(name: .long, help: "Visa hela personnummer i listor (annars maskerade).")
    var showPersonnummer = false
}

/// The global options' values, apart from how they were parsed (`GlobalOptions` by ArgumentParser,
/// or `AgendaCommand.fastArguments` for the start-up of `bevaka agenda`).
struct GlobalValues: Equatable {
    var store: String?
    var today: String?
    var demo = false
    var showPersonnummer = false
}

extension GlobalOptions {
    var values: GlobalValues {
        GlobalValues(store: store, today: today, demo: demo, showPersonnummer: showPersonnummer)
    }
}

/// A failure reported to the user as one Swedish sentence on stderr.
struct UserFacingError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 1
    var description: String { message }
}

/// What a command needs, resolved from the options and the environment.
struct Context {
    var today: Day
    var routines: RoutineSet
    var environment: [String: String]
    var options: GlobalValues

    init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(values: options.values, environment: environment)
    }

    init(values options: GlobalValues, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.options = options
        self.environment = environment
        if let text = options.today ?? environment["BEVAKA_TODAY"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let day = Day(iso: text) else {
                throw UserFacingError(message: "Datumet \"\(TerminalText.sanitize(text))\" är ogiltigt; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2026-11-22.")
            }
            // The same years a typed date may have: a year 1 "today" makes every year suggestion absurd.
            guard FieldInput.years.contains(day.year) else {
                throw UserFacingError(message: "Datumet \(text) (--today) har ett orimligt år; skriv ett datum mellan \(FieldInput.years.lowerBound) och \(FieldInput.years.upperBound), t.ex. 2026-11-22.")
            }
            today = day
        } else {
            today = Context.stockholmToday()
        }
        do {
            routines = try ProfileFile.load(environment: environment)
        } catch {
            throw UserFacingError(message: error.message)
        }
    }

    /// Dates are calendar dates in Europe/Stockholm: the zone's offset at `now` added to the
    /// seconds since 1970, in whole days. (A `Calendar` says the same — CLITests compares them
    /// hour by hour over years with their clock changes — but setting one up costs a short
    /// command about a millisecond.)
    static func stockholmToday(now: Date = Date()) -> Day {
        let zone = TimeZone(identifier: "Europe/Stockholm") ?? .current
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: now)
        let (days, rest) = seconds.quotientAndRemainder(dividingBy: 86_400)
        return Day(dayNumber: rest < 0 ? days - 1 : days)
    }

    /// The store the options name: a `postgresql://` URL is the unit's database, anything else a file.
    func store() throws -> any CaseloadStore {
        let location: String
        do {
            location = try StoreLocation.configured(explicit: options.store, environment: environment)
        } catch {
            throw UserFacingError(message: error.message)
        }
        if PostgresLocation.isPostgres(location) {
            do {
                return PostgresStore(try PostgresLocation(location, environment: environment),
                                     recoveryFolder: StoreLocation.dataFolder(environment).appendingPathComponent("recovery"))
            } catch {
                throw UserFacingError(message: error.message)
            }
        }
        return FileStore(url: URL(fileURLWithPath: location))
    }

    /// The caseload for an export with personal data: from the shared store it is read through the
    /// database's logging function, so every person exported is in the access log.
    func readCaseloadForExport() throws -> Caseload {
        if !options.demo, let store = try self.store() as? PostgresStore {
            do {
                return try store.loadForExport()
            } catch {
                throw UserFacingError(message: error.message)
            }
        }
        return try readCaseload()
    }

    /// The caseload and, on the shared store, who the user is and whose each case is.
    func readCaseloadInUnit() throws -> (Caseload, UnitContext?) {
        if options.demo { return (DemoCaseload.make(today: today), nil) }
        let store = try self.store()
        do {
            guard let caseload = try store.load() else {
                throw Context.noCaseload(at: store.location)
            }
            return (caseload, store.unitContext())
        } catch let error as StoreError {
            throw UserFacingError(message: error.message)
        }
    }

    /// The agenda's entries, sorted. A file store is read a piece at a time and each person's
    /// bevakningar computed as they are read, so the whole caseload is never held (measured:
    /// memory a fraction of the file's size); the demo and the shared store are read whole.
    /// With `reasons` false the rules' reasons are left empty: for the text table, which does not
    /// show them.
    func agendaEntries(days: Int, reasons: Bool = true) throws -> [AgendaEntry] {
        if !options.demo, let file = try store() as? FileStore {
            var entries: [AgendaEntry] = []
            do {
                let found = try file.scan(restart: { entries = [] }) { clients in
                    entries += Agenda.unsortedEntries(clients, routines: routines, today: today, days: days, reasons: reasons)
                }
                guard found else { throw Context.noCaseload(at: file.path) }
            } catch let error as StoreError {
                throw UserFacingError(message: error.message)
            }
            Agenda.sort(&entries)
            return entries
        }
        return Agenda.entries(caseload: try readCaseload(), routines: routines, today: today, days: days, reasons: reasons)
    }

    /// There is no caseload in the store yet: how to make one.
    static func noCaseload(at location: String) -> UserFacingError {
        UserFacingError(message: "Det finns ingen ärendelista i \(location) än. Läs in din lista med \"bevaka import lista.csv\" eller prova \"bevaka --demo\".")
    }

    /// The demo caseload, or the user's store read without taking the writer lock
    /// (saves are atomic renames, so a reader always sees a whole file).
    func readCaseload() throws -> Caseload {
        if options.demo { return DemoCaseload.make(today: today) }
        let store = try self.store()
        do {
            guard let caseload = try store.load() else {
                throw Context.noCaseload(at: store.location)
            }
            return caseload
        } catch let error as StoreError {
            throw UserFacingError(message: error.message)
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// Prints the report in this format; only the chosen one is built.
    func emit(text: () -> String, rows: () -> [Reports.Row]) {
        switch self {
        case .text: print(text(), terminator: "")
        case .json: print(Reports.json(rows()), terminator: "")
        }
    }
}
