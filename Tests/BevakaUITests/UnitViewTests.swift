import BevakaTestSupport
import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaUI

/// The unit on the shared store as the app shows it. The store's side (what the database lets a
/// role see) is tested against a real server in BevakaPostgresTests; here, the app's part.
@Suite struct UnitViewTests {
    /// The demo's people: the first ten are Bo's (covered by Anna until 2026-12-24), the rest Anna's.
    func coveringState(kind: UnitContext.Kind = .handlaggare) -> AppState {
        var state = demoState()
        let clients = state.caseload.clients
        var owners: [String: String] = [:]
        for (index, client) in clients.enumerated() { owners[client.id] = index < 10 ? "bo_k" : "anna_l" }
        state.unit = UnitContext(me: kind == .chef ? "maja_c" : "anna_l", kind: kind,
                                 names: ["anna_l": "Anna Lind", "bo_k": "Bo Karlsson", "maja_c": "Maja Chef"],
                                 covers: kind == .chef ? [] : [UnitContext.Cover(covered: "bo_k", covering: "anna_l", until: d("2026-12-24"))],
                                 owners: owners)
        state.unit?.handlaggare = ["anna_l", "bo_k"]
        return state
    }

    @Test func coveredCasesAreMarkedAndTheCoverIsShown() {
        var state = coveringState()
        press(&state, .character("4"), .character("s"))
        let screen = render(state).text
        let bos = state.caseload.clients[0]
        #expect(screen.contains("[BK] " + bos.name.prefix(8)))
        #expect(screen.contains("Du täcker för Bo K. till 2026-12-24"))
        // Anna's own people carry no tag.
        let own = state.caseload.clients[12]
        #expect(screen.contains(String(own.name.prefix(10))) && !screen.contains("[BK] " + own.name.prefix(8)))
        state.openCase(bos.id)
        #expect(state.caseDetailLines.map(\.text).contains("Handläggare: Bo Karlsson; du täcker till 2026-12-24."))
    }

    @Test func vSwitchesBetweenAllOwnAndCoveredCaseloads() {
        var state = coveringState()
        press(&state, .character("4"))
        let all = state.caseRows.count
        press(&state, .character("v"))
        #expect(state.scopeOwner == "anna_l")
        #expect(state.caseRows.count == all - 10 && state.caseRows.allSatisfy { state.unit?.owners[$0.client.id] == "anna_l" })
        #expect(state.items.allSatisfy { state.unit?.owners[$0.clientID] == "anna_l" } == false)  // items stay whole …
        #expect(state.overviewItems.allSatisfy { state.unit?.owners[$0.clientID] == "anna_l" })  // … the lists narrow
        press(&state, .character("v"))
        #expect(state.scopeOwner == "bo_k" && state.caseRows.count == 10)
        #expect(state.unitLine?.contains("visar Bo K:s (v)") == true)
        state.message = nil
        #expect(render(state).text.contains("visar Bo K:s (v)"))
        press(&state, .character("v"))
        #expect(state.scopeOwner == nil && state.caseRows.count == all)
    }

    @Test func withoutACoverVSaysSoAndTheFileStoreHasNoUnit() {
        var state = demoState()
        press(&state, .character("v"))
        #expect(state.message == "Växla mellan ärendelistor gäller den delade ärendelistan.")
        state = coveringState()
        state.unit?.covers = []
        press(&state, .character("v"))
        #expect(state.scopeOwner == nil && state.message?.contains("täcker inte för någon") == true)
    }

    @Test func aPersonNoLongerTheUsersLeavesTheListAndTheOpenCase() {
        var state = coveringState()
        let bos = state.caseload.clients[0]
        state.openCase(bos.id)
        _ = reduce(&state, .changedElsewhere(ChangedElsewhere(client: bos, local: bos, by: "", at: Date(), notApplied: [], gone: true),
                                             time: "10:00"))
        #expect(state.client(bos.id) == nil)
        #expect(state.openClientID == nil && state.screen != .caseDetail)
        #expect(state.message == "\(bos.name) är inte längre ditt ärende (handläggarbyte eller slutat vikariat) och togs bort ur listan.")
        #expect(state.undoStack.allSatisfy { $0.caseload.clients.allSatisfy { $0.id != bos.id } })
    }

    /// The manager's app opens in Enheten (the unit's load is the manager's work), a
    /// handläggare's in Översikt; Översikt, entered, selects its first item as at any start.
    @Test func theManagerStartsInTheUnitViewAndAHandlaggareInTheOverview() {
        for kind in [UnitContext.Kind.chef, .handlaggare] {
            let made = coveringState(kind: kind)
            var state = AppState(caseload: made.caseload, today: made.today, unit: made.unit)
            let overview = AppState(caseload: made.caseload, today: made.today)
            #expect(state.screen == (kind == .chef ? .unit : .overview))
            #expect(state.items == overview.items)
            let screen = render(state).text
            #expect(screen.contains("Enheten: 2 handläggare") == (kind == .chef), "\(screen)")
            press(&state, .character("1"))
            #expect(state.screen == .overview && state.selectedIndex == overview.selectedIndex && state.selectedIndex > 0)
            #expect(render(state).text.contains("Försenade"))
            // Back on its own start screen, that is where Esc from a case returns to.
            press(&state, .character(kind == .chef ? "5" : "1"))
            #expect(state.returnScreen == (kind == .chef ? .unit : .overview))
        }
    }

    /// The manager's rows counted on all cores are the reference's, one person at a time: on a
    /// generated unit of 6,000 with archived people, a handläggare without cases, someone whose
    /// cases are owned by a role outside the handläggare's list, and people with no owner.
    @Test func theUnitRowsCountedInParallelAreTheReferences() throws {
        var caseload = DemoCaseload.large(6_000, today: d("2026-03-02"))
        for index in stride(from: 0, to: caseload.clients.count, by: 97) { caseload.clients[index].archived = true }
        var owners: [String: String] = [:]
        for (index, client) in caseload.clients.enumerated() where index % 50 != 0 {
            owners[client.id] = index % 13 == 0 ? "gammal" : String(format: "h%02d", index % 7 + 1)
        }
        var unit = UnitContext(me: "chef", kind: .chef, names: Dictionary(uniqueKeysWithValues: (1...8).map {
            (String(format: "h%02d", $0), "Handläggare \($0)") }), covers: [], owners: owners)
        unit.handlaggare = (1...8).map { String(format: "h%02d", $0) }
        for today in [d("2026-03-02"), d("2026-12-31"), d("2027-06-15")] {
            let state = AppState(caseload: caseload, today: today, unit: unit)
            let rows = state.computeUnitRows()
            #expect(rows == state.computeUnitRowsReference())
            #expect(rows.count == 10 && rows.contains { $0.owner == "h08" && $0.people == 0 })
            #expect(rows.reduce(0) { $0 + $1.people } == caseload.clients.filter { !$0.archived }.count)
            // (A year on, the generated decisions have all ended: nothing is planned any more.)
            #expect(rows.contains { $0.overdueTotal > 0 } && (today.year > 2026 || rows.contains { $0.months.reduce(0, +) > 0 }))
        }
    }

    @Test func theManagersViewIsReadOnlyAndShowsTheUnitPerHandlaggare() throws {
        var state = coveringState(kind: .chef)
        #expect(state.tabs.last == .unit)
        press(&state, .character("5"))
        #expect(state.screen == .unit)
        let rows = state.unitRows
        #expect(rows.map(\.owner) == ["anna_l", "bo_k"])
        #expect(rows.map(\.people).reduce(0, +) == state.caseload.clients.filter { !$0.archived }.count)
        let screen = render(state).text
        #expect(screen.contains("Enheten: 2 handläggare"))
        #expect(screen.contains("Enhetschef: planering, bara läsning"))
        // Nothing can be changed: marking done, a new person, a follow-up.
        let before = state.caseload
        press(&state, .character("1"), .character("d"))
        #expect(state.caseload == before && state.message?.contains("bara för planering") == true)
        press(&state, .character("4"), .character("a"))
        #expect(state.form == nil && state.screen == .caseload)
        press(&state, .character("F"))
        #expect(state.choice == nil)
        // Enter on a handläggare shows that handläggare's cases; R asks whom to move one to.
        press(&state, .character("5"), .down, .enter)
        #expect(state.screen == .caseload && state.scopeOwner == "bo_k" && state.caseRows.count == 10)
        let first = try #require(state.caseRows.first).client.id
        press(&state, .character("R"))
        #expect(state.choice?.labels == ["Anna Lind"])
        let effects = press(&state, .enter)
        #expect(effects == [.reassign(clientID: first, to: "anna_l")])
        _ = reduce(&state, .reassigned(clientID: first, to: "anna_l", error: nil))
        #expect(state.unit?.owners[first] == "anna_l" && state.caseRows.count == 9)
    }

    /// Issue 35, item 18: the list shows a known insats by its catalogue name, so the
    /// handläggare's "Hemtjänst" and the manager's planning word "hemtjänst" read alike; an
    /// insats the catalogue does not know is shown as written.
    @Test func theListShowsAnInsatsTheSameForEveryone() throws {
        var state = demoState(width: 120, height: 40)
        let index = try #require(state.caseload.clients.firstIndex { $0.name == "Erik Johansson" })
        let decision = try #require(state.caseload.clients[index].decisions.firstIndex { $0.service == "hemtjänst" })
        state.caseload.clients[index].decisions[decision].service = "HEMTJÄNST"
        press(&state, .character("4"))
        let row = render(state).text.split(separator: "\n").first { $0.contains("Erik Johansson") } ?? ""
        // The Insatser column (the Vad column names the decision as written).
        #expect(row.contains("-**** hemtjänst "), "\(row)")
        #expect(state.routines.catalog.listName("Egen Insats") == "Egen Insats")
        #expect(state.routines.catalog.listName(" Vård- och  Omsorgsboende") == "vård- och omsorgsboende")
    }

    @Test func helpOffersTheUnitKeysOnlyWhereTheyWork() {
        var file = demoState()
        press(&file, .character("?"))
        let plain = render(file).text
        #expect(!plain.contains("Handläggarbyte") && !plain.contains("Enheten per"))
        var chef = coveringState(kind: .chef)
        press(&chef, .character("4"), .character("?"))
        #expect(render(chef).text.contains("Handläggarbyte"))
    }

    @Test func aHandlaggareCannotReassign() {
        var state = coveringState()
        press(&state, .character("4"), .character("R"))
        #expect(state.choice == nil && state.message == "Handläggarbyte görs av enhetschefen.")
        #expect(!state.tabs.contains(.unit))
    }

    /// Issue 34, item 5: the manager opening a protected person's case is asked why first; the
    /// purpose is what the access log records; a person without protection opens at once.
    @Test func theManagerSaysWhyBeforeOpeningAProtectedPersonsCase() throws {
        var chef = coveringState(kind: .chef)
        let protected = try #require(chef.caseload.clients.indices.first)
        chef.caseload.clients[protected].protectedIdentity = true
        let id = chef.caseload.clients[protected].id
        chef.openCase(id)
        #expect(chef.screen != .caseDetail && chef.viewedCase == nil)
        let choice = try #require(chef.choice)
        #expect(choice.title.contains("Öppningen loggas och granskas i loggkontrollen"))
        #expect(choice.labels == ["Handläggarbyte", "Tillsyn", "Begäran från den enskilde", "Annat"])
        press(&chef, .character("2"))
        #expect(chef.screen == .caseDetail && chef.viewedCase?.clientID == id && chef.viewedCase?.what == "ärende: tillsyn")
        #expect(chef.message?.contains("syftet \"tillsyn\"") == true)
        // Esc and back: not asked again this session.
        press(&chef, .escape)
        chef.openCase(id)
        #expect(chef.choice == nil && chef.viewedCase?.what == "ärende: tillsyn")
        // Someone without protection: no question.
        press(&chef, .escape)
        let other = chef.caseload.clients[protected + 1].id
        chef.openCase(other)
        #expect(chef.choice == nil && chef.viewedCase?.what == "ärende")
        // A handläggare opening their own protected person is not asked.
        var own = coveringState()
        own.caseload.clients[protected].protectedIdentity = true
        own.openCase(id)
        #expect(own.choice == nil && own.viewedCase?.what == "ärende")
    }

    /// The app's side of the access log: `viewedCase` (what the runtime reports as opened) is the
    /// open case and clears on leaving it; the log rows themselves are tested on a real server.
    @Test func viewedCaseIsTheOpenCaseAndClearsOnLeavingIt() {
        var state = coveringState()
        #expect(state.viewedCase == nil)
        let id = state.caseload.clients[0].id
        state.openCase(id)
        #expect(state.viewedCase?.clientID == id)
        press(&state, .escape)
        #expect(state.viewedCase == nil)
    }
}

/// Issue 35, item 19: `?` opens at the current screen's keys, wherever it is pressed; the
/// message log wraps a long message instead of cutting it.
@Suite struct HelpOpensHereTests {
    @Test func helpStartsWithTheScreensOwnKeys() throws {
        var state = demoState()
        let id = try #require(state.caseload.clients.first?.id)
        for (keys, title) in [([Key.character("1")], "Översikt"), ([.character("2")], "Årshjul"), ([.character("3")], "Bevakningar"),
                              ([.character("4")], "Ärenden")] {
            press(&state, .escape)
            for key in keys { press(&state, key) }
            press(&state, .character("?"))
            #expect(state.helpLines.first?.key == title, "\(title): \(state.helpLines.first?.key ?? "")")
            #expect(render(state).text.split(separator: "\n").dropFirst(2).first?.contains(title) == true, "\(title)")
            press(&state, .character("?"))
        }
        state.openCase(id)
        press(&state, .character("?"))
        #expect(state.helpLines.first?.key == "Ärende")
        press(&state, .character("?"))
    }

    @Test func theMessageLogWrapsALongMessage() {
        var state = demoState(width: 64, height: 16)
        state.messageLog = [String(repeating: "ord ", count: 40) + "SLUT"]
        state.push(.messageLog(scroll: 0))
        let text = render(state).text
        #expect(text.contains("SLUT"), "\(text)")
    }
}

/// Issue 35, item 17: `/` again starts a new filter; the old one stays until a letter is typed.
@Suite struct FilterAgainTests {
    @Test func slashAgainReplacesTheFilter() {
        var state = demoState()
        press(&state, .character("4"), .character("/"))
        type(&state, "Astrid")
        press(&state, .enter)
        #expect(state.filter.text == "Astrid")
        press(&state, .character("/"))
        #expect(state.filter.text == "Astrid")  // kept until something is typed
        type(&state, "Erik")
        press(&state, .enter)
        #expect(state.filter.text == "Erik")
        // Moving in the old filter before typing keeps it.
        press(&state, .character("/"), .end)
        type(&state, " J")
        #expect(state.filter.text == "Erik J")
    }
}
