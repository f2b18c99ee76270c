import BevakaTestSupport
import Foundation
import BevakaDomain
import Testing
import BevakaStore
@testable import BevakaRuntime
@testable import BevakaUI

@Suite struct FormFlowTests {
    func field(_ state: AppState, _ key: FieldKey) -> FormField? { state.form?.field(key) }

    @Test func addAPersonWithSwedishLettersAfterCorrectingACheckDigit() throws {
        var state = demoState()
        press(&state, .character("4"), .character("a"))
        #expect(state.screen == .form && state.form?.title == "Ny person")
        type(&state, "Åsa Öberg-Ärlig")
        press(&state, .tab)
        type(&state, "19121212-1213")
        press(&state, .tab)
        #expect(field(state, .personnummer)?.error == "Personnumrets kontrollsiffra stämmer inte.")
        #expect(render(state).text.contains("✗ Personnummer: Personnumrets kontrollsiffra stämmer inte."))
        // Saving with the error is refused and the focus goes to the field.
        let refused = press(&state, .ctrl("s"))
        #expect(refused.isEmpty)
        #expect(state.form?.focus == 1)
        press(&state, .backspace)
        type(&state, "2")
        press(&state, .tab)
        #expect(field(state, .personnummer)?.error == nil)
        let saved = press(&state, .ctrl("s"))
        let person = try #require(state.caseload.clients.first { $0.name == "Åsa Öberg-Ärlig" })
        // One save, and the new person's case opens: an opening the access log records.
        #expect(saved.count == 2 && saved.last == .recordOpen(clientID: person.id, what: "ärende"))
        #expect(person.personnummer.formatted == "19121212-1212")
        #expect(state.screen == .caseDetail && state.openClientID == person.id)
    }

    /// A person without a Swedish personnummer: "Saknar svenskt personnummer" ja, the birth date
    /// and the sex; without the sex the form says what is missing; the list shows the birth date.
    @Test func addAPersonWithoutASwedishPersonnummer() throws {
        var state = demoState()
        press(&state, .character("4"), .character("a"))
        type(&state, "Amina Yusuf")
        press(&state, .tab, .tab)                       // the personnummer left empty
        type(&state, "ja")
        press(&state, .enter)                           // picked; on to the next field
        #expect(field(state, .noSwedishNumber)?.text == "ja")
        type(&state, "1950-04-02")
        press(&state, .tab)
        let refused = press(&state, .ctrl("s"))
        #expect(refused.isEmpty)
        #expect(field(state, .sex)?.error?.contains("Välj kön") == true)
        #expect(field(state, .personnummer)?.error == nil)
        #expect(state.form?.focus == state.form?.fields.firstIndex { $0.key == .sex })  // the focus goes there
        type(&state, "kv")
        press(&state, .enter)
        #expect(field(state, .sex)?.text == "kvinna")
        let saved = press(&state, .ctrl("s"))
        let person = try #require(state.caseload.clients.first { $0.name == "Amina Yusuf" })
        #expect(saved.count == 2 && saved.last == .recordOpen(clientID: person.id, what: "ärende"))
        #expect(person.personnummer == Personnummer.withoutSwedishNumber(born: d("1950-04-02"), sex: .woman, reservnummer: nil, name: "Amina Yusuf"))
        #expect(render(state).text.contains("19500402, saknar svenskt personnummer"))
        // The same person again is found, not made twice.
        press(&state, .escape, .character("4"), .character("a"))
        type(&state, "Amina Yusuf")
        press(&state, .tab, .tab)
        type(&state, "ja")
        press(&state, .enter)
        type(&state, "1950-04-02")
        press(&state, .tab)
        type(&state, "kv")
        press(&state, .enter)
        #expect(press(&state, .ctrl("s")).isEmpty)
        #expect(field(state, .birthDate)?.error?.contains("Amina Yusuf har redan samma födelsedatum, kön och namn") == true)
    }

    @Test func aKnownPersonnummerLeadsToThatPerson() throws {
        var state = demoState()
        let count = state.caseload.clients.count
        press(&state, .character("4"), .character("a"))
        type(&state, "Erik J")
        press(&state, .tab)
        type(&state, "192203299231")
        press(&state, .tab)
        #expect(state.form == nil)
        #expect(state.screen == .caseDetail)
        #expect(state.openClient?.name == "Erik Johansson")
        #expect(state.message?.contains("finns redan: Erik Johansson") == true)
        #expect(state.caseload.clients.count == count)
    }

    @Test func aDecisionThroughTheFormWithTypeToFindAndCrossChecks() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first { $0.name == "Sven Öberg" }?.id)
        state.openCase(id)
        let before = state.client(id)?.decisions.count ?? 0
        press(&state, .character("b"))
        #expect(state.form?.title.hasPrefix("Nytt beslut") == true)
        #expect(state.form?.fields.first?.key == .service)  // the insats first: it decides the law
        press(&state, .character("p"))                  // Insats: type-to-find
        #expect(state.form?.matches(0).contains("personlig omvårdnad") == true)
        type(&state, "ers ass")
        press(&state, .enter)
        #expect(field(state, .service)?.text == "personlig assistans")
        #expect(field(state, .law)?.text == "LSS")     // proposed from the insats
        press(&state, .tab)                             // the law kept
        press(&state, .tab)                             // beslutsform left empty
        type(&state, "2026-01-31")
        press(&state, .tab)
        type(&state, "2026-01-15")
        press(&state, .tab)
        #expect(field(state, .validTo)?.error?.contains("ligger före gäller från") == true)
        press(&state, .up, .ctrl("u"))
        type(&state, "+1m")
        press(&state, .tab)
        #expect(field(state, .validTo)?.text == "2026-12-22")  // shown as the date it means
        press(&state, .tab)
        type(&state, "-5")
        press(&state, .tab)
        #expect(field(state, .grantedHours)?.error == "Timmar kan inte vara under noll.")
        press(&state, .up, .ctrl("u"))
        type(&state, "120,5")
        press(&state, .tab)
        type(&state, "Assistans Åt Alla AB")
        press(&state, .tab, .character("p"), .enter)    // privat
        let saved = press(&state, .ctrl("s"))
        #expect(saved.count == 1)
        let decision = try #require(state.client(id)?.decisions.last)
        #expect(state.client(id)?.decisions.count == before + 1)
        #expect(decision.law == .lss && decision.service == "personlig assistans")
        #expect(decision.validFrom == d("2026-01-31") && decision.validTo == d("2026-12-22"))
        #expect(decision.grantedHours == 120.5)
        #expect(decision.provider == Provider(name: "Assistans Åt Alla AB", regi: .private))
        // The rules see it at once: a private provider and no consent (R10).
        #expect(state.itemsByClient[id]?.contains { $0.kind == .consentMissing && $0.decisionID == decision.id } == true)
    }

    @Test func aKnownProviderIsPickedByTypingAndBringsItsRegi() throws {
        var state = demoState()
        state.openCase(try #require(state.caseload.clients.first { $0.name == "Sven Öberg" }?.id))
        press(&state, .character("b"))
        let provider = try #require(state.form?.fields.firstIndex { $0.key == .provider })
        state.form?.focus = provider
        type(&state, "väst")
        #expect(state.form?.matches(provider).first == "Omsorg i Väst AB")
        #expect(state.form?.matches(provider).contains("Hemtjänst Norr") == false)
        press(&state, .enter)
        #expect(field(state, .provider)?.text == "Omsorg i Väst AB")
        #expect(field(state, .regi)?.text == "privat")
        #expect(field(state, .caseSystemAccess)?.text == "nej")
    }

    @Test func escOnAChangedFormAsksFirst() {
        var state = demoState()
        press(&state, .character("4"), .character("a"), .escape)
        #expect(state.form == nil)  // nothing typed: closes at once
        press(&state, .character("a"))
        type(&state, "Ny")
        press(&state, .escape)
        #expect(state.choice?.title.contains("Kasta ändringarna") == true)
        press(&state, .enter)  // "Nej, fortsätt skriva"
        #expect(state.form?.field(.name)?.text == "Ny")
        press(&state, .escape, .character("2"))
        #expect(state.form == nil)
        #expect(!state.caseload.clients.contains { $0.name == "Ny" })
    }

    @Test func closingADecisionNamesWhatAndWhen() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first { $0.name == "Märta Åberg" }?.id)
        state.openCase(id)
        press(&state, .character("x"))
        // Two running decisions: which one?
        let pick = try #require(state.choice)
        #expect(pick.title == "Avsluta beslut: vilket beslut?")
        let index = try #require(pick.labels.firstIndex { $0.hasPrefix("trygghetslarm") })
        press(&state, .character(Character(String(index + 1))))
        #expect(field(state, .closed)?.text == "idag")
        press(&state, .enter)
        #expect(state.choice?.title.contains("Avsluta beslutet om trygghetslarm för Märta Åberg den 2026-11-22?") == true)
        let effects = press(&state, .character("2"))
        #expect(effects.count == 1)
        #expect(state.client(id)?.decisions.first { $0.service == "trygghetslarm" }?.closedOn == today)
    }

    @Test func archivingHidesAndAShowKeyBringsBack() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first { $0.name == "Olof Lund" }?.id)
        state.openCase(id)
        press(&state, .character("A"))
        #expect(state.choice?.title.contains("Arkivera Olof Lund") == true)
        press(&state, .character("2"))
        #expect(state.client(id)?.archived == true)
        #expect(state.itemsByClient[id]?.isEmpty == true)
        press(&state, .escape, .character("4"))
        #expect(!state.caseRows.contains { $0.client.id == id })
        press(&state, .character("A"))
        #expect(state.caseRows.contains { $0.client.id == id })
        state.openCase(id)
        #expect(render(state).text.contains("Arkiverad"))
        press(&state, .character("A"), .character("2"))
        #expect(state.client(id)?.archived == false)
    }

    @Test func performedTimeAndThePlan() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first { $0.name == "Karin Holm" }?.id)
        state.openCase(id)
        press(&state, .character("t"))
        #expect(field(state, .month)?.text == "2026-10")
        press(&state, .tab)
        type(&state, "11,5")
        press(&state, .enter)
        let decision = try #require(state.client(id)?.decisions.first)
        #expect(decision.performedHours == 11.5 && decision.performedMonth == "2026-10")
        press(&state, .character("p"), .tab, .ctrl("u"))
        type(&state, "+1d")
        press(&state, .tab)
        #expect(field(state, .established)?.error == "Datumet ligger i framtiden.")
    }
}

@Suite struct ImportFromTheAppTests {
    @Test func importWithProgressThenTheRejectedRowsOnScreen() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-imp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = "personnummer;namn;insats;beslut_fran\n19121212-1212;Tolvan Tolvansson;hemtjänst;2026-01-15\n"
            + "19121212-1213;Fel Siffra;hemtjänst;2026-01-15\n"
        try Data(csv.utf8).write(to: folder.appendingPathComponent("lista.csv"))

        var state = demoState()
        let before = state.caseload.clients.count
        press(&state, .character("4"), .character("i"))
        #expect(state.prompt?.editor.text == "~/")
        type(&state, "lista.csv")
        let effects = press(&state, .enter)
        guard case .importFile(let path, let into, _, _)? = effects.first else {
            Issue.record("no import effect")
            return
        }
        #expect(path == "~/lista.csv" && into == state.caseload)
        #expect(state.importing?.file == "~/lista.csv")
        #expect(render(state).text.contains("Läser in ~/lista.csv"))
        #expect(press(&state, .character("4"), .character("a")).isEmpty && state.form == nil)  // keys wait

        // The runtime's job, waited for (at most 10 s, no busy loop); its progress as the loop shows it.
        let job = ImportJob(path: path, caseload: into, routines: .standard, today: today,
                            environment: ["HOME": folder.path], storePath: "/tmp/x.json")
        let outcome = job.wait(seconds: 10)
        let polled = job.poll()
        _ = reduce(&state, .importProgress(done: polled.done, total: polled.total))
        let done = try #require(outcome)
        // First a preview: nothing written; it names the new person and decision and the rejected
        // row with its column as the file's header says it.
        #expect(reduce(&state, .importFinished(done)).isEmpty)
        #expect(state.importing == nil)
        #expect(state.caseload.clients.count == before)
        let preview = render(state).text
        #expect(preview.contains("Förhandsvisning av importen – ingenting är sparat"))
        #expect(preview.contains("Nya personer (1):") && preview.contains("Tolvan Tolvansson, född 19121212"))
        #expect(preview.contains("Tolvan Tolvansson: hemtjänst (SoL) 2026-01-15–tillsvidare"))
        #expect(preview.contains("rad 3, kolumnen personnummer: Personnumrets kontrollsiffra stämmer inte."))
        #expect(!preview.contains("19121212-1212") && !preview.contains("19121212-1213"))
        // The list has no verkställt column: the preview says what is assumed, and v switches it.
        #expect(preview.contains("Filen har ingen kolumn verkstallt. Nya beslut räknas som verkställda från")
                && preview.contains("v: räkna dem i stället som ej verkställda"))
        #expect(preview.contains("v ej verkställda"))
        let again = press(&state, .character("v"))
        guard case .importFile(let samePath, _, let assumption, _)? = again.first else {
            Issue.record("v did not read the file again")
            return
        }
        #expect(samePath.hasSuffix("lista.csv") && assumption == .notStarted && state.importPreview == nil)
        _ = reduce(&state, .importFinished(done))
        // Esc cancels: nothing is written.
        #expect(press(&state, .escape).isEmpty)
        #expect(state.importPreview == nil && state.caseload.clients.count == before)
        #expect(state.message == "Importen avbröts; ingenting skrevs.")
        // Again, and Enter imports.
        _ = reduce(&state, .importFinished(done))
        let saved = press(&state, .enter)
        #expect(saved.count == 1)
        #expect(state.caseload.clients.count == before + 1)
        #expect(state.screen == .document)
        let text = render(state).text
        #expect(text.contains("Avvisade rader (1)"))
        #expect(text.contains("rad 3, kolumnen personnummer: Personnumrets kontrollsiffra stämmer inte."))
        #expect(!text.contains("19121212-1213"))  // never echoed
        press(&state, .escape)
        #expect(state.screen == .caseload)
        press(&state, .character("u"))
        #expect(state.caseload.clients.count == before)  // one undo takes the import back
    }

    @Test func tabCompletesThePathAndTheFolderIsRemembered() throws {
        var state = demoState()
        press(&state, .character("4"), .character("i"))
        #expect(state.importFolder == "~/" && state.prompt?.editor.text == "~/")
        type(&state, "li")
        #expect(press(&state, .tab) == [.completePath("~/li")])
        // The runtime answers with what the folder holds.
        _ = reduce(&state, .pathCompleted(typed: "~/li", candidates: ["lista.csv"]))
        #expect(state.prompt?.editor.text == "~/lista.csv")
        press(&state, .ctrl("u"))
        type(&state, "~/Im")
        _ = reduce(&state, .pathCompleted(typed: "~/Im", candidates: ["Import/", "Importer-2025.csv"]))
        #expect(state.prompt?.editor.text == "~/Import")
        #expect(state.prompt?.error?.contains("2 träffar") == true)
        // Many candidates at 80 columns: every one on the screen, above the prompt (issue 35, item 20).
        let many = ["Import/", "Importer-2025.csv", "Importer-2026-januari.xlsx", "Importer-2026-februari.xlsx", "Importlista-enhet-vast.ods"]
        _ = reduce(&state, .pathCompleted(typed: "~/Import", candidates: many))
        let screen = render(state).text
        for name in many { #expect(screen.contains(name), "\(name) in \(screen)") }
        press(&state, .ctrl("u"))
        type(&state, "~/Import")
        _ = reduce(&state, .pathCompleted(typed: "~/Import", candidates: ["Import/"]))
        type(&state, "nov.csv")
        let effects = press(&state, .enter)
        #expect(effects.contains(.rememberImportFolder("~/Import/")))
        #expect(state.importFolder == "~/Import/")
        _ = reduce(&state, .importFinished(.failed("x")))
        press(&state, .character("i"))
        #expect(state.prompt?.editor.text == "~/Import/")
    }

    @Test func completionListsTheFolderAndKeepsTheFolderBetweenRuns() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-tab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("Listor"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data().write(to: home.appendingPathComponent("lista-nov.csv"))
        try Data().write(to: home.appendingPathComponent(".dold.csv"))
        let environment = ["HOME": home.path]
        #expect(UIMemory.completions("~/Li", environment: environment) == ["Listor/"])
        #expect(UIMemory.completions("~/", environment: environment) == ["Listor/", "lista-nov.csv"])
        #expect(UIMemory.completions("~/.d", environment: environment) == [".dold.csv"])
        #expect(UIMemory.importFolder(environment) == nil)
        UIMemory.rememberImportFolder("~/Listor/", environment: environment)
        #expect(UIMemory.importFolder(environment) == "~/Listor/")
        let file = home.appendingPathComponent(".local/state/bevaka/importmapp").path
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func verkstallighetOnTheCaseTheFormAndTheOverview() throws {
        var state = demoState()
        // Översikt has the IVO section: Maja's decision past the limit, Arne's interruption, Gösta's within a week.
        let section = try #require(state.overviewSections.first { $0.title.hasPrefix("Ej verkställda beslut") })
        #expect(Set(section.items.map(\.kind)) == [.notStarted, .interrupted] && section.items.count == 3)
        // Gösta's dagverksamhet: the case says what the IVO report lacks.
        let gosta = try #require(state.caseload.clients.first { $0.name == "Gösta Berg" })
        state.openCase(gosta.id)
        let text = state.caseDetailLines.map(\.text).joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("dagverksamhet (SoL)") && text.contains("ej verkställt"))
        #expect(text.contains("Skäl till dröjsmålet saknas: B fyller i det"))
        // The decision form takes the decision date and the reason; then the case shows them.
        let decisionID = try #require(gosta.decisions.first { $0.service == "dagverksamhet" }?.id)
        state.openDecisionForm(clientID: gosta.id, decisionID: decisionID)
        try press(&state, .tab, until: "the delayReason field focused") { $0.form?.fields[$0.form?.focus ?? 0].key == .delayReason }
        type(&state, "Väntar på plats")
        let saved = press(&state, .ctrl("s"))
        #expect(saved.count == 1)
        let decision = try #require(state.client(gosta.id)?.decisions.first { $0.id == decisionID })
        #expect(decision.delayReason == "Väntar på plats" && decision.decidedOn == gosta.decisions.first { $0.id == decisionID }?.decidedOn)
        let after = state.caseDetailLines.map(\.text).joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(after.contains("Skäl till dröjsmålet: Väntar på plats") && !after.contains("Skäl till dröjsmålet saknas"), "\(after)")
        // A decision date in the future is refused beside the field.
        state.openDecisionForm(clientID: gosta.id, decisionID: decisionID)
        try press(&state, .tab, until: "the decided field focused") { $0.form?.fields[$0.form?.focus ?? 0].key == .decided }
        press(&state, .ctrl("u"))
        type(&state, "+1m")
        #expect(press(&state, .ctrl("s")).isEmpty)
        #expect(state.form?.field(.decided)?.error?.contains("ligger i framtiden") == true)
        press(&state, .escape, .character("j"))
        // E records an offer (on the case, choosing the decision), I an interruption and then its resumption.
        var arne = demoState()
        let person = try #require(arne.caseload.clients.first { $0.name == "Arne Hedlund" })
        arne.openCase(person.id)
        press(&arne, .character("E"))
        if arne.choice != nil { press(&arne, .enter) }
        #expect(arne.form?.title.hasPrefix("Erbjudande:") == true)
        press(&arne, .tab)
        type(&arne, "Hemtjänst Väst")
        press(&arne, .tab, .character("n"), .enter)
        #expect(press(&arne, .ctrl("s")).count == 1)
        let offered = try #require(arne.client(person.id)?.decisions.first { !$0.offers.isEmpty })
        #expect(offered.offers == [Offer(on: today, what: "Hemtjänst Väst", accepted: false)])
        #expect(arne.message?.contains("Erbjudandet \(today) till Arne Hedlund är registrerat (avböjt)") == true)
        press(&arne, .character("I"))
        if arne.choice != nil { press(&arne, .enter) }
        #expect(arne.form?.title.hasPrefix("Avbrottet sedan") == true)  // the open one, to resume it
        press(&arne, .tab)
        type(&arne, "idag")
        #expect(press(&arne, .ctrl("s")).count == 1)
        let resumed = try #require(arne.client(person.id)?.decisions.first { !$0.interruptions.isEmpty })
        #expect(resumed.interruptions.first?.resumed == today)
        #expect(!(arne.itemsByClient[person.id] ?? []).contains { $0.kind == .interrupted })
    }

    @Test func theReasonIsAskedForWhenItIsMissing() throws {
        var state = demoState()
        press(&state, .character("3"), .character("f"), .character("f"), .character("t"))
        try press(&state, .character("t"), until: "the not-started filter") { $0.remindersView.kind == .notStarted }
        let index = try #require(state.reminderList.firstIndex { state.client($0.clientID)?.name == "Gösta Berg" })
        state.selection[.reminders] = index
        #expect(press(&state, .character("d")).isEmpty)
        #expect(state.prompt?.question.contains("Skäl till att dagverksamhet för Gösta Berg inte är verkställt") == true)
        #expect(press(&state, .enter).isEmpty)
        #expect(state.prompt?.error?.contains("ofullständig") == true)
        type(&state, "Väntar på plats på dagverksamheten")
        #expect(press(&state, .enter).count == 1)
        let decision = try #require(state.caseload.clients.first { $0.name == "Gösta Berg" }?.decisions.first { $0.service == "dagverksamhet" })
        #expect(decision.delayReason == "Väntar på plats på dagverksamheten")
        // With the reason there, d says how the item ends instead of hiding it.
        state.selection[.reminders] = index
        #expect(press(&state, .character("d")).isEmpty)
        #expect(state.message?.contains("försvinner när starten (verkställt)") == true)
        // The reporting period for Q4 starts on New Year's Day: the reminders are on the first
        // working day after it, never in the quarter they report on.
        let reports = state.items.filter { $0.kind == .ivoReport }
        #expect(reports.count == 3 && reports.allSatisfy { $0.due == d("2027-01-04") && $0.ruleDue == d("2027-01-01") })
    }

    /// The verkställighet ladder is answered from the bevakningar: d on "Beställning bekräftad?"
    /// records the day on the decision; d on "Har insatsen startat?" asks the day it started.
    @Test func theLadderIsAnsweredOnTheDecision() throws {
        var decision = Decision(id: "d1", law: .sol, service: "trygghetslarm", validFrom: d("2026-11-18"))
        decision.decidedOn = d("2026-11-18")
        let person = Client(id: "c1", name: "Greta Larm", personnummer: Personnummer(unchecked: "192001011564"), decisions: [decision])
        var state = AppState(caseload: Caseload(clients: [person]), today: today, width: 80, height: 24,
                             demo: false, storePath: "/tmp/bevaka/caseload.json")
        press(&state, .character("3"))
        state.remindersView.filter = .all
        let kinds = Set(state.reminderList.map(\.kind))
        #expect(kinds.isSuperset(of: [.orderConfirmation, .startCheck, .escalation]), "\(kinds)")
        let order: Int = try #require(state.reminderList.firstIndex { $0.kind == .orderConfirmation })
        state.selection[.reminders] = order
        #expect(render(state).text.contains("Beställning bekräftad?"))
        #expect(press(&state, .character("d")).count == 1)
        #expect(state.client("c1")?.decisions.first?.orderConfirmedOn == today)
        #expect(!state.reminderList.contains { $0.kind == .orderConfirmation && !$0.isDone })
        let start: Int = try #require(state.reminderList.firstIndex { $0.kind == .startCheck })
        state.selection[.reminders] = start
        #expect(press(&state, .character("d")).isEmpty)
        #expect(state.prompt?.question.contains("Dagen trygghetslarm för Greta Larm startade") == true)
        press(&state, .ctrl("u"))
        type(&state, "2026-11-20")
        #expect(press(&state, .enter).count == 1)
        #expect(state.client("c1")?.decisions.first?.startedOn == d("2026-11-20"))
        #expect(!state.reminderList.contains { [.orderConfirmation, .startCheck, .escalation, .notStarted].contains($0.kind) && !$0.isDone })
    }

    @Test func aMissingFileIsSaidPlainly() {
        var state = demoState()
        press(&state, .character("4"), .character("i"))
        press(&state, .enter)
        _ = reduce(&state, .importFinished(.failed("Filen /x/saknas.csv går inte att läsa; kontrollera sökvägen.")))
        #expect(state.importing == nil)
        #expect(state.messageIsError && state.message?.contains("går inte att läsa") == true)
    }
}
