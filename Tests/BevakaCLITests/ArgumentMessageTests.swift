import ArgumentParser
import Testing
@testable import bevaka

/// Issue 36, item 8: every rule about the command line is a command's `validate()`, said in
/// Swedish as it is; ArgumentParser's own parse errors are said in Swedish too. Each message
/// is pinned here word for word, parsed in-process exactly as `bevaka` does it.
@Suite struct ArgumentMessageTests {
    /// What `bevaka` says for a line that stops before any command's own work: nil when it parses
    /// to a command of Bevaka's (`--help` parses to the library's, whose run() prints the help).
    func said(_ line: [String]) -> Bevaka.Failure? {
        var command: ParsableCommand
        do {
            command = try Bevaka.parseAsRoot(line)
        } catch {
            return Bevaka.failure(for: error)
        }
        guard String(reflecting: type(of: command)).hasPrefix("ArgumentParser.") else { return nil }
        do {
            try command.run()
            return nil
        } catch {
            return Bevaka.failure(whileRunning: error)
        }
    }

    /// Rules of the commands' own validate(): the message as written, exit status 64.
    @Test func eachRuleOfValidateIsSaidWordForWord() {
        let help = " Se \"bevaka --help\".\n"
        let rules: [([String], String)] = [
            (["agenda", "--days", "x"], "--days ska vara ett antal dagar mellan 0 och 3660 (\"x\" är inget heltal)."),
            (["agenda", "--days=-5"], "--days ska vara ett antal dagar mellan 0 och 3660."),
            (["agenda", "--days", "3661"], "--days ska vara ett antal dagar mellan 0 och 3660."),
            (["agenda", "--days", "1e3"], "--days ska vara ett antal dagar mellan 0 och 3660 (\"1e3\" är inget heltal)."),
            (["agenda", "--format", "xml"], "--format \"xml\" finns inte; välj text eller json."),
            (["arshjul", "--year", "3000"], "Året \"3000\" (--year) går inte att använda; skriv ett år mellan 1900 och 2200."),
            (["arshjul", "--format", "csv"], "--format \"csv\" finns inte; välj text eller json."),
            (["rapport", "enhet", "--year", "nittio"], "Året \"nittio\" (--year) går inte att använda; skriv ett år mellan 1900 och 2200."),
            (["rapport", "--format", "pdf"], "--format \"pdf\" finns inte; välj text, csv eller json."),
            (["rapport", "ivo", "--kvartal", "2026-5"],
             "Kvartalet \"2026-5\" går inte att läsa; skriv år (1990–2100) och kvartal 1–4, t.ex. --kvartal 2026-3."),
            (["rapport", "ivo", "--demo", "--markera-skickad"],
             "Med --demo sparas ingenting; --markera-skickad gäller din egen ärendelista."),
            (["rapport", "statistik", "--kvartal", "Q3"],
             "Kvartalet \"Q3\" går inte att läsa; skriv år (1990–2100) och kvartal 1–4, t.ex. --kvartal 2026-3."),
            (["import", "lista.csv", "--demo"], "Med --demo används en påhittad lista; import görs alltid till din egen ärendelista."),
            (["import", "lista.csv", "--ej-verkstallda", "--verkstallt-fran-start"],
             "Ange bara en av --verkstallt-fran-start och --ej-verkstallda."),
            (["demo", "--demo"], "Skriv \"bevaka demo --store FIL\" utan --demo; --demo sparar ingenting."),
            (["gallra", "--demo"], "Med --demo finns inget att gallra; demolistan sparas aldrig."),
            (["db", "user", "add", "anna", "--role", "boss"], "--role \"boss\" finns inte; välj handlaggare eller chef."),
            (["db", "user", "add", "Anna", "--role", "chef"],
             "Rollen \"Anna\" går inte att använda: skriv små bokstäver a–z, siffror och _ (högst 63 tecken), t.ex. anna_l."),
            (["db", "user", "add", "anna", "--role", "chef", "--name", " "], "Namnet ska ha 1–200 tecken."),
            (["db", "audit", "--since", "2026-13-01"], "Datumet \"2026-13-01\" (--since) är ogiltigt; skriv det som ÅÅÅÅ-MM-DD."),
            (["db", "audit", "--format", "json"], "--format \"json\" finns inte; välj text eller csv."),
            (["db", "loggkontroll", "--stickprov", "5000"], "--stickprov ska vara ett antal mellan 0 och 1000."),
            (["db", "loggkontroll", "--period", "2026"], "Perioden \"2026\" ska skrivas ÅÅÅÅ-MM, t.ex. 2026-11."),
            (["db", "loggkontroll", "--fynd", "granskat 19121212-1212"],
             "Fyndet innehåller ett personnummer: skriv ärende-id, inte personnummer."),
        ]
        for (line, message) in rules {
            #expect(said(line) == Bevaka.Failure(stderr: message + help, status: 64), "\(line)")
        }
        // A value with a control sequence is said without it.
        #expect(said(["agenda", "--format", "x\u{1B}[2Jy"])?.stderr.contains("\u{1B}") == false)
    }

    /// ArgumentParser's own errors, in Swedish: the translation knows each of the library's
    /// messages these lines give, and nothing English is left.
    @Test func eachParseErrorOfTheLibraryIsSaidInSwedish() {
        let parse: [([String], String)] = [
            (["agenda", "--nosuch"], "Flaggan --nosuch finns inte."),
            (["agenda", "--days"], "--days saknar ett värde. Ett värde som börjar med - läses som en flagga; menar du det, skriv --days=VÄRDE."),
            (["agenda", "--days", "-5"], "--days saknar ett värde. Ett värde som börjar med - läses som en flagga; menar du det, skriv --days=VÄRDE."),
            (["nosuch"], "\"nosuch\" är inget kommando eller argument som passar här."),
            (["agenda", "extra"], "\"extra\" är inget kommando eller argument som passar här."),
            (["import"], "Argumentet <FILE> saknas."),
            (["agenda", "--week=1"], "Flaggan --week tar inget värde."),
            (["db", "user", "add", "anna"], "Argumentet --role saknas."),
        ]
        for (line, message) in parse {
            let failure = said(line)
            #expect(failure == Bevaka.Failure(stderr: "Felaktigt kommando: \(message) Se \"bevaka --help\".\n", status: 64),
                    "\(line): \(failure?.stderr ?? "parsed")")
        }
        // The general sentence for a message the translation does not know.
        #expect(ArgumentErrors.swedish("Something new the library says") == "Kommandot kunde inte tolkas.")
    }

    /// Help and version go to stdout with status 0; a line that parses says nothing.
    @Test func helpIsNoFailureAndAValidLineParses() {
        let help = said(["agenda", "--help"])
        #expect(help?.status == 0, "\(String(describing: help))")
        #expect(said(["help", "agenda"])?.stdout == help?.stdout)
        #expect(help?.stderr == "" && help?.stdout.contains("--days") == true)
        #expect(said(["agenda", "--days", "0", "--format", "json"]) == nil)
        #expect(said(["rapport", "ivo", "--kvartal", "2026-3", "--format", "csv"]) == nil)
        #expect(said(["db", "loggkontroll", "--stickprov", "0", "--period", "2026-11"]) == nil)
    }

    /// A command that stops on something that is not its own message says so in general words.
    @Test func anUnexpectedErrorWhileRunningQuotesNothing() {
        struct Odd: Error { var detail = "19121212-1212 secret" }
        let failure = Bevaka.failure(whileRunning: Odd())
        #expect(failure.status == 1 && failure.stderr.contains("oväntat fel") && !failure.stderr.contains("secret"))
        #expect(Bevaka.failure(whileRunning: UserFacingError(message: "Fel för 19121212-1212.")).stderr
            == "Fel för 19121212-****.\n")
    }
}
