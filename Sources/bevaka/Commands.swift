import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda", abstract: "Allt som är försenat och allt som förfaller inom N dagar.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Hur många dagar framåt (0–3660).", valueName: "N"))
    var days = "30"

    @Flag(help: "Bara denna vecka, måndag till söndag (som urvalet \"denna vecka\" i Bevakningar).")
    var week = false

    @Option(help: ArgumentHelp("text eller json.", valueName: "text|json"), completion: .list(OutputFormat.allValueStrings))
    var format = "text"

    static let dayRange = 0...3660

    func validate() throws {
        _ = try request()
    }

    /// The options as values, or the rule they break.
    func request() throws(ArgumentRule) -> Request {
        Request(global: global.values,
                days: try ArgumentRule.number(days, option: "--days", in: Self.dayRange, what: "ett antal dagar"),
                week: week, format: try ArgumentRule.choice(format, option: "--format"))
    }

    func run() throws {
        try AgendaCommand.run(try request())
    }

    /// What `agenda` was asked, however it was parsed.
    struct Request: Equatable {
        var global = GlobalValues()
        var days = 30
        var week = false
        var format = OutputFormat.text
    }

    static func run(_ arguments: Request) throws {
        let days = arguments.days, week = arguments.week, global = arguments.global
        let context = try Context(values: global)
        let today = context.today
        let monday = today.adding(days: 1 - today.weekday), sunday = monday.adding(days: 6)
        let horizon = week ? today.days(until: sunday) : days
        // The text table shows no reasons (a manual bevakning's own text is not a rule's reason).
        var entries = try context.agendaEntries(days: horizon, reasons: arguments.format != .text)
        if week { entries = entries.filter { $0.item.due >= monday && $0.item.due <= sunday } }
        arguments.format.emit(
            text: {
                week ? Reports.weekText(entries, today: today, showPersonnummer: global.showPersonnummer)
                    : Reports.agendaText(entries, today: today, days: days, showPersonnummer: global.showPersonnummer)
            },
            rows: { Reports.agendaRows(entries, today: context.today, showPersonnummer: global.showPersonnummer) })
    }

    /// `bevaka agenda` with the plainest spellings of its options, read without ArgumentParser.
    ///
    /// ArgumentParser builds its view of every command by reflection on first use, and that was a
    /// quarter of `bevaka agenda`'s time on a small caseload (measured: the agenda at 100 people
    /// against taskwarrior's `task next`). ArgumentParser stays the reference: anything not
    /// certain to parse the same — an option given twice, a value that starts with `-` or is
    /// empty, a `--days` that is not plain digits, an unknown format, `--help`, `--`, any other
    /// word, a `--days` outside its range (validate() says why) — gives nil and ArgumentParser parses the line (CLITests compares the two on every
    /// combination of a set of tokens).
    static func fastArguments(_ words: [String]) -> Request? {
        guard words.first == "agenda" else { return nil }
        var result = Request()
        var seen: [String] = []  // a handful of options: no hashing set up for them
        var index = 1
        while index < words.count {
            let word = words[index]
            index += 1
            var name = word, inline: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                inline = String(word[word.index(after: equals)...])
            }
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            func value() -> String? {
                if let inline { return inline.isEmpty ? nil : inline }
                guard index < words.count, !words[index].isEmpty, !words[index].hasPrefix("-") else { return nil }
                index += 1
                return words[index - 1]
            }
            switch name {
            case "--store":
                guard let text = value() else { return nil }
                result.global.store = text
            case "--today":
                guard let text = value() else { return nil }
                result.global.today = text
            case "--days":
                guard let text = value(), !text.hasPrefix("-"), let number = ArgumentRule.wholeNumber(text),
                      dayRange.contains(number) else { return nil }
                result.days = number
            case "--format":
                guard let text = value(), let format = OutputFormat(rawValue: text) else { return nil }
                result.format = format
            case "--week", "--demo", "--show-personnummer":
                guard inline == nil else { return nil }
                if name == "--week" { result.week = true }
                if name == "--demo" { result.global.demo = true }
                if name == "--show-personnummer" { result.global.showPersonnummer = true }
            default:
                return nil
            }
        }
        return result
    }
}

struct YearPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arshjul", abstract: "Årets uppföljningar månad för månad.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Vilket år (annars innevarande).", valueName: "YYYY"))
    var year: String?

    @Option(help: ArgumentHelp("text eller json.", valueName: "text|json"), completion: .list(OutputFormat.allValueStrings))
    var format = "text"

    func validate() throws {
        _ = try ArgumentRule.year(year)
        let _: OutputFormat = try ArgumentRule.choice(format, option: "--format")
    }

    func run() throws {
        let context = try Context(global)
        let year = try ArgumentRule.year(self.year) ?? context.today.year
        let format: OutputFormat = try ArgumentRule.choice(self.format, option: "--format")
        let plan = YearPlan.make(caseload: try context.readCaseload(), routines: context.routines,
                                 year: year, today: context.today)
        switch format {
        case .text: print(Reports.yearPlanText(plan, today: context.today, showPersonnummer: global.showPersonnummer), terminator: "")
        case .json: print(Reports.yearPlanJSON(plan, today: context.today, showPersonnummer: global.showPersonnummer), terminator: "")
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Läs in listan (Excel .xlsx, LibreOffice .ods eller CSV), en rad per beslut. Se docs/import-format.md.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Arbetsboken (.xlsx, .ods) eller CSV-filen.", valueName: "FILE"))
    var file: String

    @Option(name: .customLong("blad"), help: ArgumentHelp("Bladet som ska läsas i en arbetsbok (.xlsx, .ods; annars det första med kolumnerna).", valueName: "NAMN"))
    var sheet: String?

    @Flag(help: "Visa vad som skulle läsas in utan att spara något.")
    var dryRun = false

    @Flag(name: .customLong("verkstallt-fran-start"),
          help: "Filen saknar kolumnen verkstallt: räkna nya beslut som verkställda från beslutets startdatum.")
    var startedFromStart = false

    @Flag(name: .customLong("aven-namnfel"),
          help: "Läs in även rader där namnet inte stämmer med personnumrets person (annars hoppas de över och listas).")
    var importNameMismatches = false

    @Flag(name: .customLong("las-anda"),
          help: "Läs in även när en okänd kolumn med tal inte kan läsas in (annars avbryts importen och kolumnen namnges).")
    var keepGoing = false

    @Flag(name: .customLong("ej-verkstallda"),
          help: "Filen saknar kolumnen verkstallt: räkna nya beslut som ej verkställda (följs upp enligt R11).")
    var notStarted = false

    func validate() throws {
        if global.demo {
            throw ArgumentRule(message: "Med --demo används en påhittad lista; import görs alltid till din egen ärendelista.")
        }
        try ArgumentRule.either(("--verkstallt-fran-start", startedFromStart), ("--ej-verkstallda", notStarted))
    }

    func run() throws {
        let context = try Context(global)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw UserFacingError(message: "Filen \(file) går inte att läsa; kontrollera sökvägen.")
        }
        let store = try context.store()
        defer { store.shutDown() }
        // The access log says the changes came from an import.
        (store as? PostgresStore)?.saveScreen = "import"
        var caseload: Caseload
        do {
            if !dryRun { try store.prepareForWriting() }
            caseload = try store.load() ?? Caseload()
        } catch {
            throw UserFacingError(message: error.message)
        }
        let report: CaseloadImport.Report
        do {
            report = try CaseloadImport.run([UInt8](data), into: &caseload, routines: context.routines,
                                            today: context.today,
                                            startAssumption: startedFromStart ? .fromStart : notStarted ? .notStarted : nil,
                                            importNameMismatches: importNameMismatches, sheet: sheet)
        } catch {
            throw UserFacingError(message: "\(file): \(error.message)")
        }
        // A column of numbers Bevaka does not know is not dropped without a word (issue 35, item 6).
        if let dropped = ImportSummary.droppedNumbersNote(report), !keepGoing, !dryRun {
            let near = report.nearMatches.map { " Menade du \($0.column) med \"\($0.heading)\"?" }.joined()
            throw UserFacingError(message: "\(file): \(dropped)\(near) Byt rubriken och läs in igen, eller lägg till --las-anda "
                + "för att läsa in resten utan den. Ingenting är inläst.")
        }
        // Saved first, then said: "Sparat i …" is printed only once it is true.
        var saved = report
        var refused: [ChangedElsewhere] = []
        if !dryRun && report.changedAnything {
            do {
                let elsewhere = try store.saveChanges(caseload)
                for change in elsewhere where !change.gone {
                    print("Ärende \(change.client.id) ändrades samtidigt av \(change.by); ändringarna är sammanförda"
                          + (change.notApplied.isEmpty ? "." : ", utom \(change.notApplied.joined(separator: ", ")) (importera igen)."))
                }
                // The shared store refused these people: a colleague's, or no longer the user's.
                refused = elsewhere.filter(\.gone)
                for change in refused where change.alreadyInUnit {
                    saved.newClients -= 1
                    saved.newDecisions -= change.client.decisions.count
                    saved.newFollowUps -= change.client.followUps.count
                }
            } catch {
                throw UserFacingError(message: error.message + " Ingenting från \(file) lästes in.")
            }
        }
        print(ImportSummary.text(saved, file: file, dryRun: dryRun, storePath: store.location), terminator: "")
        // The app's import prompt starts in this file's folder next time (issue 35, item 20),
        // written as the app writes it (~/ for the home folder).
        var folder = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
        if let home = context.environment["HOME"], !home.isEmpty, folder == home || folder.hasPrefix(home + "/") {
            folder = "~" + folder.dropFirst(home.count)
        }
        UIMemory.rememberImportFolder(folder.hasSuffix("/") ? folder : folder + "/", environment: context.environment)
        for change in refused {
            let who = "\(TerminalText.sanitize(change.client.name)) (\(change.client.personnummer.masked))"
            FileHandle.standardError.write(Data((change.alreadyInUnit
                ? "\(who): Personen finns redan hos en annan handläggare i enheten; be enhetschefen om ett handläggarbyte.\n"
                : "\(who): ärendet är inte längre ditt (handläggarbyte eller avslutat vikariat); raderna om personen sparades inte.\n").utf8))
        }
        if !refused.isEmpty { throw ExitCode(1) }
        if !report.rejected.isEmpty || (!report.nameMismatches.isEmpty && !importNameMismatches) { throw ExitCode(3) }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Skriv demoärendena till en ny ärendelista att öva på (t.ex. med --store /tmp/ova.json).",
        discussion: "En lista som redan finns skrivs aldrig över. `bevaka --demo` visar demoärendena utan att spara något.")

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if global.demo {
            throw ArgumentRule(message: "Skriv \"bevaka demo --store FIL\" utan --demo; --demo sparar ingenting.")
        }
    }

    func run() throws {
        let context = try Context(global)
        let store = try context.store()
        defer { store.shutDown() }
        let existing: Caseload?
        do {
            try store.prepareForWriting()
            existing = try store.load()
        } catch {
            throw UserFacingError(message: error.message)
        }
        guard existing.map({ $0.clients.isEmpty }) ?? true else {
            throw UserFacingError(message: "Det finns redan en ärendelista i \(store.location); den skrivs inte över. Välj en annan med --store.")
        }
        do {
            var demo = DemoCaseload.make(today: context.today)
            demo.nextSerial = max(demo.nextSerial, existing?.nextSerial ?? 0)
            _ = try store.saveChanges(demo)
        } catch {
            throw UserFacingError(message: error.message)
        }
        print("Demoärendena (33 påhittade personer) är sparade i \(store.location). Öppna med: bevaka --store '\(store.location)'")
    }
}
