import BevakaTestSupport
import BevakaDomain
import BevakaStore
import Foundation
import Testing
@testable import BevakaUI

@Suite struct FollowUpFlowTests {
    func openCase(_ name: String, in state: inout AppState) throws -> String {
        let id = try #require(state.caseload.clients.first { $0.name == name }?.id)
        state.openCase(id)
        return id
    }

    func lastSaved(_ effects: [Effect]) -> Caseload? {
        effects.compactMap { effect -> Caseload? in
            if case .save(let caseload) = effect { return caseload }
            return nil
        }.last
    }

    @Test func startTickAnswerAndEverythingIsSavedAtOnce() throws {
        var state = demoState()
        let id = try openCase("Erik Johansson", in: &state)
        press(&state, .character("F"))
        // Erik's time-limited decision ends within R3's lead: that is suggested as the trigger.
        let trigger = try #require(state.choice)
        #expect(trigger.selected == FollowUpTrigger.allCases.firstIndex(of: .decisionEnding))
        press(&state, .character("3"))  // the person reported changed needs
        #expect(state.choice?.labels == FollowUpForm.allCases.map(\.label))
        let started = press(&state, .character("2"))  // telefon
        let saved = try #require(lastSaved(started))
        let draft = try #require(saved.clients.first { $0.id == id }?.draft)
        #expect(draft.trigger == .personReported && draft.form == .phone && draft.date == today)
        #expect(state.screen == .checklist)

        // Space on a question without an answer asks for the answer (a ticked question without
        // one would drop out of the journal); Esc leaves it as it was.
        let first = try #require(state.selectedEntry)
        #expect(first.template.type == .question)
        #expect(press(&state, .character(" ")).isEmpty && state.textEditing != nil)
        // More Spaces and a Tab are no leading blanks in the answer (issue 35, item 14).
        press(&state, .character(" "), .character(" "), .tab)
        #expect(state.textEditing?.editor.text == "" && state.textEditing?.error?.contains("Skriv svaret") == true)
        type(&state, "Ja")
        #expect(state.textEditing?.editor.text == "Ja")
        press(&state, .ctrl("u"))
        press(&state, .escape)
        #expect(state.textEditing == nil && state.openClient?.draft?.answer(first.id).mark == .open)
        // `-` marks not applicable and moves on; Space on an answered question ticks; each is its own save.
        let tick = press(&state, .character("-"))
        #expect(lastSaved(tick)?.clients.first { $0.id == id }?.draft?.answer(first.id).mark == .notApplicable)
        #expect(state.selectedEntry?.id != first.id)
        let second = try #require(state.selectedEntry)
        press(&state, .character("-"))
        #expect(state.openClient?.draft?.answer(second.id).mark == .notApplicable)
        press(&state, .up, .character("-"))
        #expect(state.openClient?.draft?.answer(second.id).mark == .open)

        // Enter: the editor; å/ä/ö, cursor keys and backspace; Esc asks and j throws away, Ctrl-S keeps.
        press(&state, .enter)
        type(&state, "Vill ha dottern med")
        press(&state, .escape, .character("j"))
        #expect(state.openClient?.draft?.answer(second.id).note == nil)
        press(&state, .enter)
        type(&state, "Dottern Åsa och sonen Öjvind ä")
        press(&state, .backspace, .home, .delete, .character("D"), .end)
        let noted = press(&state, .ctrl("s"))
        #expect(state.openClient?.draft?.answer(second.id).note == "Dottern Åsa och sonen Öjvind")
        #expect(state.openClient?.draft?.answer(second.id).mark == .done)  // an answered question is done
        #expect(lastSaved(noted) == state.caseload)

        // Tab moves to the visit; the cursor is stored, so a restart finds it.
        let moved = press(&state, .tab)
        #expect(state.openClient?.draft?.phase == .visit)
        #expect(lastSaved(moved) != nil)
        #expect(render(state).text.contains("Hur ser behoven ut idag"))
        #expect(render(state).text.contains(" Besök 0/"))
    }

    @Test func aDateItemMustBeADateInThePast() throws {
        var state = demoState()
        _ = try openCase("Leo Karlsson", in: &state)  // LSS
        press(&state, .character("F"), .enter, .enter)
        let index = try #require(state.phaseEntries.firstIndex { $0.template.type == .date })
        for _ in 0..<index { press(&state, .down) }
        press(&state, .character(" "))
        #expect(state.message == "Skriv datumet med Enter.")
        press(&state, .enter)
        type(&state, "2026-13-01")
        press(&state, .enter)
        #expect(state.prompt?.error?.contains("inget datum") == true)
        press(&state, .ctrl("u"))
        type(&state, "+3d")
        press(&state, .enter)
        #expect(state.prompt?.error?.contains("framtiden") == true)
        press(&state, .ctrl("u"))
        type(&state, "20260915")
        press(&state, .enter)
        let entry = try #require(state.selectedEntry)
        #expect(state.openClient?.draft?.answer(entry.id).date == d("2026-09-15"))
        #expect(state.openClient?.draft?.answer(entry.id).mark == .done)
    }

    @Test func hembesokslageShowsOnlyThisPersonAndNeedsTwoKeysToLeave() throws {
        var state = demoState(width: 120, height: 40)
        let id = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("H"), .enter, .enter)
        #expect(state.homeVisitActive)
        #expect(state.caseload.clients.first { $0.id == id }?.homeVisit == true)
        let others = state.caseload.clients.filter { $0.id != id }.map(\.name)
        func showsNobodyElse() -> Bool {
            let text = render(state).text
            return !others.contains { text.contains($0) } && !text.contains("Översikt") && !text.contains("Ärenden")
        }
        #expect(showsNobodyElse())
        #expect(render(state).text.contains("Ctrl-X H lämna hembesök"))
        // Screens, search, quit and Esc lead nowhere; help, journal and underlag stay with the person.
        for key in [Key.character("1"), .character("4"), .character("3"), .character("/"), .character("q"), .escape, .character("n")] {
            let effects = press(&state, key)
            #expect(effects.isEmpty, "\(key)")
            #expect(state.homeVisitActive && state.screen == .checklist, "\(key)")
            #expect(showsNobodyElse(), "\(key)")
        }
        press(&state, .character("?"))
        #expect(showsNobodyElse())
        press(&state, .escape, .character("J"))
        #expect(state.screen == .document && showsNobodyElse())
        press(&state, .character("U"))
        #expect(showsNobodyElse())
        press(&state, .escape)
        #expect(state.screen == .checklist)
        // Ctrl-X then another key stays; Ctrl-X then H leaves, and that is saved.
        // The question after Ctrl-X is an overlay of its own, gone with the answer (issue 36, item 2).
        press(&state, .ctrl("x"))
        #expect(state.overlays.last == .leaveHomeVisit)
        press(&state, .character("j"))
        #expect(state.homeVisitActive && state.overlay(.leaveHomeVisit) == nil && state.message == "Hembesöksläget är kvar.")
        let left = press(&state, .ctrl("x"), .character("H"))
        #expect(!state.homeVisitActive)
        #expect(lastSaved(left)?.clients.first { $0.id == id }?.homeVisit == false)
        #expect(render(state).text.contains("Översikt"))
    }

    @Test func undoInHembesokslageTouchesOnlyThisPerson() throws {
        var state = demoState()
        press(&state, .character("3"))
        state.selection[.reminders] = try #require(state.reminderList.firstIndex {
            state.client($0.clientID)?.name != "Astrid Nilsson" && $0.kind != .startCheck
        })
        press(&state, .character("d"))                     // someone else's bevakning marked done
        let marked = state.caseload
        _ = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("H"), .enter, .enter, .character(" "))
        press(&state, .character("u"))
        #expect(state.openClient?.draft?.answers.isEmpty == true)  // this person's tick is undone
        press(&state, .character("u"))                             // the start of the visit
        #expect(state.homeVisitActive)  // undoing the start does not leave the mode
        press(&state, .character("u"))
        #expect(state.message?.contains("gäller inte den här personen") == true)
        #expect(state.caseload.clients.filter { $0.name != "Astrid Nilsson" } == marked.clients.filter { $0.name != "Astrid Nilsson" })
    }

    @Test func aRestartResumesTheVisitInHembesokslageWhereItWas() throws {
        var state = demoState()
        let id = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("H"), .enter, .enter, .tab, .down, .enter)
        type(&state, "Vill äta frukost senare")
        press(&state, .ctrl("s"))
        let cursor = state.openClient?.draft?.cursor
        // What a crash leaves: the last saved caseload. A new state from it is the same visit.
        let restarted = AppState(caseload: state.caseload, today: today, width: 80, height: 24)
        #expect(restarted.screen == .checklist)
        #expect(restarted.openClientID == id)
        #expect(restarted.homeVisitActive)
        #expect(restarted.openClient?.draft?.phase == .visit)
        #expect(restarted.openClient?.draft?.cursor == cursor)
        #expect(render(restarted).text.contains("Vill äta frukost senare"))
        // Opening the case later (out of the mode) goes straight back to the checklist as well.
        var later = restarted
        press(&later, .ctrl("x"), .character("H"), .escape, .escape, .character("4"))
        later.openCase(id)
        #expect(later.screen == .checklist)
    }

    /// Issue 35, item 15: `S` does not count as open what it does itself (recording the
    /// follow-up with its journal note, the next bevakning): with everything else answered it
    /// asks for the result at once.
    @Test func finishingDoesNotWarnAboutWhatItDoesItself() throws {
        var state = demoState()
        _ = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("F"), .enter, .enter)
        let entries = state.checklistEntries
        let others = entries.filter { $0.template.required && !FollowUpDraft.doneByFinishing.contains($0.template.id) }
        #expect(entries.contains { FollowUpDraft.doneByFinishing.contains($0.template.id) })
        // Every other required item answered (not applicable), as if ticked through.
        let index = try #require(state.caseload.clients.firstIndex { $0.id == state.openClientID })
        for entry in others {
            var answer = ChecklistAnswer()
            answer.mark = .notApplicable
            state.caseload.clients[index].draft?.answers[entry.id] = answer
        }
        #expect(state.openClient?.draft.map { $0.openBeforeFinishing(state.checklistEntries).isEmpty } == true)
        press(&state, .character("S"))
        #expect(state.choice?.title == "Resultat av uppföljningen", "\(state.choice?.title ?? "")")
    }

    @Test func finishingRecordsItShowsTheJournalAndSetsNextYear() throws {
        var state = demoState()
        let id = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("F"), .enter, .enter, .tab, .enter)
        type(&state, "Trivs, vill ha fler utflykter")
        press(&state, .ctrl("s"), .character("S"))
        // Required items are open: the choice says so and defaults to going back.
        let confirm = try #require(state.choice)
        #expect(confirm.title.contains("obligatoriska punkter är obesvarade"))
        press(&state, .enter)
        #expect(state.openClient?.draft != nil && state.choice == nil)
        press(&state, .character("S"), .character("2"))
        #expect(state.choice?.title == "Resultat av uppföljningen")
        press(&state, .character("1"))
        #expect(state.prompt?.editor.text == "den enskilde")
        type(&state, ", dottern")
        let finished = press(&state, .enter)
        let saved = try #require(lastSaved(finished))
        let client = try #require(saved.clients.first { $0.id == id })
        let recorded = try #require(client.followUps.max { $0.date < $1.date })
        #expect(recorded.date == today && recorded.outcome == .asDecided)
        #expect(recorded.participants == ["den enskilde", "dottern"])
        #expect(client.draft == nil)
        #expect(state.screen == .document)
        #expect(render(state).text.contains("Trivs, vill ha fler utflykter"))
        #expect(state.message?.contains("Nästa uppföljning 2027-11-22") == true)
        let next = try #require(state.itemsByClient[id]?.first { $0.kind == .annualFollowUp && !$0.isDone })
        #expect(next.due == d("2027-11-22"))

        // The journal can be edited, copied and saved; the edit is stored with the follow-up.
        press(&state, .down, .enter, .ctrl("u"))
        type(&state, "Ändrad rad med åäö")
        press(&state, .ctrl("s"))
        #expect(state.openClient?.followUps.first { $0.id == recorded.id }?.journal?.contains("Ändrad rad med åäö\n") == true)
        let copy = press(&state, .character("c"))
        guard case .copy(let text)? = copy.first else {
            Issue.record("c must copy")
            return
        }
        #expect(text.contains("Ändrad rad med åäö"))
        press(&state, .character("w"))
        #expect(state.prompt?.editor.text == "~/journal-AN-2026-11-22.txt")
        let write = press(&state, .enter)
        #expect(write == [.writeFile(path: "~/journal-AN-2026-11-22.txt", contents: text)])

        // Undo takes the whole follow-up back, draft included.
        press(&state, .escape, .character("u"), .character("u"))
        #expect(state.openClient?.draft != nil)
        #expect(state.openClient?.followUps.contains { $0.id == recorded.id } == false)
    }

    @Test func startingFromAManualReminderAnswersIt() throws {
        var state = demoState()
        press(&state, .character("3"), .character("f"), .character("f"))
        let index = try #require(state.reminderList.firstIndex { $0.kind == .manual })
        state.selection[.reminders] = index
        let reminder = state.reminderList[index]
        press(&state, .character("F"), .enter, .enter)
        #expect(state.openClient?.draft?.reminderID == reminder.reminderID)
        press(&state, .character("S"), .character("2"), .character("1"), .enter)
        let done = state.itemsByClient[reminder.clientID]?.first { $0.reminderID == reminder.reminderID }
        #expect(done?.isDone == true)
    }

    @Test func discardingAsksAndNamesWhatGoes() throws {
        var state = demoState()
        _ = try openCase("Astrid Nilsson", in: &state)
        press(&state, .character("F"), .enter, .enter, .character(" "), .character("X"))
        #expect(state.choice?.title.contains("1 ifyllda punkter") == true)
        press(&state, .enter)
        #expect(state.openClient?.draft != nil)
        press(&state, .character("X"), .character("2"))
        #expect(state.openClient?.draft == nil)
        #expect(state.screen == .caseDetail)
    }

    @Test func theDocumentFileIsPrivateAndNeverOverwritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bevaka-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try DocumentFile.write("Journal åäö\n", to: "~/j.txt", environment: ["HOME": folder.path])
        #expect(written == folder.appendingPathComponent("j.txt").path)
        #expect(try String(contentsOfFile: written, encoding: .utf8) == "Journal åäö\n")
        let mode = try FileManager.default.attributesOfItem(atPath: written)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: DocumentFile.WriteError.self) {
            try DocumentFile.write("annat", to: written, environment: [:])
        }
        do {
            try DocumentFile.write("x", to: folder.appendingPathComponent("saknas/j.txt").path, environment: [:])
        } catch {
            #expect(error.message.contains("Mappen"))
        }
        #expect(try String(contentsOfFile: written, encoding: .utf8) == "Journal åäö\n")
    }
}
