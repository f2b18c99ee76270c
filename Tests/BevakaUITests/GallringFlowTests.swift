import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// Gallring in the app: archiving says when the person will be gallrad, the case screen shows it,
/// and at start the app asks before anyone is removed — never when the date is not the real one.
@Suite struct GallringFlowTests {
    /// The demo's first person with every decision ended on 2026-10-31.
    static func endedState() -> AppState {
        var state = demoState()
        var caseload = state.caseload
        for index in caseload.clients[0].decisions.indices {
            caseload.clients[0].decisions[index].validTo = d("2026-10-31")
            caseload.clients[0].decisions[index].closedOn = nil
        }
        state.caseload = caseload
        return state
    }

    @Test func archivingSaysWhenThePersonWillBeGallradAndTheCaseShowsIt() throws {
        var state = Self.endedState()
        let person = state.caseload.clients[0]
        state.openClientID = person.id
        state.screen = .caseDetail
        press(&state, .character("A"))
        let question = try #require(state.choice)
        #expect(question.title.contains("Gallras tidigast 2027-10-31 enligt gallringsregeln, 12 månader efter sista beslutet (2026-10-31)."),
                "\(question.title)")
        #expect(!question.title.contains("Inget raderas"))
        let effects = press(&state, .character("2"))
        #expect(effects.contains { if case .save = $0 { return true } else { return false } })
        #expect(state.message?.contains("är arkiverad. Gallras tidigast 2027-10-31") == true, "\(state.message ?? "")")
        #expect(render(state).text.contains("Gallras tidigast 2027-10-31"))
        // Once due, the case says since when and how.
        #expect(Gallring.when(state.caseload.clients[0], months: 12, unit: false, today: d("2027-11-01"))
                    .hasPrefix("Kan gallras sedan 2027-10-31 enligt gallringsregeln"))
        // The unit's rule where the shared store keeps it.
        state.unit = UnitContext(me: "anna", kind: .handlaggare)
        state.unit?.gallringMonths = 24
        #expect(state.gallringWhen(state.caseload.clients[0]).contains("tidigast 2028-10-31 enligt enhetens regel, 24 månader"))
        state.unit?.gallringMonths = nil
        #expect(state.gallringWhen(state.caseload.clients[0]).hasPrefix("Gallring är avstängd"))
    }

    @Test func atStartTheAppAsksAndDeletesOnlyOnYes() throws {
        var state = Self.endedState()
        state.caseload.clients[0].archived = true
        let due = Gallring.candidates(state.caseload, months: 12, today: d("2027-11-22"))
        #expect(due.count == 1)
        state.offerGallring(due, months: 12, permission: .allowed)
        let question = try #require(state.choice)
        #expect(question.title.hasPrefix("1 person kan gallras (arkiverad,"))
        #expect(question.title.contains(Gallring.label(state.caseload.clients[0])))
        #expect(question.selected == 0 && question.labels[0] == "Inte nu")
        // Enter on the default keeps everyone.
        #expect(press(&state, .enter).isEmpty)
        #expect(state.caseload.clients.count == demoState().caseload.clients.count)
        // Asked again, "2" asks the runtime to remove that one person.
        state.offerGallring(due, months: 12, permission: .allowed)
        #expect(press(&state, .character("2")) == [.gallra(ids: [due[0].client.id])])
        let label = Gallring.label(state.caseload.clients[0])
        _ = reduce(&state, .gallrad(ids: [due[0].client.id], outside: nil, error: nil))
        #expect(state.message == "Gallrad: \(label), ur ärendelistan och alla säkerhetskopior.")
        #expect(state.messageLog.last == state.message)
        #expect(!state.caseload.clients.contains { $0.id == due[0].client.id })
    }

    @Test func aDateThatIsNotTheRealOneOffersNothing() {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        var state = Self.endedState()
        state.caseload.clients[0].archived = true
        let due = Gallring.candidates(state.caseload, months: 12, today: d("2027-11-22"))
        let permission = Gallring.permission(today: d("2027-11-22"), clockToday: d("2026-12-06"), lastSaved: nil, now: now)
        guard case .dryRun = permission else {
            Issue.record("a date after the clock must be a dry run")
            return
        }
        state.offerGallring(due, months: 12, permission: permission)
        #expect(state.choice == nil)
        #expect(state.message?.contains("ingen tas bort") == true)
        // A save "from the future" (a clock set back) refuses; the real date is allowed.
        #expect(Gallring.permission(today: d("2026-12-06"), clockToday: d("2026-12-06"), lastSaved: now.addingTimeInterval(3600),
                                    now: now) != .allowed)
        #expect(Gallring.permission(today: d("2026-12-06"), clockToday: d("2026-12-06"), lastSaved: now, now: now) == .allowed)
        #expect(Gallring.permission(today: d("2026-11-01"), clockToday: d("2026-12-06"), lastSaved: nil, now: now) == .allowed)
    }
}
