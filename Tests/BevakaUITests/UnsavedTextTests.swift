import BevakaTestSupport
import BevakaDomain
import Foundation
import Testing
@testable import BevakaUI

/// Issue 23: text being written into an answer is kept with the caseload and restored at start.
@Suite struct UnsavedTextTests {
    @Test func keptWhileWritingRestoredAtStartAndNeverBroughtBackByUndo() throws {
        var state = checklistState()
        let entry = try #require(state.selectedEntry)
        let person = try #require(state.openClient)
        press(&state, .enter)
        type(&state, "Trivs bra")
        press(&state, .enter)
        type(&state, "men maten är salt")
        let undoDepth = state.undoStack.count
        #expect(reduce(&state, .keepUnsavedText).count == 1)
        #expect(reduce(&state, .keepUnsavedText).isEmpty)  // nothing new
        #expect(state.undoStack.count == undoDepth)          // no undo step for it
        let kept = state.caseload
        #expect(kept.clients.first { $0.id == person.id }?.draft?.unsaved == UnsavedAnswer(entry: entry.id, text: "Trivs bra\nmen maten är salt"))

        // The next start: the editor is open on the same item with the text, and says so.
        var next = AppState(caseload: kept, routines: state.routines, today: state.today, demo: false, storePath: "x", firstStart: false)
        next.width = 80
        next.height = 24
        next.restoreUnsavedText()
        #expect(next.screen == .checklist && next.openClientID == person.id)
        #expect(next.textEditing?.editor.text == "Trivs bra\nmen maten är salt" && next.textEditing?.changed == true)
        #expect(render(next).text.contains("Osparad text från förra gången återställd"))
        press(&next, .ctrl("s"))
        let saved = try #require(next.client(person.id)?.draft)
        #expect(saved.answer(entry.id).note == "Trivs bra\nmen maten är salt" && saved.unsaved == nil)
        // Undo of the answer does not bring the kept text back.
        press(&next, .character("u"))
        #expect(next.client(person.id)?.draft?.unsaved == nil)
    }

    @Test func throwingTheTextAwayClearsIt() throws {
        var state = checklistState()
        let person = try #require(state.openClient)
        press(&state, .enter)
        type(&state, "utkast")
        _ = reduce(&state, .keepUnsavedText)
        #expect(state.client(person.id)?.draft?.unsaved != nil)
        press(&state, .escape, .character("j"))
        #expect(state.textEditing == nil && state.client(person.id)?.draft?.unsaved == nil)
    }
}
