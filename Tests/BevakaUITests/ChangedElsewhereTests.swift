import BevakaTestSupport
import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaUI

/// A change another handläggare saved reaches the screen (shared store).
@Suite struct ChangedElsewhereTests {
    @Test func theRecordIsReplacedUndoIsRebasedAndTheMessageSaysWhoAndWhen() throws {
        var state = demoState()
        let person = state.caseload.clients[0]
        // A change of my own first, so there is something to undo.
        press(&state, .character("3"), .character("d"))
        let mine = try #require(state.caseload.clients.first { $0.id == person.id })
        var theirs = mine
        theirs.notes = "kollegans anteckning"
        let change = ChangedElsewhere(client: theirs, local: mine, by: "anna.l", at: Date(), notApplied: [])
        _ = reduce(&state, .changedElsewhere(change, time: "14:02"))
        #expect(state.caseload.clients.first { $0.id == person.id }?.notes == "kollegans anteckning")
        #expect(state.message == "Ärendet för \(person.name) ändrades av anna.l kl. 14:02.")
        // Undoing my own change keeps the colleague's note.
        press(&state, .character("u"))
        let undone = try #require(state.caseload.clients.first { $0.id == person.id })
        #expect(undone.notes == "kollegans anteckning")
        #expect(undone.reminders == person.reminders)
    }

    @Test func aPartThatCouldNotBeKeptIsNamed() {
        var state = demoState()
        let person = state.caseload.clients[1]
        let change = ChangedElsewhere(client: person, local: person, by: "bo.k", at: Date(),
                                      notApplied: ["beslut d5 beviljad tid"], localKept: true)
        _ = reduce(&state, .changedElsewhere(change, time: "09:15"))
        #expect(state.message?.contains("Din ändring av beslut d5 beviljad tid kunde inte föras in; gör den igen.") == true)
        #expect(state.messageIsError)
    }

    @Test func inHembesokslageNoOtherNameIsShown() {
        var state = demoState()
        let visited = state.caseload.clients[0]
        state.openCase(visited.id)
        press(&state, .character("H"), .enter, .enter)
        #expect(state.homeVisitActive)
        let other = state.caseload.clients[2]
        var changed = other
        changed.notes = "x"
        _ = reduce(&state, .changedElsewhere(ChangedElsewhere(client: changed, local: other, by: "anna.l", at: Date(), notApplied: []),
                                             time: "10:00"))
        #expect(!(render(state).text.contains(other.name)))
        #expect(state.caseload.clients[2].notes == "x")
    }
}
