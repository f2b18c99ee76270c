import BevakaDomain
import BevakaStore
import Foundation

/// The filter line and the one-line prompts: typing, checking and submitting what was typed.
extension AppState {
    mutating func handleFilter(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            dismiss(.filter)
        case .escape:
            dismiss(.filter)
            filter = LineEditor()
        case .character:
            // A new `/` starts a new filter: the first letter typed replaces the old one
            // ("Gun Pet" then "Karl" is "Karl", not "Gun PetKarl"; issue 35, item 17).
            if filterFresh { filter = LineEditor() }
            filter.handle(key)
        default:
            filter.handle(key)
        }
        filterFresh = false
        selection[screen] = 0
        scroll[screen] = 0
        clampSelection()
        return []
    }

    mutating func handlePrompt(_ key: Key) -> [Effect] {
        guard var current = prompt else { return [] }
        switch key {
        case .escape:
            dismiss(.prompt)
            message = "Avbrutet."
            return []
        case .enter:
            return submit(current)
        case .tab where current.purpose == .importFile:
            return [.completePath(current.editor.text)]
        default:
            current.editor.handle(key)
            current.error = nil
            put(.prompt(current))
            return []
        }
    }

    /// Keeps the prompt open with the reason beside it.
    mutating func reject(_ current: Prompt, _ reason: String) -> [Effect] {
        var again = current
        again.error = reason
        put(.prompt(again))
        return []
    }

    /// The prompt's text as a date, or nil with the reason beside the prompt (FieldInput's wording,
    /// the same as in the forms).
    mutating func promptDate(_ current: Prompt) -> Day? {
        do {
            return try FieldInput.date(current.editor.text, today: today, required: true)
        } catch {
            _ = reject(current, error.message)
            return nil
        }
    }

    mutating func submit(_ current: Prompt) -> [Effect] {
        let text = current.editor.text
        switch current.purpose {
        case .markDoneOn(let key):
            guard let day = promptDate(current) else { return [] }
            guard day <= today else {
                return reject(current, "Ett klar-datum kan inte ligga i framtiden.")
            }
            dismiss(.prompt)
            guard let item = items.first(where: key.matches) else { return [] }
            return markDone(item, on: day)
        case .moveTo(let key):
            guard let day = promptDate(current) else { return [] }
            dismiss(.prompt)
            guard let item = items.first(where: key.matches) else { return [] }
            return moveAsking(item, to: day)
        case .newReminderDate(let clientID):
            guard let day = promptDate(current) else { return [] }
            put(.prompt(Prompt(purpose: .newReminderText(clientID: clientID, due: day), editor: LineEditor(),
                            label: "Ny bevakning för \(personName(clientID)) \(day), text:")))
            return []
        case .checklistNote(let clientID, let entryID):
            return submitChecklistNote(current, clientID: clientID, entryID: entryID)
        case .participants(let clientID, let outcome):
            dismiss(.prompt)
            // A visit booked for after the follow-up's day: asked whether it is still wanted.
            if let client = client(clientID), let booking = client.booking, let date = client.draft?.date, booking.date > date {
                func finish(_ end: Bool) -> Answer {
                    .finishFollowUp(clientID: clientID, outcome: outcome, participants: text, endLaterBooking: end)
                }
                push(.choice(Choice("Ett besök är bokat \(booking.date) kl. \(booking.startTextWithOccurrence), efter uppföljningen. "
                                    + "Ta bort bokningen?", [
                                .init("Nej, besöket blir av (bokningen står kvar)", finish(false)),
                                .init("Ja, ta bort bokningen", finish(true)),
                            ])))
                return []
            }
            return finishFollowUp(clientID: clientID, outcome: outcome, participantsText: text)
        case .documentParagraph(let index, let insert):
            return submitParagraph(text, index: index, insert: insert)
        case .importFile:
            let path = PathInput.restarted(text.trimmingCharacters(in: .whitespaces))
            guard !path.isEmpty else { return reject(current, "Skriv sökvägen till listan (.xlsx, .ods eller .csv).") }
            dismiss(.prompt)
            put(.importing(ImportProgress(file: path, done: 0, total: 0)))
            // The next import starts in this file's folder (kept across restarts).
            var effects: [Effect] = [.importFile(path: path, into: caseload, assuming: .fromStart)]
            if let slash = path.lastIndex(of: "/") {
                let folder = String(path[...slash])
                if folder != importFolder {
                    importFolder = folder
                    effects.append(.rememberImportFolder(folder))
                }
            }
            return effects
        case .saveDocument:
            let path = text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                return reject(current, "Skriv ett filnamn.")
            }
            dismiss(.prompt)
            message = "Sparar…"
            return [.writeFile(path: path, contents: documentText)]
        case .saveCopy(let unsaved):
            let path = text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                return reject(current, "Skriv ett filnamn, t.ex. på ett USB-minne eller i en annan mapp.")
            }
            dismiss(.prompt)
            message = "Sparar en kopia…"
            return [.saveCopy(path: path, caseload: caseload, unsaved: unsaved)]
        case .delayReason(let clientID, let decisionID):
            let reason = TerminalText.sanitize(text).trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { return reject(current, "Skriv skälet; IVO-rapporten är ofullständig utan det.") }
            guard reason.count <= 1000 else { return reject(current, "Skälet får vara högst 1 000 tecken.") }
            dismiss(.prompt)
            guard let index = clientIndex[clientID] else { return [] }
            return mutate("Skälet till dröjsmålet för \(personName(clientID)) är sparat; IVO-rapporten är komplett för beslutet.") { caseload in
                if let d = caseload.clients[index].decisions.firstIndex(where: { $0.id == decisionID }) {
                    caseload.clients[index].decisions[d].delayReason = reason
                }
            }
        case .newReminderText(let clientID, let due):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                return reject(current, "Skriv vad bevakningen gäller.")
            }
            dismiss(.prompt)
            guard let index = clientIndex[clientID] else { return [] }
            return mutate("Bevakning för \(personName(clientID)) tillagd \(due): \(TerminalText.sanitize(trimmed)).") { caseload in
                let id = caseload.makeID("r")
                caseload.clients[index].reminders.append(Reminder(id: id, kind: .manual, due: due, text: trimmed))
            }
        }
    }
}
