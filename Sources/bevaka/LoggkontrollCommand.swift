import ArgumentParser
import BevakaDomain
import BevakaPostgres
import BevakaStore
import Foundation

/// `bevaka db loggkontroll`: the unit manager's systematic, recurrent review of the access log
/// (docs/dataskydd.md): a random sample of the period's openings plus every opening that stands
/// out, shown for review; the finding is kept append-only in the database.
struct DbLoggkontrollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loggkontroll",
        abstract: "Loggkontroll: ett stickprov av periodens öppningar och alla som avviker; fyndet sparas (enhetschefen).",
        discussion: """
            Avvikande öppningar: ärenden som inte var läsarens egna eller täckta just då, öppningar utanför 07–19 \
            eller på en helgdag, personer med skyddade personuppgifter, och många öppningar på kort tid. Stickprovet \
            är detsamma varje gång för samma period och chef. Skriv fyndet med --fynd ("inga avvikelser" eller en text \
            om vad som avviker och vad som görs); det sparas och kan inte ändras. En period granskas när den är slut; \
            en andra granskning av samma period görs med --tillagg och visas med den första. --historik visar \
            tidigare kontroller. Grunden: GDPR art. 5.1 f, 24 och 32, 14 kap. 7 § SoL (2025:400) och lag (2001:454); \
            socialtjänsten har ingen regel som HSLF-FS 2016:40 4 kap. 9 § (den gäller vården), så IMY:s vägledning \
            för vårdens loggkontroll följs i analogi. Loggen sparas så länge enheten har bestämt (standard fem år).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Månaden som granskas (standard: förra månaden).", valueName: "ÅÅÅÅ-MM"))
    var period: String?

    @Option(help: ArgumentHelp("Hur många vanliga öppningar som tas med i stickprovet (0–1000).", valueName: "N"))
    var stickprov = "10"

    @Option(help: ArgumentHelp("Fyndet att spara för perioden.", valueName: "TEXT"))
    var fynd: String?

    @Flag(help: "Visa de loggkontroller som har gjorts.")
    var historik = false

    @Flag(help: "Spara fyndet som ett tillägg till en redan gjord granskning av perioden.")
    var tillagg = false

    func run() throws {
        let context = try Context(global)
        let store = try context.database()
        let staff = Dictionary(try storeCall { () throws(StoreError) in try store.staff() }.map { ($0.role, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        func name(_ role: String) -> String { TerminalText.sanitize(staff[role] ?? role) }
        if historik {
            let reviews = try storeCall { () throws(StoreError) in try store.reviews() }
            if reviews.isEmpty { print("Ingen loggkontroll är gjord ännu.") }
            for review in reviews {
                // An addition stands under the review it adds to (the list is in period order).
                print((review.addition ? "    tillägg " : "") + "\(DbAuditCommand.localTime(review.at))  \(name(review.reviewer))  "
                      + "\(review.from)–\(review.to): \(review.reviewed) granskade, \(review.standouts) avvikande. "
                      + "Fynd: \(TerminalText.sanitize(review.finding))")
            }
            return
        }
        let (from, to) = try chosenPeriod(today: context.today)
        let stickprov = try sampleSize()
        let finding = try fynd.map(DbLoggkontrollCommand.checkedFinding)
        let rows = try storeCall { () throws(StoreError) in try store.reviewRows(from: from, to: to) }
        let openings = rows.map {
            LogReview.Opening(logID: $0.logID, at: $0.at, who: $0.who, clientID: $0.clientID,
                              ownOrCovered: $0.ownOrCovered, protectedIdentity: $0.protectedIdentity)
        }
        let standouts = LogReview.standouts(openings)
        // Bursts the database refused (more requests a minute than allowed) stand out too.
        let bursts = try storeCall { () throws(StoreError) in
            try store.audit(client: nil, user: nil, since: from, includeLists: false)
        }.filter { $0.action == "rate_limited" && LogReview.local($0.at).day <= to }
        let me = try storeCall { () throws(StoreError) in try store.whoAmI() }.me
        let sample = LogReview.sample(openings, excluding: Set(standouts.keys), count: stickprov,
                                      seed: LogReview.seed("\(from)|\(me)"))
        let shown = Set(standouts.keys).union(sample)
        let people = shown.isEmpty ? [:] : try storeCall { () throws(StoreError) in try store.namesForReview() }
        print("Loggkontroll \(from)–\(to): \(openings.count) öppningar, \(standouts.count + bursts.count) avvikande, stickprov \(sample.count).")
        for burst in bursts {
            print("  \(DbAuditCommand.localTime(burst.at))  \(name(burst.who))  \(DbAuditCommand.action(burst.action))"
                  + (burst.detail.map { " (\(TerminalText.sanitize($0)))" } ?? "") + "  – databasen nekade fler läsbegäran")
        }
        for row in rows where shown.contains(row.logID) {
            let person = people[row.clientID].map { "\($0.name), \($0.born)" } ?? "\(row.clientID) (finns inte längre)"
            let why = standouts[row.logID].map { $0.map(\.rawValue).joined(separator: ", ") } ?? "stickprov"
            let what = DbAuditCommand.action(row.action) + (row.detail.map { " (\(TerminalText.sanitize($0)))" } ?? "")
            print("  \(DbAuditCommand.localTime(row.at))  \(name(row.who))  \(what)  \(person)  – \(why)")
        }
        guard let finding else {
            print("Skriv fyndet när du har granskat raderna: bevaka db loggkontroll --period \(String(from.description.prefix(7))) --fynd \"inga avvikelser\" (eller vad som avviker och vad som görs).")
            return
        }
        let earlier = try storeCall { () throws(StoreError) in try store.reviews() }.filter { $0.from <= to && $0.to >= from }
        if !earlier.isEmpty && !tillagg {
            for review in earlier {
                print("Redan granskad \(DbAuditCommand.localTime(review.at)) av \(name(review.reviewer)): \(TerminalText.sanitize(review.finding))")
            }
            throw UserFacingError(message: "Perioden \(from)–\(to) är redan granskad. Skriv --tillagg för att spara fyndet som ett tillägg till den granskningen.")
        }
        _ = try storeCall { () throws(StoreError) in
            try store.recordReview(from: from, to: to, reviewed: shown.sorted(), standouts: standouts.count + bursts.count,
                                   finding: finding, addition: tillagg)
        }
        print((tillagg ? "Tillägget till loggkontrollen" : "Loggkontrollen") + " för \(from)–\(to) är sparad: \(shown.count) rader granskade, "
              + "\(standouts.count) avvikande. Den kan inte ändras i efterhand.")
    }

    func validate() throws {
        _ = try sampleSize()
        if let period, LogReview.period(period) == nil {
            throw ArgumentRule(message: "Perioden \"\(TerminalText.sanitize(period))\" ska skrivas ÅÅÅÅ-MM, t.ex. 2026-11.")
        }
        _ = try fynd.map(DbLoggkontrollCommand.checkedFinding)
    }

    func sampleSize() throws(ArgumentRule) -> Int {
        try ArgumentRule.number(stickprov, option: "--stickprov", in: 0...1000, what: "ett antal")
    }

    func chosenPeriod(today: Day) throws -> (from: Day, to: Day) {
        guard let period else {
            let first = Day(year: today.year, month: today.month, day: 1) ?? today
            return (first.adding(months: -1), first.adding(days: -1))
        }
        guard let parsed = LogReview.period(period) else {
            throw UserFacingError(message: "Perioden \"\(TerminalText.sanitize(period))\" ska skrivas ÅÅÅÅ-MM, t.ex. 2026-11.")
        }
        // Openings later in a running month would never be reviewed: a period is reviewed when over.
        guard parsed.to < today else {
            throw UserFacingError(message: "Perioden \(period) är inte slut (den slutar \(parsed.to)); granska den när den är över.")
        }
        return parsed
    }

    /// The finding as it will be kept: one to 2,000 characters, no personnummer.
    static func checkedFinding(_ text: String) throws(ArgumentRule) -> String {
        let clean = TerminalText.sanitize(text).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.isEmpty else { throw ArgumentRule(message: "Fyndet är tomt; skriv t.ex. \"inga avvikelser\".") }
        guard clean.count <= 2000 else { throw ArgumentRule(message: "Fyndet är längre än 2 000 tecken; skriv det kortare.") }
        guard TerminalText.maskPersonalNumbers(clean) == clean else {
            throw ArgumentRule(message: "Fyndet innehåller ett personnummer: skriv ärende-id, inte personnummer.")
        }
        return clean
    }
}

/// `bevaka db verifiera-logg`: walks the access log's hash chain in the database and the heads
/// every loggkontroll recorded. Exit 0 when whole; otherwise names the first row where it breaks.
struct DbVerifyLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verifiera-logg",
        abstract: "Kontrollera att åtkomstloggen är hel: ingen rad borttagen, ändrad eller tillagd utanför Bevaka (enhetschefen, ägaren).",
        discussion: """
            Varje rad i åtkomstloggen bär en kontrollsumma av raden före sig (en kedja), och varje loggkontroll sparar \
            kedjans senaste rad. Kommandot går igenom kedjan och de sparade huvudena och säger var den först bryts. \
            En superanvändare i databasen kan göra vad som helst, men inte utan att kedjan visar det \
            (docs/postgresql.md, "Åtkomstloggens kedja").
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try Context(global).database()
        let check = try storeCall { () throws(StoreError) in try store.verifyLog() }
        if check.whole {
            print("Åtkomstloggen är hel: \(check.rowsChecked) rader i obruten kedja, och varje loggkontrolls sparade huvud stämmer.")
            return
        }
        throw UserFacingError(message: "Åtkomstloggen är inte hel: \(TerminalText.sanitize(check.reason ?? "okänt fel"))"
                              + (check.brokenAt.map { " (plats \($0) i kedjan)" } ?? "")
                              + ". Raderna före den är kontrollerade (\(check.rowsChecked)). Anmäl det till dataskyddsombudet.")
    }
}
